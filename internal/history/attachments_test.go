package history

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	zip  = []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml")
	exe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
	text = []byte("date;montant\n2026-11-20;120,00\n")
)

// TestAttachmentsAreCheckedFieldByField: each refusal names the file by its
// index and the field at fault.
func TestAttachmentsAreCheckedFieldByField(t *testing.T) {
	big := b64(bytes.Repeat([]byte("a"), MaxAttachmentSize+1))
	nine := b64(bytes.Repeat([]byte("b"), 9<<20))
	cases := []struct {
		name  string
		files []Attachment
		field string // "" when accepted
		why   string
	}{
		{"a PDF", []Attachment{{Name: "releve.pdf", ContentType: "application/pdf", ContentBase64: b64(pdf)}}, "", ""},
		{"MIME line breaks", []Attachment{{Name: "releve.pdf", ContentType: "application/pdf",
			ContentBase64: b64(pdf)[:20] + "\r\n" + b64(pdf)[20:]}}, "", ""},
		{"not base64", []Attachment{{Name: "a.pdf", ContentBase64: "%%%not base64"}}, "attachments[0].content_base64", "not valid base64"},
		{"no content", []Attachment{{Name: "a.pdf"}}, "attachments[0].content_base64", "required"},
		{"over 10 MiB", []Attachment{{Name: "big.txt", ContentBase64: big}}, "attachments[0].content_base64", "larger than 10 MiB"},
		{"over 20 MiB in all", []Attachment{{Name: "a.txt", ContentBase64: nine}, {Name: "b.txt", ContentBase64: nine},
			{Name: "c.txt", ContentBase64: nine}}, "attachments", "20 MiB"},
		{"a Windows program", []Attachment{{Name: "facture.pdf", ContentType: "application/pdf", ContentBase64: b64(exe)}},
			"attachments[0].content_base64", "executable"},
		{"a script's extension", []Attachment{{Name: "lisez-moi.js", ContentType: "text/plain", ContentBase64: b64(text)}},
			"attachments[0].name", "executable"},
		{"an executable's type", []Attachment{{Name: "ok.txt", ContentBase64: b64(text)},
			{Name: "setup", ContentType: "application/x-msdownload", ContentBase64: b64(text)}},
			"attachments[1].content_type", "executable"},
		{"a PDF declared as an image", []Attachment{{Name: "ok.txt", ContentBase64: b64(text)},
			{Name: "photo.png", ContentType: "image/png", ContentBase64: b64(pdf)}}, "attachments[1].content_type",
			"declared image/png but the content is application/pdf"},
		{"an image declared as text", []Attachment{{Name: "photo.txt", ContentType: "text/plain", ContentBase64: b64(png)}},
			"attachments[0].content_type", "the content is image/png"},
		{"a bad media type", []Attachment{{Name: "a", ContentType: "pdf", ContentBase64: b64(pdf)}},
			"attachments[0].content_type", "not a media type"},
		{"a name of nothing", []Attachment{{Name: "../", ContentBase64: b64(text)}}, "attachments[0].name", "required"},
		{"a Word file", []Attachment{{Name: "contrat.docx",
			ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ContentBase64: b64(zip)}}, "", ""},
		{"a CSV", []Attachment{{Name: "releve.csv", ContentType: "text/csv; charset=UTF-8", ContentBase64: b64(text)}}, "", ""},
		{"an Outlook message sniffing cannot name", []Attachment{{Name: "msg.msg", ContentType: "application/vnd.ms-outlook",
			ContentBase64: b64([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"))}}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := core.Fields{}
			files := checkAttachments(c.files, f)
			if c.field == "" {
				if len(f) > 0 || len(files) != len(c.files) {
					t.Fatalf("refused: %v", f)
				}
				return
			}
			if why, ok := f[c.field]; !ok || !strings.Contains(why.English(), c.why) {
				t.Errorf("fields %v, want %s: …%s…", f, c.field, c.why)
			}
		})
	}
}

// TestIngestStoresAttachmentsWithTheInteractionOnce: in the interaction's
// transaction, not again for a duplicate; an item with a bad file is
// rejected alone.
func TestIngestStoresAttachmentsWithTheInteractionOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		mail := Item{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00Z", From: "helene@example.fr", Subject: "Mon relevé",
			Attachments: []Attachment{{Name: "releve.pdf", ContentType: "application/pdf", ContentBase64: b64(pdf)},
				{Name: "logo.png", ContentBase64: b64(png), Inline: true}}}
		bad := Item{Source: "agent_mailbox", ExternalID: "m2", Channel: "email", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00Z", From: "helene@example.fr", Subject: "Virus",
			Attachments: []Attachment{{Name: "ok.pdf", ContentBase64: b64(pdf)}, {Name: "facture.exe", ContentBase64: b64(exe)}}}
		res, err := f.store.Ingest(ctx, f.integration, []Item{mail, bad, mail})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Status != Stored || res[1].Status != Rejected || res[2].Status != Duplicate {
			t.Fatalf("statuses %+v", res)
		}
		if !strings.Contains(res[1].Reason, "attachments[1].content_base64: an executable program") {
			t.Errorf("rejection %q does not name the file", res[1].Reason)
		}
		again, err := f.store.Ingest(ctx, f.integration, []Item{mail})
		if err != nil || again[0].Status != Duplicate {
			t.Fatalf("second send: %+v %v", again, err)
		}
		rows, err := d.Query(ctx, `SELECT interaction_id, position, name, content_type, size, inline, content, sha256
			FROM interaction_attachments ORDER BY position`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id, name, ct string
			var pos, size int
			var inline bool
			var content []byte
			var hash string
			if err := rows.Scan(&id, &pos, &name, &ct, &size, &inline, &content, &hash); err != nil {
				t.Fatal(err)
			}
			if id != res[0].InteractionID {
				t.Errorf("file %s belongs to %s", name, id)
			}
			got = append(got, fmt.Sprint(pos, name, ct, size, inline, len(content), hash))
		}
		want := []string{fmt.Sprint(0, "releve.pdf", "application/pdf", len(pdf), false, 0, sha(pdf)),
			fmt.Sprint(1, "logo.png", "image/png", len(png), true, 0, sha(png))}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stored files %v, want %v", got, want)
		}
	})
}

// TestIngestStoresEveryLargeFileOfABatch: 42 MiB of files in one batch
// all arrive, each whole.
func TestIngestStoresEveryLargeFileOfABatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		var items []Item
		for i := range 3 {
			content := b64(append([]byte(fmt.Sprintf("%%PDF-1.4\n%d", i)), bytes.Repeat([]byte{0}, 7<<20)...))
			items = append(items, Item{Source: "letter", ExternalID: fmt.Sprint("scan", i), Channel: "letter",
				Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z", PartyID: f.helene.ID, LetterType: "PND",
				Attachments: []Attachment{{Name: "page1.pdf", ContentBase64: content}, {Name: "page2.pdf", ContentBase64: content}}})
		}
		res, err := f.store.Ingest(ctx, f.integration, items)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != Stored {
				t.Fatalf("%+v", r)
			}
		}
		var n int
		var total int64
		if err := d.QueryRow(ctx, "SELECT COUNT(*), SUM(size) FROM interaction_attachments").Scan(&n, &total); err != nil || n != 6 || total != 6*(7<<20+10) {
			t.Errorf("%d files, %d bytes (%v); want 6 of 7 MiB", n, total, err)
		}
		if files := storedFiles(t, f.store); len(files) != 3 {
			t.Errorf("%d files in the store, want 3 (each item's two pages are the same content)", len(files))
		}
	})
}
