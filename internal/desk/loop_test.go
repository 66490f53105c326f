package desk_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/mail"
)

// TestMailLoop drives the whole loop through real IMAP and SMTP servers:
// a customer's mail opens a request linked to its party, the reply leaves
// with the thread's headers, the customer's answer joins the request, a
// stranger's is flagged, a solicited expert's reply joins its thread, a
// bounce marks the reply it reports, an auto-reply opens nothing.
func TestMailLoop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.deliver(t, customerMail("Hélène Dupré <helene.dupre@example.fr>", "c1@example.fr", "Carte bloquée", "Ma carte est bloquée depuis ce matin."))
		f.fetch(t)
		page, err := f.Desk.List(f.ctx, f.Adv1, desk.Filter{View: desk.ViewOpen})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Requests) != 1 {
			t.Fatalf("%d requests after one mail, want 1", len(page.Requests))
		}
		r := page.Requests[0]
		if r.Channel != "email" || r.Subject != "Carte bloquée" || r.PartyID != f.P1.ID || r.Unread != 1 || r.Status != desk.StatusNew {
			t.Fatalf("request %+v: want an email request linked to Hélène Dupré, unread, new", r)
		}

		// The reply leaves with our token, the thread and the tag.
		msg, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "<p>Bonjour Madame, nous débloquons votre carte.</p>"})
		if err != nil {
			t.Fatal(err)
		}
		if msg.Status != desk.SendQueued {
			t.Fatalf("reply status %q, want queued", msg.Status)
		}
		f.runJobs(t)
		sent, err := f.Mail.WaitSent(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := mail.Parse(sent[0].Raw)
		if !strings.HasPrefix(out.MessageID, "rapport.") || !slices.Equal(out.InReplyTo, []string{"c1@example.fr"}) ||
			!strings.Contains(out.Subject, "[#"+r.Reference+"]") || !strings.Contains(out.Text, "débloquons") ||
			!strings.Contains(out.Text, "01 23 45 67 89") || out.Auto {
			t.Fatalf("sent reply: id %q in-reply-to %v subject %q auto %v text %q", out.MessageID, out.InReplyTo, out.Subject, out.Auto, out.Text)
		}
		if sent[0].To[0] != "helene.dupre@example.fr" {
			t.Fatalf("reply sent to %v", sent[0].To)
		}
		th, err := f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st := th.Messages[1].Status; st != desk.SendSent {
			t.Fatalf("reply status after the job %q, want sent", st)
		}

		// The customer's answer to our reply threads back by the token.
		f.deliver(t, customerMail("helene.dupre@example.fr", "c2@example.fr", "Re: "+out.Subject, "Merci !",
			"In-Reply-To: <"+out.MessageID+">"))
		// A stranger writes with only the tag: joins, flagged.
		f.deliver(t, customerMail("pirate@evil.test", "s1@evil.test", "Re: ["+"#"+r.Reference+"] Carte bloquée", "Donnez-moi le code"))
		// An out-of-office answering nothing: no request.
		f.deliver(t, customerMail("someone@example.org", "auto1@example.org", "Absence du bureau", "Je suis absent.", "Auto-Submitted: auto-replied"))
		f.fetch(t)
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 1 {
			t.Fatalf("%d requests, want still 1", n)
		}
		th, _ = f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		if len(th.Messages) != 4 {
			t.Fatalf("%d messages in the thread, want 4", len(th.Messages))
		}
		if slices.Contains(th.Messages[2].Flags, desk.FlagUnexpectedSender) || !slices.Contains(th.Messages[3].Flags, desk.FlagUnexpectedSender) {
			t.Fatalf("flags: customer %v, stranger %v", th.Messages[2].Flags, th.Messages[3].Flags)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_mail_keys WHERE disposition = 'automatic'"); n != 1 {
			t.Fatalf("the auto-reply was not kept raw (%d)", n)
		}

		// A solicitation: the expert's reply joins its thread.
		so, sm, err := f.Desk.Solicit(f.ctx, f.Adv1, r.ID, desk.Draft{To: "expert@partner.test", Body: "Pouvez-vous confirmer l'opposition ?"})
		if err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		sent, _ = f.Mail.WaitSent(f.ctx, 2)
		solMail := mail.Parse(sent[1].Raw)
		if sent[1].To[0] != "expert@partner.test" || solMail.Subject != "Carte bloquée [#"+r.Reference+"]" {
			t.Fatalf("solicitation sent to %v with subject %q", sent[1].To, solMail.Subject)
		}
		f.deliver(t, customerMail("Expert <expert@partner.test>", "e1@partner.test", "Re: "+solMail.Subject, "Opposition confirmée.",
			"In-Reply-To: <"+solMail.MessageID+">"))
		// A bounce of our first reply.
		f.deliver(t, bounceOf(out.MessageID))
		f.fetch(t)
		th, _ = f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		var expert *desk.Message
		for i, m := range th.Messages {
			if m.FromEmail == "expert@partner.test" {
				expert = &th.Messages[i]
			}
		}
		if expert == nil || expert.SolicitationID != so.ID || slices.Contains(expert.Flags, desk.FlagUnexpectedSender) {
			t.Fatalf("the expert's reply did not join solicitation %s: %+v", so.ID, expert)
		}
		if sm.SolicitationID != so.ID {
			t.Fatalf("solicitation message in thread %q", sm.SolicitationID)
		}
		if th.Messages[1].Status != desk.SendBounced || !strings.Contains(th.Messages[1].StatusDetail, "5.1.1") {
			t.Fatalf("first reply after the bounce: %q %q", th.Messages[1].Status, th.Messages[1].StatusDetail)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 1 {
			t.Fatalf("%d requests, want still 1", n)
		}
	})
}

