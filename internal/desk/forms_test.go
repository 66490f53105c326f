package desk_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// deskFixture is the test organisation with a web form "contact" of
// agency A1 and, when asked, a mailbox of the establishment.
type deskFixture struct {
	app  *webtest.App
	desk *desk.Store
	form desk.Form
}

func newDeskFixture(t *testing.T, d *db.DB, withMailbox bool) deskFixture {
	t.Helper()
	ctx := context.Background()
	app := webtest.New(t, d)
	s := app.App.Desk
	sys := core.System()
	if withMailbox {
		br, err := app.Orgs.UnitByCode(ctx, "BR")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveMailbox(ctx, sys, desk.Mailbox{UnitID: br.ID, Address: "contact@banque.example", Name: "Banque Rapport",
			IMAP: desk.IMAPSettings{Host: "imap.banque.example", Port: 993, Security: "tls", Login: "contact", Password: "secret-1"},
			SMTP: desk.SMTPSettings{Host: "smtp.banque.example", Port: 465, Security: "tls", Login: "contact", Password: "secret-2"},
		}); err != nil {
			t.Fatalf("mailbox: %v", err)
		}
	}
	form, err := s.SaveForm(ctx, sys, desk.Form{Code: "contact", UnitCode: "A1", Name: "Nous contacter",
		Confirmation: "Merci, nous vous répondons sous 48 heures.", Fields: []string{"phone", "attachments"}, Active: true})
	if err != nil {
		t.Fatalf("form: %v", err)
	}
	return deskFixture{app: app, desk: s, form: form}
}

func (f deskFixture) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	ctx := context.Background()
	a, err := f.app.Orgs.Agent(ctx, core.System(), login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := f.app.Orgs.Actor(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

func validSubmission() desk.Submission {
	return desk.Submission{Name: "H. Dupre", Email: "Helene.Dupre@example.fr", Phone: "06 12 34 56 78",
		Subject: "Carte bloquée", Message: "Ma carte est bloquée depuis ce matin.",
		Files: []desk.Upload{{Name: "releve.txt", ContentType: "text/plain", Data: []byte("relevé de compte")}}}
}

func TestAWebFormSubmissionIsARequestWithTheTypedNameAndAnAutomaticAcknowledgement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, true)
		ctx := context.Background()
		req, err := f.desk.Submit(ctx, "contact", validSubmission())
		if err != nil {
			t.Fatal(err)
		}
		adv := f.actor(t, "adv1")
		got, err := f.desk.Get(ctx, adv, req.ID)
		if err != nil {
			t.Fatalf("the agency's advisor reads the request: %v", err)
		}
		if got.Channel != desk.ChannelWebForm || got.FormID != f.form.ID || got.CustomerName != "H. Dupre" ||
			got.CustomerEmail != "helene.dupre@example.fr" || got.CustomerPhone != "06 12 34 56 78" || got.Subject != "Carte bloquée" {
			t.Errorf("request = %+v", got)
		}
		if got.PartyID != f.app.P1.ID {
			t.Errorf("linked to party %q, want Hélène Dupré (%s) by her email", got.PartyID, f.app.P1.ID)
		}
		if got.FirstResponseAt != nil || got.Status != desk.StatusNew {
			t.Errorf("the acknowledgement counted as a response: status %s, first response %v", got.Status, got.FirstResponseAt)
		}
		th, err := f.desk.Thread(ctx, adv, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Messages) != 2 {
			t.Fatalf("thread has %d messages, want the customer's and the acknowledgement", len(th.Messages))
		}
		in, ack := th.Messages[0], th.Messages[1]
		if in.Kind != desk.KindInbound || in.Text != "Ma carte est bloquée depuis ce matin." || len(in.Files) != 1 {
			t.Errorf("customer's message = %+v", in)
		}
		if ack.Kind != desk.KindOutbound || !slices.Contains(ack.Flags, desk.FlagAutomatic) || ack.Status != desk.SendQueued ||
			!slices.Equal(ack.To, []string{"helene.dupre@example.fr"}) || ack.FromEmail != "contact@banque.example" {
			t.Errorf("acknowledgement = %+v", ack)
		}
		if !strings.Contains(ack.HTML, "48 heures") || !strings.Contains(ack.HTML, got.Reference) ||
			!strings.Contains(ack.Subject, "[#"+got.Reference+"]") {
			t.Errorf("acknowledgement says %q / %q", ack.Subject, ack.HTML)
		}
	})
}

