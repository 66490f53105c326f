package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
	"github.com/rapport-crm/rapport/internal/mail/realmail"
)

// TestDeskThroughDovecotAndPostfix runs the customer ↔ desk loop and a
// solicitation through the real servers .ci/mailservers starts (skipped
// without them unless RAPPORT_TEST_MAIL is set).
func TestDeskThroughDovecotAndPostfix(t *testing.T) {
	srv := realmail.Require(t)
	f := newFixture(t, dbtest.SQLite(t))
	deskBox, customer, expert := srv.Box(realmail.Desk), srv.Box(realmail.Customer), srv.Box(realmail.Expert)
	ih, ip := hostPort(t, srv.IMAP)
	sh, sp := hostPort(t, srv.SMTP)
	a1, _ := f.Orgs.UnitByCode(f.ctx, "A1")
	mb, err := f.Desk.SaveMailbox(f.ctx, core.System(), desk.Mailbox{UnitID: a1.ID, Address: deskBox.Address, Name: "Desk",
		IMAP: desk.IMAPSettings{Host: ih, Port: ip, Security: "none", Login: deskBox.Login, Password: deskBox.Password, Folder: deskBox.Folder},
		SMTP: desk.SMTPSettings{Host: sh, Port: sp, Security: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := imapin.Config{Host: ih, Port: ip, Security: "none", Login: deskBox.Login, Password: deskBox.Password, Folder: deskBox.Folder}
	// fetchUntil fetches until the desk holds n messages (Postfix delivers
	// asynchronously).
	fetchUntil := func(n int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var v, u int64
			f.DB.QueryRow(f.ctx, "SELECT uid_validity, last_uid FROM desk_mailboxes WHERE id = ?", mb.ID).Scan(&v, &u)
			if _, err := imapin.Sync(f.ctx, cfg, imapin.State{UIDValidity: uint32(v), LastUID: uint32(u)}, func(ctx context.Context, m imapin.Message) error {
				return f.Desk.Intake(ctx, mb.ID, m)
			}, imapin.AfterCommit{}); err != nil {
				t.Fatal(err)
			}
			if f.count(t, "SELECT COUNT(*) FROM desk_messages WHERE mailbox_id = ? AND kind = 'inbound'", mb.ID) >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the desk did not receive message %d", n)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	first := fmt.Sprintf("From: Client <%s>\r\nTo: %s\r\nSubject: Virement non reçu\r\nMessage-ID: <%s.1@customer.test>\r\nDate: Mon, 23 Nov 2026 09:30:00 +0100\r\n\r\nMon virement n'est pas arrivé.\r\n",
		customer.Address, deskBox.Address, srv.Tag)
	srv.Send(t, customer.Address, []string{deskBox.Address}, []byte(first))
	srv.Await(t, deskBox, "Subject", "Virement non reçu") // the test's folder exists once delivered to
	check, err := f.Desk.TestMailbox(f.ctx, core.System(), mb.ID)
	if err != nil || check.IMAP != "" || check.SMTP != "" {
		t.Fatalf("test connection: %+v %v", check, err)
	}
	fetchUntil(1)
	page, err := f.Desk.List(f.ctx, core.System(), desk.Filter{})
	if err != nil || len(page.Requests) != 1 {
		t.Fatalf("requests: %+v %v", page, err)
	}
	r := page.Requests[0]
	reply, err := f.Desk.Reply(f.ctx, f.Adv1, r.ID, desk.Draft{Body: "Nous vérifions votre virement."})
	if err != nil {
		t.Fatal(err)
	}
	f.runJobs(t)
	got := srv.Await(t, customer, "Message-ID", "<"+reply.MessageID+">")
	answered := mail.Parse(got.Raw)
	answer := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: %s\r\nMessage-ID: <%s.2@customer.test>\r\nIn-Reply-To: <%s>\r\nDate: Mon, 23 Nov 2026 10:30:00 +0100\r\n\r\nMerci.\r\n",
		customer.Address, deskBox.Address, answered.Subject, srv.Tag, answered.MessageID)
	srv.Send(t, customer.Address, []string{deskBox.Address}, []byte(answer))
	fetchUntil(2)
	_, sm, err := f.Desk.Solicit(f.ctx, f.Adv1, r.ID, desk.Draft{To: expert.Address, Body: "Pouvez-vous tracer ce virement ?"})
	if err != nil {
		t.Fatal(err)
	}
	f.runJobs(t)
	asked := mail.Parse(srv.Await(t, expert, "Message-ID", "<"+sm.MessageID+">").Raw)
	expertAnswer := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: %s\r\nMessage-ID: <%s.3@partner.test>\r\nIn-Reply-To: <%s>\r\nDate: Mon, 23 Nov 2026 11:30:00 +0100\r\n\r\nVirement retrouvé.\r\n",
		expert.Address, deskBox.Address, asked.Subject, srv.Tag, asked.MessageID)
	srv.Send(t, expert.Address, []string{deskBox.Address}, []byte(expertAnswer))
	fetchUntil(3)
	th, err := f.Desk.Thread(f.ctx, f.Adv1, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 1 {
		t.Fatalf("%d requests, want 1: the answers started new ones", n)
	}
	last := th.Messages[len(th.Messages)-1]
	if last.SolicitationID != sm.SolicitationID || last.Text == "" {
		t.Fatalf("the expert's answer did not join the solicitation: %+v", last)
	}
}
