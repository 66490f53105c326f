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

// The acknowledgement of a web form leaves through the unit's mailbox as
// automatic mail, without the agents' signature; the customer's answer to
// it joins the same request; the first response is still awaited.
func TestTheAcknowledgementLeavesAsAutomaticMailAndTheAnswerJoinsTheRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Desk.SaveForm(f.ctx, core.System(), desk.Form{Code: "contact", UnitCode: "A1", Name: "Nous contacter",
			Confirmation: "Merci, nous vous répondons sous 48 heures.", Active: true}); err != nil {
			t.Fatal(err)
		}
		req, err := f.Desk.Submit(f.ctx, "contact", desk.Submission{Name: "Jean Martin", Email: "jean.martin@example.fr",
			Subject: "Carte bloquée", Message: "Ma carte est bloquée."})
		if err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		sent, err := f.Mail.WaitSent(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		ack := mail.Parse(sent[0].Raw)
		if !ack.Auto || sent[0].To[0] != "jean.martin@example.fr" || !strings.Contains(ack.Subject, "[#"+req.Reference+"]") ||
			!strings.Contains(ack.Text, "48 heures") || !strings.Contains(ack.Text, req.Reference) || strings.Contains(ack.Text, "01 23 45 67 89") {
			t.Fatalf("acknowledgement: auto %v to %v subject %q text %q", ack.Auto, sent[0].To, ack.Subject, ack.Text)
		}
		f.deliver(t, customerMail("jean.martin@example.fr", "j2@example.fr", "Re: "+ack.Subject, "J'ajoute mon numéro de carte.",
			"In-Reply-To: <"+ack.MessageID+">"))
		f.fetch(t)
		got, err := f.Desk.Get(f.ctx, f.Adv1, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		th, err := f.Desk.Thread(f.ctx, f.Adv1, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Messages) != 3 || got.FirstResponseAt != nil || got.Unread != 2 {
			t.Errorf("%d messages, first response %v, unread %d: want the answer in the request, no response yet, both customer messages unread",
				len(th.Messages), got.FirstResponseAt, got.Unread)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 1 {
			t.Errorf("%d requests, want the answer threaded into the first", n)
		}
	})
}
