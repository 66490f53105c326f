package desk_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail"
)

func TestAnEmailWeWriteFirstLeavesThroughTheDeskAndTheAnswerThreadsIntoIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		r, err := f.Desk.OpenOutbound(f.ctx, f.Adv1, desk.NewOutbound{PartyID: f.P1.ID, Name: "Hélène Dupré",
			To: "Helene.Dupre@example.fr", Subject: "Votre dossier C-000001",
			Body: "Bonjour Madame,\n\nVotre dossier est à l'étude.\nNous revenons vers vous."})
		if err != nil {
			t.Fatal(err)
		}
		if r.Channel != desk.ChannelEmail || r.Status != desk.StatusWaiting || r.PartyID != f.P1.ID ||
			r.CustomerEmail != "helene.dupre@example.fr" || r.Assignee == nil || r.Assignee.Login != "adv1" {
			t.Fatalf("request %+v: want an email request of Hélène Dupré waiting for her, assigned to adv1", r)
		}
		th, err := f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Messages) != 1 || th.Messages[0].Kind != desk.KindOutbound || th.Messages[0].Status != desk.SendQueued {
			t.Fatalf("thread %+v: want one outbound message, queued", th.Messages)
		}

		f.runJobs(t)
		sent, err := f.Mail.WaitSent(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := mail.Parse(sent[0].Raw)
		if sent[0].To[0] != "helene.dupre@example.fr" || !strings.Contains(out.Subject, "[#"+r.Reference+"]") ||
			!strings.Contains(out.Text, "Votre dossier est à l'étude.") || !strings.Contains(out.Text, "01 23 45 67 89") {
			t.Fatalf("sent to %v subject %q text %q", sent[0].To, out.Subject, out.Text)
		}

		f.deliver(t, customerMail("helene.dupre@example.fr", "c9@example.fr", "Re: "+out.Subject, "Merci, j'attends.",
			"In-Reply-To: <"+out.MessageID+">"))
		f.fetch(t)
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 1 {
			t.Fatalf("%d requests after the customer's answer, want 1", n)
		}
		th, _ = f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		if len(th.Messages) != 2 || th.Messages[0].Status != desk.SendSent || th.Messages[1].FromEmail != "helene.dupre@example.fr" {
			t.Fatalf("thread after the answer: %d messages, %+v", len(th.Messages), th.Messages)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'request.open_outbound' AND object_id = ?", r.ID); n != 1 {
			t.Errorf("%d request.open_outbound audit entries, want 1", n)
		}
	})
}

func TestAnEmailWeWriteFirstNeedsAnAddressAndTheRightToReply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.Desk.OpenOutbound(f.ctx, f.Adv1, desk.NewOutbound{PartyID: f.P1.ID, Subject: "Dossier", Body: "Bonjour"})
		if e, ok := err.(*core.Error); !ok || e.Fields["to"].Code != "no_customer_email" {
			t.Errorf("without an address: %v, want to: no_customer_email", err)
		}
		_, err = f.Desk.OpenOutbound(f.ctx, f.Adv1, desk.NewOutbound{To: "not an address", Subject: "Dossier", Body: "Bonjour"})
		if e, ok := err.(*core.Error); !ok || e.Fields["to"].Code != "email" {
			t.Errorf("with a bad address: %v, want to: email", err)
		}
		if _, err := f.Desk.OpenOutbound(f.ctx, f.Viewer, desk.NewOutbound{To: "a@example.fr", Subject: "Dossier", Body: "Bonjour"}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("a viewer writing: %v, want forbidden", err)
		}
		if _, err := f.Desk.OpenOutbound(f.ctx, f.Adv1, desk.NewOutbound{PartyID: f.P2.ID, To: "zoe.lefevre@example.fr", Subject: "Dossier", Body: "Bonjour"}); err == nil {
			t.Error("writing to a party of another agency was accepted")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 0 {
			t.Errorf("%d requests after refusals, want none", n)
		}
	})
}
