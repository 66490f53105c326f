package desk_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// deskAddress is the test mailbox of agency A1.
const deskAddress = "agence.opera@banque.test"

// fixture is the test organisation with a mailbox of A1 on an in-process
// mail server.
type fixture struct {
	*webtest.App
	Desk    *desk.Store
	Mail    *devmail.Server
	Mailbox desk.Mailbox
	Adv1    *core.Actor
	Viewer  *core.Actor
	ctx     context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	app := webtest.New(t, d)
	srv, err := devmail.Start(devmail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddUser(deskAddress)
	f := &fixture{App: app, Desk: app.App.Desk, Mail: srv, ctx: context.Background()}
	a1, err := app.Orgs.UnitByCode(f.ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	ih, ip := hostPort(t, srv.IMAPAddr())
	sh, sp := hostPort(t, srv.SMTPAddr())
	f.Mailbox, err = f.Desk.SaveMailbox(f.ctx, core.System(), desk.Mailbox{UnitID: a1.ID, Address: deskAddress, Name: "Agence Paris Opéra",
		IMAP:      desk.IMAPSettings{Host: ih, Port: ip, Security: "none", Login: deskAddress, Password: "demo"},
		SMTP:      desk.SMTPSettings{Host: sh, Port: sp, Security: "none"},
		Signature: "Agence Paris Opéra — 01 23 45 67 89"})
	if err != nil {
		t.Fatal(err)
	}
	f.Adv1 = f.actor(t, "adv1")
	f.Viewer = f.actor(t, "viewer")
	return f
}

func hostPort(t *testing.T, addr string) (string, int) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return h, n
}

func (f *fixture) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	a, err := f.Orgs.AgentByLogin(f.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := f.Orgs.Actor(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// state is the mailbox's committed IMAP mark.
func (f *fixture) state(t *testing.T) imapin.State {
	t.Helper()
	var s imapin.State
	var v, u int64
	if err := f.DB.QueryRow(f.ctx, "SELECT uid_validity, last_uid FROM desk_mailboxes WHERE id = ?", f.Mailbox.ID).Scan(&v, &u); err != nil {
		t.Fatal(err)
	}
	s.UIDValidity, s.LastUID = uint32(v), uint32(u)
	return s
}

// fetch syncs the mailbox once, as its watcher does.
func (f *fixture) fetch(t *testing.T) {
	t.Helper()
	cfg := imapin.Config{Host: f.Mailbox.IMAP.Host, Port: f.Mailbox.IMAP.Port, Security: "none", Login: deskAddress, Password: "demo"}
	if _, err := imapin.Sync(f.ctx, cfg, f.state(t), func(ctx context.Context, m imapin.Message) error {
		return f.Desk.Intake(ctx, f.Mailbox.ID, m)
	}, imapin.AfterCommit{}); err != nil {
		t.Fatal(err)
	}
}

// deliver puts a message in the desk's INBOX.
func (f *fixture) deliver(t *testing.T, raw string) {
	t.Helper()
	if err := f.Mail.Deliver(deskAddress, []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		t.Fatal(err)
	}
}

// runJobs runs the jobs due (sending mail).
func (f *fixture) runJobs(t *testing.T) {
	t.Helper()
	if _, err := f.App.App.Jobs.RunDue(f.ctx); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(f.ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// customerMail is a message from a customer to the desk.
func customerMail(from, msgID, subject, body string, headers ...string) string {
	h := strings.Join(headers, "\n")
	if h != "" {
		h += "\n"
	}
	return fmt.Sprintf("From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 23 Nov 2026 09:30:00 +0100\nMIME-Version: 1.0\n%sContent-Type: text/plain; charset=utf-8\n\n%s\n",
		from, deskAddress, subject, msgID, h, body)
}
