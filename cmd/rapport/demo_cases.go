package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/demo"
)

// seedDemoCases seeds contacts, cases and tasks when the demo database has
// none (a fresh one, or one seeded before cases existed).
func seedDemoCases(ctx context.Context, a *app.App, out io.Writer) error {
	var n int
	if err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM case_classifications").Scan(&n); err != nil {
		return fmt.Errorf("demo cases: %w", err)
	}
	if n > 0 {
		return nil
	}
	start := time.Now()
	sum, err := demo.SeedCases(ctx, demo.CasesDeps{DB: a.DB, Orgs: a.Orgs, Parties: a.Parties, History: a.History,
		Desk: a.Desk, Files: a.Files, Books: a.Catalogues.Books()}, a.Clock.Now(), 0)
	if err != nil {
		return fmt.Errorf("seed the demo cases: %w", err)
	}
	fmt.Fprintf(out, "Seeded %d contacts, %d cases (%d open), %d tasks (%d open; the advisor has %d overdue and %d due today) in %s.\n",
		sum.Contacts, sum.Cases, sum.Open, sum.Tasks, sum.OpenTasks, sum.AdvisorOverdue, sum.AdvisorToday, time.Since(start).Round(time.Millisecond))
	return nil
}
