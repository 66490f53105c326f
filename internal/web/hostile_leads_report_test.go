package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// leadsReportWriteRoutes writes a lead of A1 received on Friday 20
// November 2026 and returns the write route of its activities with a
// valid body.
func leadsReportWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	ctx := context.Background()
	a1, err := app.Orgs.UnitByCode(ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	br, _ := app.Orgs.UnitByCode(ctx, "BR")
	id, received := core.NewID(), core.Millis(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	if _, err := app.DB.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, party_id, channel, source, external_id,
		received_at, clock_start_at, status, route, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'api', 'site', ?, ?, ?, 'new', 'default', ?, ?)`,
		id, br.ID, a1.ID, app.P1.ID, id, received, received, received, received); err != nil {
		t.Fatal(err)
	}
	return []writeRoute{
		{method: "POST", pattern: "/leads/{id}/activities", path: "/leads/" + id + "/activities", as: "adv1",
			body: map[string]any{"kind": "call", "completed_at": "2026-11-20T11:00:00+01:00", "automatic": false}},
	}
}
