package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/demo"
)

// seedDemoLeads seeds the lead rules and leads when the demo database has
// none (a fresh one, or one seeded before leads existed).
func seedDemoLeads(ctx context.Context, a *app.App, out io.Writer) error {
	var n int
	if err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM leads").Scan(&n); err != nil {
		return fmt.Errorf("demo leads: %w", err)
	}
	if n > 0 {
		return nil
	}
	start := time.Now()
	sum, err := demo.SeedLeads(ctx, demo.LeadsDeps{DB: a.DB, Orgs: a.Orgs, Parties: a.Parties, Outbox: a.Outbox,
		Events: a.Events}, a.Clock.Now(), 0)
	if err != nil {
		return fmt.Errorf("seed the demo leads: %w", err)
	}
	fmt.Fprintf(out, "Seeded %d lead rules, %d leads (%d answered, %d of them within 24 business hours; %d not answered yet, %d without an agent) in %s.\n",
		sum.Rules, sum.Leads, sum.Answered, sum.Within24h, sum.Leads-sum.Answered, sum.Unassigned, time.Since(start).Round(time.Millisecond))
	return nil
}
