package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// storedFiles lists the hashes of the files in the store, sorted.
func storedFiles(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	if err := s.files.List(context.Background(), func(f blob.Info) error { out = append(out, f.Hash); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// onDisk reports whether the file of content is in the store's directory.
func onDisk(t *testing.T, dir string, content []byte) bool {
	t.Helper()
	h := sha(content)
	_, err := os.Stat(filepath.Join(dir, h[:2], h[2:4], h))
	return err == nil
}

// attachmentIDs returns the ids of an interaction's files in their order.
func attachmentIDs(t *testing.T, d *db.DB, interactionID string) []string {
	t.Helper()
	list, err := attachmentsOf(context.Background(), d, interactionID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}

// download reads a file as the whole bank's reader.
func download(t *testing.T, s *Store, interactionID, attachmentID string) []byte {
	t.Helper()
	reader := &core.Actor{Login: "siege", Permissions: []core.Permission{core.PermHistoryRead}, Scope: core.Scope{All: true}}
	f, err := s.AttachmentFile(context.Background(), reader, interactionID, attachmentID)
	if err != nil {
		t.Fatalf("download %s: %v", attachmentID, err)
	}
	return f.Content
}

// TestAnUploadedFileIsOnDiskNotInTheDatabase: the row keeps what the file
// is and its hash; the content is one file on disk, shared by every
// attachment of the same content, and downloads as sent.
func TestAnUploadedFileIsOnDiskNotInTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		item := func(id string) Item {
			return Item{Source: "agent_mailbox", ExternalID: id, Channel: "email", Direction: "inbound",
				OccurredAt: "2026-11-20T10:00:00Z", From: "helene@example.fr", Subject: "Mon relevé",
				Attachments: []Attachment{{Name: "releve.pdf", ContentType: "application/pdf", ContentBase64: b64(pdf)}}}
		}
		res, err := f.store.Ingest(ctx, f.integration, []Item{item("m1"), item("m2")})
		if err != nil || res[0].Status != Stored || res[1].Status != Stored {
			t.Fatalf("%+v %v", res, err)
		}
		var inDB int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interaction_attachments WHERE content IS NOT NULL OR sha256 <> ?",
			sha(pdf)).Scan(&inDB); err != nil || inDB != 0 {
			t.Errorf("%d attachments hold their content or another hash (%v)", inDB, err)
		}
		if !onDisk(t, f.filesDir, pdf) || !slices.Equal(storedFiles(t, f.store), []string{sha(pdf)}) {
			t.Errorf("files %v, want the PDF once, on disk", storedFiles(t, f.store))
		}
		for _, r := range res {
			if got := download(t, f.store, r.InteractionID, attachmentIDs(t, d, r.InteractionID)[0]); !bytes.Equal(got, pdf) {
				t.Errorf("downloaded %q", got)
			}
		}
	})
}

