package cases_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
)

func TestPlaceholdersAreFilledAndUnknownOnesLeftEmpty(t *testing.T) {
	data := map[string]string{"party.name": "Hélène Dupré", "case.reference": "C-000001", "field.amount": "12.50"}
	for _, tc := range []struct{ tmpl, want string }{
		{"Bonjour {{party.name}},", "Bonjour Hélène Dupré,"},
		{"Dossier {{ case.reference }} : {{field.amount}} €", "Dossier C-000001 : 12.50 €"},
		{"{{field.missing}}|{{nothing}}", "|"},
		{"{{party.name", "{{party.name"},
		{"{{<b>}}", "{{<b>}}"},
	} {
		if got := cases.Fill(tc.tmpl, data); got != tc.want {
			t.Errorf("Fill(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
}

// addAddress gives the party a postal address.
func (f *procFixture) addAddress(t *testing.T, partyID string) {
	t.Helper()
	if _, err := f.DB.Exec(f.ctx, `INSERT INTO party_addresses (id, party_id, line1, postal_code, city, city_folded, country)
		VALUES (?, ?, '8 allée des Érables', '69003', 'Lyon', 'lyon', 'FR')`, core.NewID(), partyID); err != nil {
		t.Fatal(err)
	}
}

// pdfText reads a PDF's text back.
func pdfText(t *testing.T, raw []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the letter is not a readable PDF: %v", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestALetterStepAddsAReadablePDFToTheCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		f.addAddress(t, f.P1.ID)
		id := f.newCase(t, f.A1, f.P1.ID, "analysis")
		res, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "answer", map[string]string{"decision": "accepted", "amount": "12,50"}, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Elements) != 1 || res.Elements[0].Kind != cases.ElementLetter || res.Elements[0].ID == "" {
			t.Fatalf("elements %+v, want one letter", res.Elements)
		}
		var hash, name, ctype, step string
		var size int64
		if err := f.DB.QueryRow(f.ctx, `SELECT file_hash, file_name, content_type, size, step FROM case_elements
			WHERE case_id = ? AND kind = 'letter'`, id).Scan(&hash, &name, &ctype, &size, &step); err != nil {
			t.Fatal(err)
		}
		if ctype != "application/pdf" || !strings.HasSuffix(name, ".pdf") || size == 0 || step != "answer" {
			t.Errorf("letter element %s %s %d %s", name, ctype, size, step)
		}
		if st, closed := f.status(t, id); st != "answered" || !closed {
			t.Errorf("case is %s (closed %v), want answered and closed", st, closed)
		}
		// The file collector keeps the letter a day later.
		f.App.App.Clock.(*core.FixedClock).Advance(48 * time.Hour)
		if _, err := f.History.CollectFiles(f.ctx); err != nil {
			t.Fatal(err)
		}
		rc, err := f.App.App.Files.Open(f.ctx, hash)
		if err != nil {
			t.Fatalf("the letter's file is gone: %v", err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		text := pdfText(t, raw)
		for _, want := range []string{"Hélène Dupré", "8 allée des Érables", "69003 LYON", "Votre réclamation C-T00001",
			"décision accepted", "12.50", "Hugo Conseiller", "Paris Opéra"} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter lacks %q:\n%s", want, text)
			}
		}
	})
}

func TestALetterNeedsThePartysPostalAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "analysis")
		_, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "answer", map[string]string{"decision": "refused"}, "fr")
		if code, why := reasonOf(err, "party_id"); code != core.Invalid || why != "no_postal_address" {
			t.Errorf("letter without an address = %v, want party_id: no_postal_address", err)
		}
		if st, _ := f.status(t, id); st != "analysis" {
			t.Errorf("case is %s, want still analysis", st)
		}
	})
}

// withMailbox gives agency A1 a mailbox on an in-process mail server.
func (f *procFixture) withMailbox(t *testing.T) *devmail.Server {
	t.Helper()
	srv, err := devmail.Start(devmail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	const address = "agence.opera@banque.test"
	srv.AddUser(address)
	hp := func(addr string) (string, int) {
		h, p, _ := net.SplitHostPort(addr)
		n, _ := strconv.Atoi(p)
		return h, n
	}
	ih, ip := hp(srv.IMAPAddr())
	sh, sp := hp(srv.SMTPAddr())
	if _, err := f.App.App.Desk.SaveMailbox(f.ctx, core.System(), desk.Mailbox{UnitID: f.A1, Address: address, Name: "Agence Paris Opéra",
		IMAP: desk.IMAPSettings{Host: ih, Port: ip, Security: "none", Login: address, Password: "demo"},
		SMTP: desk.SMTPSettings{Host: sh, Port: sp, Security: "none"}}); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestAnEmailStepSendsTheEmailThroughTheDesk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		srv := f.withMailbox(t)
		id := f.newCase(t, f.A1, f.P1.ID, "received")
		res, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "notify", map[string]string{"note": "Réponse sous huit jours."}, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Elements) != 1 || res.Elements[0].Kind != cases.ElementEmail || res.Elements[0].RefID == "" {
			t.Fatalf("elements %+v, want one email with its request", res.Elements)
		}
		reqID := res.Elements[0].RefID
		if n := f.count(t, `SELECT COUNT(*) FROM case_elements WHERE case_id = ? AND kind = 'email' AND ref_id = ?`, id, reqID); n != 1 {
			t.Errorf("%d email elements naming the request, want 1", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM desk_messages m JOIN desk_requests r ON r.id = m.request_id
			WHERE r.id = ? AND r.party_id = ? AND m.kind = 'outbound' AND m.status = 'queued'`, reqID, f.P1.ID); n != 1 {
			t.Fatalf("%d queued outbound messages in the request, want 1", n)
		}
		if _, err := f.App.App.Jobs.RunDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(f.ctx, 10*time.Second)
		defer cancel()
		sent, err := srv.WaitSent(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := mail.Parse(sent[0].Raw)
		if sent[0].To[0] != "helene.dupre@example.fr" || !strings.Contains(out.Subject, "Votre dossier C-T00001") ||
			!strings.Contains(out.Text, "Bonjour Hélène Dupré") || !strings.Contains(out.Text, "Réponse sous huit jours.") {
			t.Errorf("sent to %v: %q %q", sent[0].To, out.Subject, out.Text)
		}
	})
}

func TestAnEmailStepNeedsTheCustomersEmailAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		f.withMailbox(t)
		if _, err := f.DB.Exec(f.ctx, "DELETE FROM party_emails WHERE party_id = ?", f.P1.ID); err != nil {
			t.Fatal(err)
		}
		id := f.newCase(t, f.A1, f.P1.ID, "received")
		_, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "notify", nil, "fr")
		if code, why := reasonOf(err, "to"); code != core.Invalid || why != "no_customer_email" {
			t.Errorf("email without an address = %v, want to: no_customer_email", err)
		}
		if st, _ := f.status(t, id); st != "received" {
			t.Errorf("case is %s, want still received", st)
		}
	})
}