func bounceOf(messageID string) string {
	return fmt.Sprintf(`From: Mail Delivery System <MAILER-DAEMON@mx.example.fr>
To: %s
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce1@mx.example.fr>
Date: Mon, 23 Nov 2026 10:00:00 +0100
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.example.fr. Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.fr

Final-Recipient: rfc822; helene.dupre@example.fr
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <helene.dupre@example.fr>: Recipient address rejected: User unknown

--B
Content-Type: text/rfc822-headers

From: agence.opera@banque.test
To: helene.dupre@example.fr
Message-ID: <%s>
Subject: Re: Carte bloquée

--B--
`, deskAddress, messageID)
}

// TestLinkedRequestsMailIsInThePartysTimeline: once a request is linked,
// its customer mail (not its notes) shows in the party's timeline.
func TestLinkedRequestsMailIsInThePartysTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.deliver(t, customerMail("Inconnu <nouvelle.adresse@example.fr>", "t1@example.fr", "Changement d'adresse", "Je déménage le mois prochain."))
		f.fetch(t)
		page, _ := f.Desk.List(f.ctx, f.Adv1, desk.Filter{})
		r := page.Requests[0]
		if r.PartyID != "" {
			t.Fatalf("an unknown sender was linked to %s", r.PartyID)
		}
		if _, err := f.Desk.Note(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "Vérifier le justificatif"}); err != nil {
			t.Fatal(err)
		}
		party := f.P1.ID
		if _, err := f.Desk.Update(f.ctx, f.Adv1, r.ID, desk.Patch{PartyID: &party}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "Bien noté."}); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		f.runJobs(t)
		tl, err := f.History.Timeline(f.ctx, f.Adv1, f.P1.ID, history.Filter{Source: desk.HistorySource})
		if err != nil {
			t.Fatal(err)
		}
		var dirs []string
		for _, it := range tl.Items {
			dirs = append(dirs, it.Direction+":"+it.Subject)
		}
		slices.Sort(dirs)
		want := []string{"inbound:Changement d'adresse", "outbound:Re: Changement d'adresse [#" + r.Reference + "]"}
		if !slices.Equal(dirs, want) {
			t.Fatalf("timeline from the desk: %v, want %v", dirs, want)
		}
	})
}

// TestReplyCarriesInlineImagesAndAttachments: an image the agent pasted
// travels as a multipart/related part its cid: reference shows; a file
// as an attachment.
func TestReplyCarriesInlineImagesAndAttachments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		r, err := f.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: "phone", Subject: "RIB", Body: "Demande un RIB",
			PartyID: f.P1.ID, CustomerEmail: "helene.dupre@example.fr"})
		if err != nil {
			t.Fatal(err)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
		pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
		if _, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: `<p>Votre RIB <img src="cid:img1@rapport" alt="capture"></p>`,
			Files: []desk.Upload{{Name: "capture.png", ContentType: "image/png", Inline: true, ContentID: "img1@rapport", Data: png},
				{Name: "RIB Hélène.pdf", ContentType: "application/pdf", Data: pdf}}}); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		sent, err := f.Mail.WaitSent(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := mail.Parse(sent[0].Raw)
		var inline, attached bool
		for _, p := range out.Parts {
			inline = inline || (p.Inline && p.ContentID == "img1@rapport" && string(p.Data) == string(png))
			attached = attached || (!p.Inline && p.FileName == "RIB Hélène.pdf" && string(p.Data) == string(pdf))
		}
		if !inline || !attached || !strings.Contains(out.HTML, "cid:img1@rapport") || !strings.Contains(string(sent[0].Raw), "multipart/related") {
			t.Fatalf("sent parts %d, inline %v attached %v html %q", len(out.Parts), inline, attached, out.HTML)
		}
	})
}