// TestAFileMissingFromTheStoreIsAnInternalError: the database and the
// store disagree; the reader is not told the file does not exist.
func TestAFileMissingFromTheStoreIsAnInternalError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		res, err := f.store.Ingest(ctx, f.integration, []Item{{Source: "letter", ExternalID: "l1", Channel: "letter",
			Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z", PartyID: f.helene.ID, LetterType: "PND",
			Attachments: []Attachment{{Name: "scan.pdf", ContentBase64: b64(pdf)}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.files.Delete(ctx, sha(pdf)); err != nil {
			t.Fatal(err)
		}
		id := res[0].InteractionID
		_, err = f.store.AttachmentFile(ctx, f.readOnly, id, attachmentIDs(t, d, id)[0])
		if core.ErrorCode(err) != core.Internal {
			t.Errorf("a missing file answers %v", err)
		}
	})
}

// TestRetentionDeletesAPurgedFileUnlessAnotherAttachmentHoldsIt: the same
// logo in two mails is one file, kept while one of them keeps it.
func TestRetentionDeletesAPurgedFileUnlessAnotherAttachmentHoldsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		withFiles := func(id string) Item {
			m := mail("agent_mailbox", id)
			m.Attachments = []Attachment{{Name: "logo.png", ContentBase64: b64(png), Inline: true},
				{Name: "releve-" + id + ".pdf", ContentBase64: b64(append(slices.Clone(pdf), id...))}}
			return m
		}
		f.push(t, f.integration, withFiles("old"))
		f.clock.Advance(30 * day)
		recent := f.push(t, f.integration, withFiles("recent"))["recent"]
		oldPDF, recentPDF := append(slices.Clone(pdf), "old"...), append(slices.Clone(pdf), "recent"...)
		if len(storedFiles(t, f.store)) != 3 {
			t.Fatalf("files %v, want the logo and two PDFs", storedFiles(t, f.store))
		}

		// Day 61: the old mail's inline logo is purged, but the recent one holds it.
		f.clock.Advance(31 * day)
		if run := f.retain(t); run.Purged.Kind(PurgedInlineImages) != 1 {
			t.Fatalf("day 61 purged %v", run.Purged)
		}
		if !onDisk(t, f.filesDir, png) || !onDisk(t, f.filesDir, oldPDF) {
			t.Error("a file still held was deleted")
		}
		// Day 91: the recent mail's logo is purged too; nothing holds the file.
		f.clock.Advance(30 * day)
		if run := f.retain(t); run.Purged.Kind(PurgedInlineImages) != 1 {
			t.Fatalf("day 91 purged %v", run.Purged)
		}
		if onDisk(t, f.filesDir, png) {
			t.Error("the logo's file outlived every attachment holding it")
		}
		// Day 366: the old mail is deleted with its PDF's file; the recent one keeps its own.
		f.clock.Advance(275 * day)
		if run := f.retain(t); run.Purged.Kind(PurgedInteractions) != 1 {
			t.Fatalf("day 366 purged %v", run.Purged)
		}
		if onDisk(t, f.filesDir, oldPDF) || !onDisk(t, f.filesDir, recentPDF) {
			t.Errorf("after the old mail's deletion: old PDF on disk %v, recent PDF on disk %v",
				onDisk(t, f.filesDir, oldPDF), onDisk(t, f.filesDir, recentPDF))
		}
		if got := download(t, f.store, recent, attachmentIDs(t, d, recent)[1]); !bytes.Equal(got, recentPDF) {
			t.Errorf("the recent PDF downloads as %q", got)
		}
	})
}

// TestTheCollectorRemovesOrphanFilesButNotFreshOnes: a file nothing holds
// is collected once FileGrace has passed since it was put, not before (its
// row may be about to commit); a file an attachment holds never is.
func TestTheCollectorRemovesOrphanFilesButNotFreshOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		held := withAttachment(mail("agent_mailbox", "m1"), "releve.pdf", pdf)
		f.push(t, f.integration, held)
		orphan := []byte("a file whose transaction rolled back")
		if _, err := f.store.files.Put(ctx, bytes.NewReader(orphan)); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(FileGrace + time.Minute)
		fresh := []byte("a file whose row is being written")
		if _, err := f.store.files.Put(ctx, bytes.NewReader(fresh)); err != nil {
			t.Fatal(err)
		}
		n, err := f.store.CollectFiles(ctx)
		if err != nil || n != 1 {
			t.Fatalf("collected %d (%v), want 1", n, err)
		}
		if onDisk(t, f.filesDir, orphan) || !onDisk(t, f.filesDir, fresh) || !onDisk(t, f.filesDir, pdf) {
			t.Errorf("after collection: orphan %v, fresh %v, held %v; want false, true, true",
				onDisk(t, f.filesDir, orphan), onDisk(t, f.filesDir, fresh), onDisk(t, f.filesDir, pdf))
		}
		f.clock.Advance(FileGrace + time.Minute)
		if n, err := f.store.CollectFiles(ctx); err != nil || n != 1 || onDisk(t, f.filesDir, fresh) {
			t.Errorf("a day later collected %d (%v); the unheld file should go", n, err)
		}
	})
}

func withAttachment(it Item, name string, content []byte) Item {
	it.Attachments = append(it.Attachments, Attachment{Name: name, ContentBase64: b64(content)})
	return it
}

