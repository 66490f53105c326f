package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/leads"
)

// The demo's leads come from every source group, most are answered — most
// of those within 24 business hours, some later — a few still wait, and
// the rules routed them to the contact centre and the agencies.
func TestSeedLeadsAnswersMostLeadsWithASpreadOfResponseTimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		now := time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC) // a Monday, 10:00 in Lyon
		sum, err := demo.SeedLeads(ctx, demo.LeadsDeps{DB: d, Orgs: s.orgs, Parties: s.parties}, now, 80)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", sum)
		if sum.Leads != 80 || sum.Answered < 50 || sum.Answered == sum.Leads || sum.Within24h == sum.Answered || sum.Within24h < sum.Answered/2 {
			t.Errorf("%+v: want 80 leads, most answered, most of those within 24 h but not all", sum)
		}
		store := leads.NewStore(leads.Deps{DB: d, Clock: core.NewFixedClock(now), Orgs: s.orgs, Parties: s.parties})
		page, err := store.List(ctx, core.System(), leads.Filter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		groups, routes := map[string]int{}, map[string]int{}
		for _, l := range page.Leads {
			groups[l.SourceGroup]++
			routes[l.Route]++
			if l.ReceivedAt.After(now) || l.ReceivedAt.Before(now.AddDate(0, 0, -31)) {
				t.Errorf("lead received at %s, outside the last 30 days", l.ReceivedAt)
			}
		}
		for _, g := range []string{"Internet", "Partenaires", "Réseau"} {
			if groups[g] == 0 {
				t.Errorf("no lead from %s: %v", g, groups)
			}
		}
		if routes[leads.RouteRule] != len(page.Leads) {
			t.Errorf("routes %v: every demo lead matches a rule", routes)
		}
	})
}
