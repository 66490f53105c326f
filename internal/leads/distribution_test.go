package leads_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestEachKindOfRuleRoutesALeadAndTheFirstMatchWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		saved, err := f.Leads.SaveRules(f.ctx, f.Admin, "BR", []leads.RuleInput{
			{Source: "comparator", UnitCode: "A2"},
			{Product: "mortgage", UnitCode: "A1"},
			{PostalCodePrefix: "69", UnitCode: "A2"},
		})
		if err != nil || len(saved) != 3 || saved[2].Position != 3 {
			t.Fatalf("save rules: %v %v", saved, err)
		}
		for _, c := range []struct {
			name                    string
			source, product, postal string
			unitCode                string
			route, unit, rule       string
		}{
			{"by source", "comparator", "savings", "75002", "", leads.RouteRule, "A2", "rule 1: source=comparator"},
			{"by product", "website", "mortgage", "13001", "", leads.RouteRule, "A1", "rule 2: product=mortgage"},
			{"by postal code prefix", "website", "savings", "69003", "", leads.RouteRule, "A2", "rule 3: postal_code=69…"},
			{"the first match wins", "comparator", "mortgage", "69003", "", leads.RouteRule, "A2", "rule 1: source=comparator"},
			{"no rule: the unit named", "website", "savings", "13001", "A1", leads.RouteUnit, "A1", "unit"},
			{"no rule, no unit: the establishment", "website", "savings", "13001", "", leads.RouteDefault, "BR", "default"},
		} {
			in := input(c.unit + "-" + c.route + "-" + c.postal + c.product)
			in.Source, in.Product, in.PostalCode, in.UnitCode = c.source, c.product, c.postal, c.unitCode
			l := f.create(t, in)
			if l.Route != c.route || l.UnitCode != c.unit || l.RouteName() != c.rule {
				t.Errorf("%s: %s to %s (%q), want %s to %s (%q)", c.name, l.Route, l.UnitCode, l.RouteName(), c.route, c.unit, c.rule)
			}
		}
		rules, err := f.Leads.Rules(f.ctx, f.Admin, "BR")
		if err != nil || len(rules) != 3 || rules[1].UnitCode != "A1" || rules[1].Product != "mortgage" {
			t.Errorf("rules read back: %+v %v", rules, err)
		}
	})
}

func TestRulesNameUnitsOfTheirEstablishmentAndOnlyAnAdministratorSavesThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.Leads.SaveRules(f.ctx, f.Admin, "BR", []leads.RuleInput{{Source: "web", UnitCode: "A1"},
			{Source: "x", UnitCode: "NOPE"}, {Product: "y"}})
		e, _ := err.(*core.Error)
		if e == nil || e.Fields["rules[1].unit_code"].Code != "unknown_unit_code" || e.Fields["rules[2].unit_code"].Code != "required" {
			t.Errorf("bad rules: %v", err)
		}
		if _, err := f.Leads.SaveRules(f.ctx, f.actor(t, "adv1"), "BR", nil); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor saves rules: %v", err)
		}
		if _, err := f.Leads.Rules(f.ctx, f.Admin, "A1"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("an agency's rules: %v, want not found", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM lead_rules"); n != 0 {
			t.Errorf("%d rules written", n)
		}
	})
}

func TestRoundRobinGivesEachAvailableAgentOfTheUnitTheSameNumberOfLeadsInTurn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		var order []string
		perAgent := map[string]int{}
		for i := range 9 {
			l := f.create(t, input(ext(i)))
			if l.Status != leads.StatusAssigned || l.AssignedBy != leads.AssignedRoundRobin || l.AssignedAt == nil {
				t.Fatalf("lead %d: %s by %q", i, l.Status, l.AssignedBy)
			}
			order = append(order, assigneeOf(l))
			perAgent[assigneeOf(l)]++
		}
		// The viewer of A1 lacks lead.work; the advisors take turns by login.
		want := []string{"adv1", "adv1b", "adv1c", "adv1", "adv1b", "adv1c", "adv1", "adv1b", "adv1c"}
		if !slices.Equal(order, want) {
			t.Errorf("turns %v, want %v", order, want)
		}
		if got := slices.Sorted(maps.Keys(perAgent)); !slices.Equal(got, []string{"adv1", "adv1b", "adv1c"}) {
			t.Errorf("agents %v", got)
		}
		told := f.told()
		if len(told) != 9 {
			t.Fatalf("%d assignments told, want one per lead", len(told))
		}
		for i, a := range told {
			if a.Previous != "" || a.By != nil || a.Lead.Assignee == nil || a.Lead.Assignee.Login != want[i] {
				t.Errorf("told %d: %+v", i, a)
			}
		}
	})
}

