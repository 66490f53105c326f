package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/secret"
)

func TestSeedDeskFillsEveryStateAndChannelAndLeavesOnlyTwoRepliesToSend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		now := time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC)
		clock := core.NewFixedClock(now)
		key, err := secret.New("demo test key")
		if err != nil {
			t.Fatal(err)
		}
		log := audit.New(d, clock)
		deps := demo.DeskDeps{DB: d, Orgs: s.orgs, Parties: s.parties, Files: fileStore(t, clock),
			Books: catalogue.NewStore(d, clock, log).Books(), Key: key}
		server := demo.MailServer{Host: "127.0.0.1", IMAPPort: 1143, SMTPPort: 1025, Password: "demo"}
		sum, err := demo.SeedDesk(ctx, deps, server, now, 150)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", sum)
		if len(sum.Mailboxes) != 7 || !slices.Contains(mailboxAddresses(sum.Mailboxes), "agence-lyon@banque-demo.fr") ||
			!slices.Contains(mailboxAddresses(sum.Mailboxes), "relation-clients@banque-demo.fr") {
			t.Fatalf("mailboxes = %v, want the six agencies' and the contact centre's", sum.Mailboxes)
		}
		if len(sum.Forms) != 7 || !slices.Contains(sum.Forms, "/forms/contact-a-lyon-pd") {
			t.Fatalf("forms = %v, want one per agency and the contact centre", sum.Forms)
		}
		var formless int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_requests WHERE channel = 'web_form' AND form_id IS NULL").Scan(&formless); err != nil || formless != 0 {
			t.Fatalf("%d web form requests without their form (%v)", formless, err)
		}
		if sum.Requests != 150 {
			t.Fatalf("%d requests, want 150", sum.Requests)
		}
		for _, st := range desk.Statuses {
			if sum.ByStatus[st] < 5 {
				t.Errorf("%d requests %s, want some in every state", sum.ByStatus[st], st)
			}
		}
		for _, ch := range []string{desk.ChannelEmail, desk.ChannelWebForm, desk.ChannelPhone} {
			if sum.ByChannel[ch] < 10 {
				t.Errorf("%d requests by %s, want some by every channel", sum.ByChannel[ch], ch)
			}
		}
		if sum.Unread < 5 || sum.Unread > sum.Requests/2 || sum.Solicitations < 10 {
			t.Errorf("%d unread, %d solicitations: want some unread and solicitations", sum.Unread, sum.Solicitations)
		}
		var queued, sent int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_messages WHERE status = 'queued'").Scan(&queued); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_messages WHERE status = 'sent' AND sent_at IS NOT NULL").Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if queued != 2 || len(sum.Queued) != 2 || sent < 80 {
			t.Fatalf("%d queued (to %v), %d sent: want two replies left to send and the rest sent", queued, sum.Queued, sent)
		}
		var assigned, breached, night, late int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_requests WHERE assignee_id IS NOT NULL").Scan(&assigned); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_requests WHERE first_response_at > first_response_due").Scan(&breached); err != nil {
			t.Fatal(err)
		}
		if assigned < 20 || breached < 5 {
			t.Errorf("%d assigned, %d answered late: want some of each", assigned, breached)
		}
		// Agents answer in opening hours, never at night; nothing is dated after now.
		rows, err := d.Query(ctx, "SELECT created_at FROM desk_messages WHERE kind = 'outbound'")
		if err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation("Europe/Paris")
		for rows.Next() {
			var ms int64
			if err := rows.Scan(&ms); err != nil {
				t.Fatal(err)
			}
			at := core.FromMillis(ms)
			if h := at.In(loc).Hour(); h < 8 || h > 20 {
				night++
			}
			if at.After(now) {
				late++
			}
		}
		rows.Close()
		if night > 0 || late > 0 {
			t.Errorf("%d replies written at night, %d after now", night, late)
		}
	})
}

func mailboxAddresses(mbs []demo.DeskMailbox) []string {
	var out []string
	for _, m := range mbs {
		out = append(out, m.Address)
	}
	return out
}
