package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/history"
)

// The demo's cases are in every state of their processes, letters were
// generated, and the demo advisor opens an activity list with overdue
// tasks and today's.
func TestSeedCasesFillsEveryProcessAndTheAdvisorsDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		now := time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC) // a Monday, 10:00 in Lyon
		clock := core.NewFixedClock(now)
		log := audit.New(d, clock)
		files := fileStore(t, clock)
		deps := demo.CasesDeps{DB: d, Orgs: s.orgs, Parties: s.parties, Files: files,
			History: history.NewStore(d, clock, log, s.parties, history.DefaultRules(), files),
			Books:   catalogue.NewStore(d, clock, log).Books()}
		sum, err := demo.SeedCases(ctx, deps, now, 120)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", sum)
		if sum.Cases < 90 || sum.Open == 0 || sum.Open == sum.Cases || sum.Contacts < sum.Cases/2 {
			t.Errorf("cases %d (open %d), contacts %d: want about 110 cases, some closed, most from contacts", sum.Cases, sum.Open, sum.Contacts)
		}
		if sum.AdvisorOverdue == 0 || sum.AdvisorToday < 3 {
			t.Errorf("the advisor's day: %d overdue, %d today", sum.AdvisorOverdue, sum.AdvisorToday)
		}
		rows, err := d.Query(ctx, "SELECT cl.code, c.status, COUNT(*) FROM cases c JOIN case_classifications cl ON cl.id = c.classification_id GROUP BY cl.code, c.status")
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for rows.Next() {
			var code, status string
			var n int
			if err := rows.Scan(&code, &status, &n); err != nil {
				t.Fatal(err)
			}
			states[code+"/"+status] = n
		}
		rows.Close()
		for _, want := range []string{"claim/received", "claim/analysis", "claim/answered", "address_change/proof_awaited", "dunning/reminded"} {
			if states[want] == 0 {
				t.Errorf("no case %s (%v)", want, states)
			}
		}
		var letters int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM case_elements WHERE kind = 'letter' AND file_hash <> ''").Scan(&letters); err != nil || letters == 0 {
			t.Errorf("%d letters generated (%v)", letters, err)
		}
	})
}
