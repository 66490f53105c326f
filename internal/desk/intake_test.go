package desk_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// TestIntakeNeverLosesNorDoubles: a crash before the commit fetches the
// message again; a crash after it (the mark moved but the fetcher never
// heard) skips it; a UIDVALIDITY change rescans without duplicates; two
// instances fetching at once store each message once.
func TestIntakeNeverLosesNorDoubles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for i := 1; i <= 6; i++ {
			f.deliver(t, customerMail(fmt.Sprintf("client%d@example.org", i), fmt.Sprintf("m%d@example.org", i), fmt.Sprintf("Demande %d", i), "Bonjour"))
		}
		// No Message-ID at all: deduplicated by its content.
		f.deliver(t, "From: sans-id@example.org\r\nTo: "+deskAddress+"\r\nSubject: Sans identifiant\r\n\r\nBonjour\r\n")
		cfg := imapin.Config{Host: f.Mailbox.IMAP.Host, Port: f.Mailbox.IMAP.Port, Security: "none", Login: deskAddress, Password: "demo"}
		crash := errors.New("crash")
		// Crash before committing message 3: 1 and 2 stored, the mark at 2.
		_, err := imapin.Sync(f.ctx, cfg, f.state(t), func(ctx context.Context, m imapin.Message) error {
			if m.UID == 3 {
				return crash
			}
			return f.Desk.Intake(ctx, f.Mailbox.ID, m)
		}, imapin.AfterCommit{})
		if !errors.Is(err, crash) {
			t.Fatalf("sync: %v", err)
		}
		if st := f.state(t); st.LastUID != 2 {
			t.Fatalf("mark at %d after the crash, want 2", st.LastUID)
		}
		// Crash right after committing message 3: stored, the fetcher died.
		_, err = imapin.Sync(f.ctx, cfg, f.state(t), func(ctx context.Context, m imapin.Message) error {
			if err := f.Desk.Intake(ctx, f.Mailbox.ID, m); err != nil {
				return err
			}
			if m.UID == 3 {
				return crash
			}
			return nil
		}, imapin.AfterCommit{})
		if !errors.Is(err, crash) {
			t.Fatalf("sync: %v", err)
		}
		// A restarted fetcher that still believed the old mark (2).
		if _, err := imapin.Sync(f.ctx, cfg, imapin.State{UIDValidity: f.state(t).UIDValidity, LastUID: 2}, func(ctx context.Context, m imapin.Message) error {
			return f.Desk.Intake(ctx, f.Mailbox.ID, m)
		}, imapin.AfterCommit{}); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 7 {
			t.Fatalf("%d requests after the crashes, want 7", n)
		}
		// The server rebuilds the folder: new UIDVALIDITY, same messages.
		before := f.state(t)
		if err := f.Mail.ResetFolder(deskAddress, "INBOX"); err != nil {
			t.Fatal(err)
		}
		f.fetch(t)
		if st := f.state(t); st.UIDValidity == before.UIDValidity {
			t.Fatalf("UIDVALIDITY did not change (%d)", st.UIDValidity)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 7 {
			t.Fatalf("%d requests after the UIDVALIDITY change, want 7", n)
		}
		// Two instances fetch new mail at the same moment.
		for i := 7; i <= 16; i++ {
			f.deliver(t, customerMail(fmt.Sprintf("client%d@example.org", i), fmt.Sprintf("m%d@example.org", i), fmt.Sprintf("Demande %d", i), "Bonjour"))
		}
		start := f.state(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for k := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[k] = imapin.Sync(f.ctx, cfg, start, func(ctx context.Context, m imapin.Message) error {
					return f.Desk.Intake(ctx, f.Mailbox.ID, m)
				}, imapin.AfterCommit{})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 17 {
			t.Fatalf("%d requests after two concurrent fetches, want 17", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_messages"); n != 17 {
			t.Fatalf("%d messages, want 17", n)
		}
	})
}

