package history

import (
	"context"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/party"
)

func TestSharedWithCountsPartiesLinkedLater(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		item := Item{Source: "agent_mailbox", ExternalID: "late-1", Channel: "email", Direction: "outbound",
			OccurredAt: "2026-11-18T09:00:00Z", To: []string{"helene@example.fr", "someone.new@example.fr"}, Agent: "jmartin"}
		if _, err := f.store.Ingest(ctx, f.integration, []Item{item}); err != nil {
			t.Fatal(err)
		}
		reader := &core.Actor{Login: "jmartin", Permissions: []core.Permission{core.PermHistoryRead, core.PermPartyRead}, Scope: core.Scope{All: true}}
		shared := func(partyID string) int {
			t.Helper()
			page, err := f.store.Timeline(ctx, reader, partyID, Filter{})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("timeline: %+v, %v", page, err)
			}
			return page.Items[0].SharedWith
		}
		if n := shared(f.helene.ID); n != 0 {
			t.Fatalf("before the second party: shared with %d, want 0", n)
		}
		newcomer, err := f.parties.Create(ctx, core.System(), party.Input{Kind: "person", Status: "client", ClientNumber: "1000000099",
			FirstName: "Nina", LastName: "Neuve", AgencyCode: "A1", Emails: []party.Email{{Address: "someone.new@example.fr", Kind: "personal"}}})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := shared(f.helene.ID), shared(newcomer.ID); a != 1 || b != 1 {
			t.Errorf("once the newcomer holds the address: shared with %d and %d, want 1 and 1", a, b)
		}
	})
}

func TestALargeBatchIsStoredWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		var items []Item
		for i := range 250 {
			it := Item{Source: "telephony", ExternalID: fmt.Sprint("big-", i), Channel: "phone", Direction: "inbound",
				OccurredAt: fmt.Sprintf("2026-11-%02dT10:%02d:00Z", 1+i%28, i%60), From: "06 12 34 56 78", Agent: "jmartin"}
			if i%5 == 0 {
				it.From = fmt.Sprintf("06 99 00 %02d %02d", i/100, i%100) // nobody's, kept unmatched
			}
			items = append(items, it)
		}
		res, err := f.store.Ingest(ctx, f.integration, items)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Status != Stored {
				t.Fatalf("item %d: %+v", i, r)
			}
		}
		var links, unmatched, counted int
		if err := d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM interaction_parties), (SELECT COUNT(*) FROM interaction_unmatched),
			(SELECT COALESCE(SUM(party_count), 0) FROM interactions)`).Scan(&links, &unmatched, &counted); err != nil {
			t.Fatal(err)
		}
		// 200 calls from a number Hélène shares with nobody else; 50 from unknown numbers.
		if links != 200 || unmatched != 50 || counted != links {
			t.Errorf("%d timeline rows, %d unmatched, counts summing to %d", links, unmatched, counted)
		}
	})
}