// TestAttachmentsStoredInTheDatabaseAreMovedToFiles: rows written before
// the file store (content in the database) download as before, are moved
// by MoveAttachmentsToFiles and still download; a second run finds nothing
// to do, and purged rows are left alone.
func TestAttachmentsStoredInTheDatabaseAreMovedToFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		id := f.push(t, f.integration, mail("agent_mailbox", "m1"))["m1"]
		contents := [][]byte{pdf, png, pdf, []byte("notes")}
		for pos, c := range contents {
			if _, err := d.Exec(ctx, `INSERT INTO interaction_attachments (id, interaction_id, position, name,
				content_type, size, inline, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, core.NewID(), id, pos,
				"file", "application/octet-stream", len(c), false, c); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.Exec(ctx, `INSERT INTO interaction_attachments (id, interaction_id, position, name,
			content_type, size, inline, purged_at) VALUES (?, ?, 9, 'purged', 'image/png', 3, TRUE, 1)`, core.NewID(), id); err != nil {
			t.Fatal(err)
		}
		ids := attachmentIDs(t, d, id)[:len(contents)]
		if got := download(t, f.store, id, ids[1]); !bytes.Equal(got, png) {
			t.Errorf("a file not moved yet downloads as %q", got)
		}
		// A crash put the first file without recording it: the step starts again.
		if _, err := f.store.files.Put(ctx, bytes.NewReader(pdf)); err != nil {
			t.Fatal(err)
		}
		moved, err := f.store.MoveAttachmentsToFiles(ctx)
		if err != nil || moved != 4 {
			t.Fatalf("moved %d (%v), want 4", moved, err)
		}
		if again, err := f.store.MoveAttachmentsToFiles(ctx); err != nil || again != 0 {
			t.Errorf("a second run moved %d (%v)", again, err)
		}
		var inDB, hashed int
		if err := d.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN content IS NOT NULL THEN 1 ELSE 0 END), 0),
			COUNT(sha256) FROM interaction_attachments`).Scan(&inDB, &hashed); err != nil || inDB != 0 || hashed != 4 {
			t.Errorf("%d rows hold content, %d a hash (%v); want 0 and 4", inDB, hashed, err)
		}
		if got := storedFiles(t, f.store); len(got) != 3 {
			t.Errorf("files %v, want 3 (the PDF once)", got)
		}
		for i, c := range contents {
			if got := download(t, f.store, id, ids[i]); !bytes.Equal(got, c) {
				t.Errorf("file %d downloads as %q, want %q", i, got, c)
			}
		}
	})
}

// TestFileQueriesReadIndexes checks on each engine that the start-up move
// and the collector's reference check read their partial indexes, not the
// whole attachments table.
func TestFileQueriesReadIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for q, index := range map[string]string{
			inDBQuery:                           "interaction_attachments_in_db",
			fmt.Sprintf(heldQueries[0], "?, ?"): "interaction_attachments_file",
			fmt.Sprintf(heldQueries[1], "?, ?"): "desk_message_files_hash",
			fmt.Sprintf(heldQueries[2], "?, ?"): "desk_mail_keys_raw",
			fmt.Sprintf(heldQueries[3], "?, ?"): "desk_messages_raw",
		} {
			plan := queryPlan(t, d, q, "a", "b")
			if !strings.Contains(plan, index) {
				t.Errorf("%s\ndoes not read %s:\n%s", q, index, plan)
			}
		}
	})
}

// queryPlan returns the engine's plan of query, read as on tables of
// millions of rows (PostgreSQL would rightly read empty ones whole).
func queryPlan(t *testing.T, d *db.DB, query string, args ...any) string {
	t.Helper()
	n := strings.Count(query, "?")
	var plan []string
	err := d.WithTx(context.Background(), func(tx *db.Tx) error {
		ctx := context.Background()
		explain := "EXPLAIN QUERY PLAN "
		if d.Dialect() == db.Postgres {
			explain = "EXPLAIN "
			if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, explain+query, args[:n]...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return strings.Join(plan, "\n")
}