// TestClosedRequestReopensWithinItsDaysElseFollowsUp: a customer's answer
// reopens a request closed 6 days ago; 8 days after, it opens a new
// request that links the old one.
func TestClosedRequestReopensWithinItsDaysElseFollowsUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		clock := f.App.App.Clock.(*core.FixedClock)
		f.deliver(t, customerMail("helene.dupre@example.fr", "a1@example.fr", "Relevé", "Pouvez-vous m'envoyer mon relevé ?"))
		f.fetch(t)
		page, _ := f.Desk.List(f.ctx, f.Adv1, desk.Filter{})
		r := page.Requests[0]
		closed := desk.StatusClosed
		if _, err := f.Desk.Update(f.ctx, f.Adv1, r.ID, desk.Patch{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(6 * 24 * time.Hour)
		f.deliver(t, customerMail("helene.dupre@example.fr", "a2@example.fr", "Re: Relevé ["+"#"+r.Reference+"]", "Je ne l'ai pas reçu."))
		f.fetch(t)
		got, _ := f.Desk.Get(f.ctx, f.Adv1, r.ID)
		if got.Status != desk.StatusOpen {
			t.Fatalf("status after the answer within 6 days: %s, want open", got.Status)
		}
		if _, err := f.Desk.Update(f.ctx, f.Adv1, r.ID, desk.Patch{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(8 * 24 * time.Hour)
		f.deliver(t, customerMail("helene.dupre@example.fr", "a3@example.fr", "Re: Relevé ["+"#"+r.Reference+"]", "Toujours rien."))
		f.fetch(t)
		page, _ = f.Desk.List(f.ctx, f.Adv1, desk.Filter{})
		if len(page.Requests) != 2 {
			t.Fatalf("%d requests, want a new one", len(page.Requests))
		}
		next := page.Requests[0]
		if next.PreviousID != r.ID || next.PartyID != f.P1.ID || next.Subject != "Re: Relevé" {
			t.Fatalf("follow-up %+v: want it to link %s and the party", next, r.ID)
		}
		if got, _ := f.Desk.Get(f.ctx, f.Adv1, r.ID); got.Status != desk.StatusClosed {
			t.Fatalf("the old request is %s, want closed", got.Status)
		}
	})
}

// TestSendingIsNeverDoubled: a permanent refusal fails with the server's
// reason and can be retried; a message found "sending" (a crash during
// the send) is failed as interrupted, not sent again.
func TestSendingIsNeverDoubled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		r, err := f.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: "phone", Subject: "Plafond de carte",
			Body: "Souhaite augmenter son plafond", PartyID: f.P1.ID, CustomerEmail: "helene.dupre@example.fr"})
		if err != nil {
			t.Fatal(err)
		}
		f.Mail.FailRecipients("helene.dupre@example.fr", "550 5.1.1 user unknown")
		m, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "Votre plafond est relevé."})
		if err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		th, _ := f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		last := th.Messages[len(th.Messages)-1]
		if last.Status != desk.SendFailed || last.StatusDetail == "" {
			t.Fatalf("after a 550: %q %q", last.Status, last.StatusDetail)
		}
		if len(f.Mail.Sent()) != 0 {
			t.Fatalf("a refused message was accepted")
		}
		f.Mail.FailRecipients("helene.dupre@example.fr", "")
		if err := f.Desk.RetrySend(f.ctx, f.Adv1, m.ID); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		if n := len(f.Mail.Sent()); n != 1 {
			t.Fatalf("%d sent after the retry, want 1", n)
		}
		// A reply left "sending" by a crashed instance.
		m2, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "Autre chose ?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.Exec(f.ctx, "UPDATE desk_messages SET status = 'sending' WHERE id = ?", m2.ID); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		if n := len(f.Mail.Sent()); n != 1 {
			t.Fatalf("%d sent: the interrupted message went again", n)
		}
		th, _ = f.Desk.Thread(f.ctx, f.Adv1, r.ID)
		last = th.Messages[len(th.Messages)-1]
		if last.Status != desk.SendFailed || last.StatusDetail == "" {
			t.Fatalf("interrupted message: %q %q", last.Status, last.StatusDetail)
		}
	})
}