func TestAnAbsentAgentAndADeactivatedOneAreSkipped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		now := f.Clock.Now()
		if _, err := f.Leads.AddAbsence(f.ctx, f.Admin, "adv1b", leads.AbsenceInput{StartsAt: now.Add(-time.Hour),
			EndsAt: now.Add(2 * time.Hour), Note: "Formation"}); err != nil {
			t.Fatal(err)
		}
		// An absence that starts later does not count yet.
		if _, err := f.Leads.AddAbsence(f.ctx, f.Admin, "adv1", leads.AbsenceInput{StartsAt: now.Add(3 * time.Hour),
			EndsAt: now.Add(5 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		inactive := false
		if _, err := f.Orgs.UpdateAgent(f.ctx, core.System(), "adv1c", org.AgentUpdate{Active: &inactive}); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if l := f.create(t, input(ext(i))); assigneeOf(l) != "adv1" {
				t.Errorf("lead %d went to %q, want adv1 (adv1b absent, adv1c deactivated)", i, assigneeOf(l))
			}
		}
		// The absence ends: adv1b takes turns again.
		f.Clock.Advance(2 * time.Hour)
		got := []string{assigneeOf(f.create(t, input("after-1"))), assigneeOf(f.create(t, input("after-2")))}
		if !slices.Equal(got, []string{"adv1b", "adv1"}) {
			t.Errorf("after the absence: %v, want adv1b then adv1", got)
		}
	})
}

func TestALeadArrivingWhileItsUnitIsClosedWaitsThenIsAssignedWhenItOpens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		// Friday 27 November 2026, 19:30 in Paris: A1 (09:00–18:00) is closed.
		friday := time.Date(2026, 11, 27, 19, 30, 0, 0, paris)
		f.setClock(t, friday)
		l := f.create(t, input("night"))
		monday := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
		if l.Status != leads.StatusNew || l.Assignee != nil || !l.ClockStartAt.Equal(monday) || !l.ReceivedAt.Equal(friday) {
			t.Fatalf("a lead on Friday night: %s, assignee %v, clock from %s", l.Status, l.Assignee, l.ClockStartAt)
		}
		if n, err := f.Leads.AssignWaiting(f.ctx); err != nil || n != 0 {
			t.Errorf("still closed: %d assigned, %v", n, err)
		}
		f.setClock(t, time.Date(2026, 11, 28, 11, 0, 0, 0, paris)) // Saturday
		if n, err := f.Leads.AssignWaiting(f.ctx); err != nil || n != 0 {
			t.Errorf("Saturday: %d assigned, %v", n, err)
		}
		if len(f.told()) != 0 {
			t.Errorf("an agent was alerted while the unit was closed")
		}
		f.setClock(t, monday.Add(time.Minute))
		if n, err := f.Leads.AssignWaiting(f.ctx); err != nil || n != 1 {
			t.Fatalf("Monday at opening: %d assigned, %v", n, err)
		}
		got, err := f.Leads.Get(f.ctx, f.Admin, l.ID)
		if err != nil || got.Status != leads.StatusAssigned || assigneeOf(got) != "adv1" {
			t.Errorf("after opening: %s to %q, %v", got.Status, assigneeOf(got), err)
		}
		if told := f.told(); len(told) != 1 || told[0].Lead.ID != l.ID {
			t.Errorf("told %+v, want the waiting lead once", told)
		}
		if n, err := f.Leads.AssignWaiting(f.ctx); err != nil || n != 0 {
			t.Errorf("run again: %d assigned, %v", n, err)
		}
	})
}

func TestALeadWaitsWhenNobodyOfItsUnitIsAvailable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Leads.SaveRules(f.ctx, f.Admin, "BR", []leads.RuleInput{{UnitCode: "A2"}}); err != nil {
			t.Fatal(err)
		}
		now := f.Clock.Now()
		for _, login := range []string{"adv2", "mgr2"} {
			if _, err := f.Leads.AddAbsence(f.ctx, f.Admin, login, leads.AbsenceInput{StartsAt: now, EndsAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		l := f.create(t, input("alone"))
		if l.Status != leads.StatusNew || l.Assignee != nil || !l.ClockStartAt.Equal(l.ReceivedAt) {
			t.Fatalf("%s to %v, clock start %s", l.Status, l.Assignee, l.ClockStartAt)
		}
		f.Clock.Advance(time.Hour)
		if n, err := f.Leads.AssignWaiting(f.ctx); err != nil || n != 1 {
			t.Fatalf("back from absence: %d, %v", n, err)
		}
		if got, _ := f.Leads.Get(f.ctx, f.Admin, l.ID); assigneeOf(got) != "adv2" {
			t.Errorf("assigned to %q, want adv2 (first by login)", assigneeOf(got))
		}
	})
}
