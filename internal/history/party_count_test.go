package history

import (
	"context"
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
