package demo_test

import (
	"context"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/secret"
)

// The demo's promise: the replies left queued at seeding reach their
// customers through the embedded mail server, and a customer writing to an
// agency's address gets a request on the desk.
func TestDemoDeskSendsItsQueuedRepliesAndTurnsCustomerMailIntoARequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		dir := t.TempDir()
		a, err := app.New(d, app.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seed(ctx, d, a.Orgs, a.Parties, demo.Options{Parties: 300}); err != nil {
			t.Fatal(err)
		}
		srv, err := devmail.Start(devmail.Options{Password: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		server := demo.MailServer{Host: "127.0.0.1", IMAPPort: port(t, srv.IMAPAddr()), SMTPPort: port(t, srv.SMTPAddr()), Password: "demo"}
		key, err := secret.Load("", dir) // the key the application generated
		if err != nil {
			t.Fatal(err)
		}
		deps := demo.DeskDeps{DB: d, Orgs: a.Orgs, Parties: a.Parties, Files: a.Files, Books: a.Catalogues.Books(), Key: key}
		sum, err := demo.SeedDesk(ctx, deps, server, a.Clock.Now(), 40)
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.PointMailboxes(ctx, d, server); err != nil {
			t.Fatal(err)
		}
		run, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); a.RunBackground(run) }()
		defer func() { stop(); wg.Wait() }()

		sent, err := srv.WaitSent(ctx, 2)
		if err != nil {
			t.Fatalf("the queued replies did not leave: %v", err)
		}
		var to []string
		for _, e := range sent {
			to = append(to, e.To...)
		}
		slices.Sort(to)
		want := slices.Clone(sum.Queued)
		slices.Sort(want)
		if !slices.Equal(to, want) {
			t.Fatalf("sent to %v, want the two queued customers %v", to, want)
		}
		if len(srv.Sent()) != 2 {
			t.Fatalf("%d messages sent, want only the two queued: the seeded replies count as sent", len(srv.Sent()))
		}

		raw := "From: Marie Durand <marie.durand@example.com>\r\nTo: agence-lyon@banque-demo.fr\r\n" +
			"Subject: Carte bloquée\r\nMessage-ID: <demo-test-1@example.com>\r\nDate: " + time.Now().Format(time.RFC1123Z) +
			"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour, ma carte est bloquée.\r\n"
		c, err := smtp.Dial(srv.SMTPAddr()) // plain SMTP, as a mail client set up from the demo's instructions
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SendMail("marie.durand@example.com", []string{"agence-lyon@banque-demo.fr"}, strings.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
		for {
			var unit string
			err := d.QueryRow(ctx, `SELECT u.code FROM desk_requests r JOIN units u ON u.id = r.unit_id
				WHERE r.customer_email = 'marie.durand@example.com'`).Scan(&unit)
			if err == nil {
				if unit != "A-LYON-PD" {
					t.Fatalf("Marie's request went to %s, want the Lyon agency", unit)
				}
				return
			}
			select {
			case <-ctx.Done():
				t.Fatal("no request for Marie's mail")
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

func port(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
