package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAuditLogListsWhoLookedAtWhomNewestFirstAndPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		log := audit.New(d, clock)
		for i := 0; i < 3; i++ {
			if err := log.Record(ctx, d, core.System(), "party.view", "party", "p1", "p1", nil); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
		}
		if err := log.Record(ctx, d, core.System(), "party.update", "party", "p2", "p2", map[string]audit.Change{"last_name": {Old: "Dupont", New: "Dupré"}}); err != nil {
			t.Fatal(err)
		}
		page, err := log.List(ctx, core.System(), audit.Filter{PartyID: "p1", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.NextCursor == "" || !page.Items[0].At.After(page.Items[1].At) {
			t.Fatalf("first page = %+v", page)
		}
		next, err := log.List(ctx, core.System(), audit.Filter{PartyID: "p1", Limit: 2, Cursor: page.NextCursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(next.Items) != 1 || next.NextCursor != "" {
			t.Fatalf("second page = %+v", next)
		}
		advisor := &core.Actor{AgentID: "x", Permissions: []core.Permission{core.PermPartyRead}}
		if _, err := log.List(ctx, advisor, audit.Filter{}); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("advisor reading the audit log: %v", err)
		}
	})
}