func TestWithoutAMailboxTheSubmissionIsRecordedUnacknowledged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, false)
		ctx := context.Background()
		forms, err := f.desk.Forms(ctx, core.System())
		if err != nil || len(forms) != 1 || forms[0].Mailbox != "" || forms[0].UnitName != "Paris Opéra" {
			t.Fatalf("forms = %+v, %v", forms, err)
		}
		sub := validSubmission()
		sub.Email = "jean.martin@example.fr"
		req, err := f.desk.Submit(ctx, "contact", sub)
		if err != nil {
			t.Fatal(err)
		}
		th, err := f.desk.Thread(ctx, core.System(), req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Messages) != 1 || req.PartyID != "" {
			t.Errorf("%d messages, party %q: want the customer's message alone and no party", len(th.Messages), req.PartyID)
		}
	})
}

func TestHostileSubmissionFieldsAreRefusedEachByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, true)
		ctx := context.Background()
		set := map[string]func(*desk.Submission, string){
			"name": func(s *desk.Submission, v string) { s.Name = v }, "email": func(s *desk.Submission, v string) { s.Email = v },
			"phone":   func(s *desk.Submission, v string) { s.Phone = v },
			"subject": func(s *desk.Submission, v string) { s.Subject = v },
			"message": func(s *desk.Submission, v string) { s.Message = v },
		}
		for field, put := range set {
			for bad, want := range map[string]string{"a\x00b": "nul_byte", "caf\xe9": "invalid_utf8",
				strings.Repeat("é", desk.MaxFormMessage+1): "too_long"} {
				sub := validSubmission()
				put(&sub, bad)
				_, err := f.desk.Submit(ctx, "contact", sub)
				var e *core.Error
				if !asError(err, &e) || e.Code != core.Invalid || e.Fields[field].Code != want && !(field == "email" && e.Fields[field].Code != "") {
					t.Errorf("%s %q: %v", field, want, err)
				}
			}
		}
		sub := validSubmission()
		sub.Email = "pas une adresse"
		sub.Name = ""
		_, err := f.desk.Submit(ctx, "contact", sub)
		if f := fieldsOf(err); f["email"].Code != "email" || f["name"].Code != "required_up_to" {
			t.Errorf("bad email and no name: %v", err)
		}
		sub = validSubmission()
		sub.Files = []desk.Upload{{Name: "setup.exe", ContentType: "application/octet-stream", Data: []byte("MZ\x90\x00binary")}}
		if f := fieldsOf(err2(f.desk.Submit(ctx, "contact", sub))); len(f) == 0 {
			t.Errorf("a program was accepted")
		}
		page, err := f.desk.List(ctx, core.System(), desk.Filter{View: "all"})
		if err != nil || len(page.Requests) != 0 {
			t.Errorf("refused submissions left %d requests (%v)", len(page.Requests), err)
		}
	})
}

func TestAFormCodeIsTwoToFortyLowerCaseLettersDigitsOrDashes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, false)
		ctx := context.Background()
		for code, ok := range map[string]bool{"reclamations": true, "sav-2026": true, "a": false, "Contact": false,
			"con tact": false, "contact_us": false, strings.Repeat("x", 41): false, "contact": false /* taken */} {
			_, err := f.desk.SaveForm(ctx, core.System(), desk.Form{Code: code, UnitCode: "A2", Name: "Formulaire",
				Confirmation: "Merci.", Active: true})
			if (err == nil) != ok {
				t.Errorf("code %q: %v", code, err)
			}
		}
		if _, err := f.desk.SaveForm(ctx, f.actor(t, "adv1"), desk.Form{Code: "autre", UnitCode: "A1", Name: "x",
			Confirmation: "y"}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor saved a form: %v", err)
		}
	})
}

func TestADeactivatedFormTakesNoSubmission(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, true)
		ctx := context.Background()
		form := f.form
		form.Active = false
		if _, err := f.desk.SaveForm(ctx, core.System(), form); err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.FormByCode(ctx, "contact"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("FormByCode: %v", err)
		}
		if _, err := f.desk.Submit(ctx, "contact", validSubmission()); core.ErrorCode(err) != core.NotFound {
			t.Errorf("Submit: %v", err)
		}
	})
}
