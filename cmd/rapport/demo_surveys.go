package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/secret"
)

// seedDemoSurveys seeds the satisfaction survey campaigns, surveys and
// answers when the demo database has none (a fresh one, or one seeded
// before surveys existed).
func seedDemoSurveys(ctx context.Context, a *app.App, out io.Writer) error {
	var n int
	if err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM survey_campaigns").Scan(&n); err != nil {
		return fmt.Errorf("demo surveys: %w", err)
	}
	if n > 0 {
		return nil
	}
	key, err := secret.Load(a.Config.SecretKey, a.Config.DataDir) // the key the application loaded
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := demo.SeedSurveys(ctx, demo.SurveysDeps{DB: a.DB, Orgs: a.Orgs, Parties: a.Parties, History: a.History,
		Key: key}, a.Clock.Now(), 0)
	if err != nil {
		return fmt.Errorf("seed the demo surveys: %w", err)
	}
	fmt.Fprintf(out, "Seeded %d survey campaigns, %d surveys (%d sent, %d skipped of which %d by the three-month rule; %d answered, %d signed) in %s.\n",
		sum.Campaigns, sum.Surveys, sum.Sent, sum.Skipped, sum.SkippedRecent, sum.Answered, sum.Identified,
		time.Since(start).Round(time.Millisecond))
	return nil
}
