package history

import (
	"context"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestTimelineNewestFirstWithFiltersPagesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		var items []Item
		for i := range 7 {
			items = append(items, Item{Source: "telephony", ExternalID: fmt.Sprint("c", i), Channel: "phone", Direction: "inbound",
				OccurredAt: fmt.Sprintf("2026-11-%02dT10:00:00Z", 10+i), From: "06 12 34 56 78", Agent: "jmartin"})
		}
		items = append(items, Item{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "outbound",
			OccurredAt: "2026-11-18T09:00:00Z", To: []string{"famille.dupre@example.fr"}, Subject: "Votre rendez-vous", Agent: "ghost"})
		items = append(items, Item{Source: "letter", ExternalID: "l1", Channel: "letter", Direction: "outbound",
			OccurredAt: "2026-11-01T09:00:00Z", PartyID: f.marc.ID, LetterType: "PEL"})
		if _, err := f.store.Ingest(ctx, f.integration, items); err != nil {
			t.Fatal(err)
		}
		reader := &core.Actor{Login: "jmartin", Permissions: []core.Permission{core.PermHistoryRead, core.PermPartyRead}, Scope: core.Scope{All: true}}
		page, err := f.store.Timeline(ctx, reader, f.helene.ID, Filter{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 3 || page.Items[0].ID == "" || page.Items[0].Channel != "email" || page.NextCursor == "" {
			t.Fatalf("first page: %+v", page)
		}
		if page.Items[0].SharedWith != 1 || page.Items[0].Agent == nil || page.Items[0].Agent.Name != "ghost" {
			t.Errorf("the shared email: shared_with %d, agent %+v", page.Items[0].SharedWith, page.Items[0].Agent)
		}
		if page.Items[1].Agent == nil || page.Items[1].Agent.Name != "Julie Martin" {
			t.Errorf("the call's agent: %+v", page.Items[1].Agent)
		}
		seen := map[string]bool{}
		for cursor, pages := "", 0; pages < 5; pages++ {
			p, err := f.store.Timeline(ctx, reader, f.helene.ID, Filter{Limit: 3, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range p.Items {
				if seen[e.ID] {
					t.Fatalf("%s on two pages", e.ID)
				}
				seen[e.ID] = true
				if i > 0 && e.OccurredAt.After(p.Items[i-1].OccurredAt) {
					t.Errorf("not newest first")
				}
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 8 {
			t.Errorf("pages gave %d lines, want 8", len(seen))
		}
		calls, _ := f.store.Timeline(ctx, reader, f.helene.ID, Filter{Channel: "phone", Direction: "inbound"})
		if len(calls.Items) != 7 {
			t.Errorf("inbound calls: %d, want 7", len(calls.Items))
		}
		marc, _ := f.store.Timeline(ctx, reader, f.marc.ID, Filter{})
		if len(marc.Items) != 2 || marc.Items[1].Label != "Plan d'épargne logement arrivé à échéance" {
			t.Errorf("Marc: the shared email and his letter with its label, got %+v", marc.Items)
		}
		// Outside the scope the party does not exist; the reading is audited.
		nobody := &core.Actor{Permissions: []core.Permission{core.PermHistoryRead, core.PermPartyRead}}
		if _, err := f.store.Timeline(ctx, nobody, f.helene.ID, Filter{}); core.ErrorCode(err) != core.NotFound {
			t.Errorf("out of scope: %v, want not found", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'history.timeline' AND party_id = ?", f.helene.ID).Scan(&n); err != nil || n < 3 {
			t.Errorf("timeline consultations audited: %d (%v)", n, err)
		}
	})
}
