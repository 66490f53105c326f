package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/secret"
)

// The demo's surveys follow its calls and meetings: a few hundred, some
// skipped by the three-month rule, about a third of those sent answered,
// some signed.
func TestSeedSurveysAnswersAboutAThirdAndSkipsByTheThreeMonthRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC))
		hist := history.NewStore(d, clock, audit.New(d, clock), s.parties, history.DefaultRules(), fileStore(t, clock))
		if _, err := demo.SeedHistory(ctx, d, hist, clock.Now()); err != nil {
			t.Fatal(err)
		}
		key, err := secret.New("demo surveys test key")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := demo.SeedSurveys(ctx, demo.SurveysDeps{DB: d, Orgs: s.orgs, Parties: s.parties, History: hist, Key: key},
			clock.Now(), 200)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", sum)
		if sum.Campaigns != 2 || sum.Surveys < 100 || sum.SkippedRecent == 0 || sum.Answered < sum.Sent/6 ||
			sum.Answered > sum.Sent/2 || sum.Identified == 0 {
			t.Errorf("%+v: want 2 campaigns, over 100 surveys, some skipped by the three-month rule, about a third answered, some signed", sum)
		}
	})
}
