package dashboard_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

type fixture struct {
	*webtest.App
	Store               *dashboard.Store
	Admin, Adv1, Viewer *core.Actor
	ctx                 context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &fixture{App: app, Store: app.App.Dashboard, ctx: context.Background()}
	f.Admin, f.Adv1, f.Viewer = f.actor(t, "admin"), f.actor(t, "adv1"), f.actor(t, "viewer")
	return f
}

func (f *fixture) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	a, err := f.Orgs.AgentByLogin(f.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := f.Orgs.Actor(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// kinds lists the kinds of the actor's dashboard in order.
func (f *fixture) kinds(t *testing.T, actor *core.Actor) []string {
	t.Helper()
	l, err := f.Store.Widgets(f.ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for i, w := range l.Widgets {
		if w.Position != i+1 {
			t.Errorf("widget %s at position %d, listed %d", w.Kind, w.Position, i+1)
		}
		out = append(out, w.Kind)
	}
	return out
}

// reasonOf is the reason code of field in err ("" when none).
func reasonOf(err error, field string) string {
	var e *core.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field].Code
}

func TestTheDefaultDashboardOffersTheWidgetsOfTheAgentsPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		adv, err := f.Store.Widgets(f.ctx, f.Adv1)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"my_tasks", "my_requests", "my_leads", "lead_response", "recent_customers"}
		if got := f.kinds(t, f.Adv1); !slices.Equal(got, want) || !adv.Default {
			t.Errorf("advisor: %v (default %v), want %v", got, adv.Default, want)
		}
		if !slices.Equal(adv.Addable, []string{"lead_response", "orphan_reports"}) {
			t.Errorf("advisor may add %v", adv.Addable)
		}
		// The read-only agent has no tasks, no leads and writes no report.
		if got := f.kinds(t, f.Viewer); !slices.Equal(got, []string{"my_requests", "recent_customers"}) {
			t.Errorf("viewer: %v", got)
		}
		if _, err := f.Store.Add(f.ctx, f.Viewer, "my_tasks", nil); reasonOf(err, "kind") != "one_of" {
			t.Errorf("viewer adding tasks: %v", err)
		}
	})
}

func TestAWidgetIsAddedMovedConfiguredAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A default widget is known by its kind until the first change stores the set.
		if err := f.Store.Remove(f.ctx, f.Adv1, "my_tasks"); err != nil {
			t.Fatal(err)
		}
		l, _ := f.Store.Widgets(f.ctx, f.Adv1)
		if l.Default || !slices.Equal(f.kinds(t, f.Adv1), []string{"my_requests", "my_leads", "lead_response", "recent_customers"}) {
			t.Fatalf("after removing tasks: %v default %v", f.kinds(t, f.Adv1), l.Default)
		}
		if !slices.Contains(l.Addable, "my_tasks") {
			t.Errorf("a removed widget is offered again: %v", l.Addable)
		}
		w, err := f.Store.Add(f.ctx, f.Adv1, "orphan_reports", nil)
		if err != nil {
			t.Fatal(err)
		}
		if w.Position != 5 || !core.ValidID(w.ID) {
			t.Errorf("added: %+v", w)
		}
		if w, err = f.Store.Move(f.ctx, f.Adv1, w.ID, 1); err != nil || w.Position != 1 {
			t.Fatalf("moved: %+v %v", w, err)
		}
		if got := f.kinds(t, f.Adv1); !slices.Equal(got, []string{"orphan_reports", "my_requests", "my_leads", "lead_response", "recent_customers"}) {
			t.Errorf("after the move: %v", got)
		}
		l, _ = f.Store.Widgets(f.ctx, f.Adv1)
		resp := l.Widgets[3]
		if _, err := f.Store.Move(f.ctx, f.Adv1, resp.ID, 6); reasonOf(err, "position") != "out_of_range" {
			t.Errorf("move past the end: %v", err)
		}
		c, err := f.Store.Configure(f.ctx, f.Adv1, resp.ID, dashboard.Settings{"window": "7d", "source_group": " web ", "unit": "A1", "product": ""})
		if err != nil {
			t.Fatal(err)
		}
		if window, _ := c.Settings.Window(); window != "7d" || c.Settings["source_group"] != "web" || c.Settings["unit"] != "A1" || len(c.Settings) != 3 {
			t.Errorf("configured: %+v", c.Settings)
		}
		if err := f.Store.Remove(f.ctx, f.Adv1, resp.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.Remove(f.ctx, f.Adv1, resp.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("removed twice: %v", err)
		}
		// Another agent's widget is not found.
		l, _ = f.Store.Widgets(f.ctx, f.Adv1)
		if err := f.Store.Remove(f.ctx, f.Viewer, l.Widgets[0].ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("someone else's widget: %v", err)
		}
		// Removing every widget leaves an empty dashboard, not the defaults.
		for _, w := range l.Widgets {
			if err := f.Store.Remove(f.ctx, f.Adv1, w.ID); err != nil {
				t.Fatal(err)
			}
		}
		if l, _ = f.Store.Widgets(f.ctx, f.Adv1); len(l.Widgets) != 0 || l.Default {
			t.Errorf("after removing all: %+v", l)
		}
	})
}

func TestADashboardHoldsTwelveWidgetsAndEachKindOnceButTheResponseTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Store.Add(f.ctx, f.Adv1, "my_requests", nil); reasonOf(err, "kind") != "widget_present" {
			t.Errorf("a second desk widget: %v", err)
		}
		if _, err := f.Store.Add(f.ctx, f.Adv1, "weather", nil); reasonOf(err, "kind") != "one_of" {
			t.Errorf("an unknown kind: %v", err)
		}
		for i := 5; i < dashboard.MaxWidgets; i++ {
			if _, err := f.Store.Add(f.ctx, f.Adv1, "lead_response", dashboard.Settings{"source_group": fmt.Sprint("g", i)}); err != nil {
				t.Fatalf("widget %d: %v", i+1, err)
			}
		}
		l, _ := f.Store.Widgets(f.ctx, f.Adv1)
		if len(l.Widgets) != dashboard.MaxWidgets || len(l.Addable) != 0 {
			t.Fatalf("%d widgets, may add %v", len(l.Widgets), l.Addable)
		}
		if _, err := f.Store.Add(f.ctx, f.Adv1, "orphan_reports", nil); reasonOf(err, "kind") != "too_many" {
			t.Errorf("a thirteenth widget: %v", err)
		}
	})
}

func TestInvalidSettingsAreRefusedWithTheirReasons(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, c := range []struct {
			kind     string
			settings dashboard.Settings
			field    string
			reason   string
		}{
			{"lead_response", dashboard.Settings{"window": "3d"}, "window", "one_of"},
			{"lead_response", dashboard.Settings{"unit": "ZZ"}, "unit", "unknown_unit_code"},
			{"lead_response", dashboard.Settings{"unit": "A2"}, "unit", "outside_scope"},
			{"lead_response", dashboard.Settings{"source_group": "web\x00"}, "source_group", "nul_byte"},
			{"lead_response", dashboard.Settings{"product": "\xff"}, "product", "invalid_utf8"},
			{"lead_response", dashboard.Settings{"product": strings.Repeat("é", core.MaxCode+1)}, "product", "too_long"},
			{"lead_response", dashboard.Settings{"colour": "red"}, "colour", "unknown_setting"},
			{"recent_customers", dashboard.Settings{"count": "0"}, "count", "out_of_range"},
			{"recent_customers", dashboard.Settings{"count": "999999999999999999999"}, "count", "whole_number"},
			{"recent_customers", dashboard.Settings{"count": "two"}, "count", "whole_number"},
			{"orphan_reports", dashboard.Settings{"window": "7d"}, "window", "unknown_setting"},
		} {
			_, err := f.Store.Add(f.ctx, f.Adv1, c.kind, c.settings)
			if c.kind == "recent_customers" { // on the default dashboard already: its settings change
				_, err = f.Store.Configure(f.ctx, f.Adv1, c.kind, c.settings)
			}
			if got := reasonOf(err, c.field); got != c.reason {
				t.Errorf("%s %q: %s (%v), want %s", c.kind, c.settings, got, err, c.reason)
			}
		}
		if l, _ := f.Store.Widgets(f.ctx, f.Adv1); len(l.Widgets) != 5 || !l.Default {
			t.Errorf("refused changes were stored: %+v", l)
		}
	})
}

func TestRecentCustomersAreTheLatestConsultedStillInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var created []party.Party
		for i := range dashboard.MaxRecent + 1 {
			p, err := f.Parties.Create(f.ctx, core.System(), party.Input{Kind: "person", Status: "prospect",
				FirstName: "Client", LastName: fmt.Sprint("N", i), AgencyCode: "A1"})
			if err != nil {
				t.Fatal(err)
			}
			created = append(created, p)
		}
		clock := f.App.App.Clock.(*core.FixedClock)
		if err := f.Store.RecordVisit(f.ctx, f.Adv1, f.P1.ID); err != nil {
			t.Fatal(err)
		}
		for _, p := range created {
			clock.Advance(time.Second)
			if err := f.Store.RecordVisit(f.ctx, f.Adv1, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		recent, err := f.Store.Recent(f.ctx, f.Adv1, dashboard.MaxRecent+10)
		if err != nil {
			t.Fatal(err)
		}
		if len(recent) != dashboard.MaxRecent || recent[0].PartyID != created[len(created)-1].ID || recent[0].Name != "Client N50" {
			t.Fatalf("%d recent, first %+v", len(recent), recent[0])
		}
		// Consulted again, Hélène comes back on top; the oldest of the others went.
		clock.Advance(time.Second)
		if err := f.Store.RecordVisit(f.ctx, f.Adv1, f.P1.ID); err != nil {
			t.Fatal(err)
		}
		recent, _ = f.Store.Recent(f.ctx, f.Adv1, 3)
		if len(recent) != 3 || recent[0].PartyID != f.P1.ID || recent[0].Name != "Hélène Dupré" || recent[1].PartyID != created[50].ID {
			t.Errorf("after consulting Hélène again: %+v", recent)
		}
		// A customer out of scope is not recorded; one moved out of it disappears.
		if err := f.Store.RecordVisit(f.ctx, f.Adv1, f.P2.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("out of scope: %v", err)
		}
		a2, _ := f.Orgs.UnitByCode(f.ctx, "A2")
		if _, err := d.Exec(f.ctx, "UPDATE parties SET agency_id = ? WHERE id = ?", a2.ID, f.P1.ID); err != nil {
			t.Fatal(err)
		}
		recent, _ = f.Store.Recent(f.ctx, f.Adv1, 3)
		if len(recent) != 3 || slices.ContainsFunc(recent, func(v dashboard.Visit) bool { return v.PartyID == f.P1.ID }) {
			t.Errorf("a customer moved out of scope still shows: %+v", recent)
		}
		// Each agent has their own list; the read-only agent sees what they consulted.
		if recent, _ := f.Store.Recent(f.ctx, f.Viewer, 5); len(recent) != 0 {
			t.Errorf("the viewer's list: %+v", recent)
		}
	})
}

func TestChangesMadeAtOnceInTwoTabsAreAllKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Store.Add(f.ctx, f.Adv1, "orphan_reports", nil); err != nil { // the dashboard is now the agent's own
			t.Fatal(err)
		}
		errs := make(chan error, 6)
		for i := range 6 {
			go func() {
				_, err := f.Store.Add(f.ctx, f.Adv1, "lead_response", dashboard.Settings{"source_group": fmt.Sprint("g", i)})
				errs <- err
			}()
		}
		for range 6 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		l, _ := f.Store.Widgets(f.ctx, f.Adv1)
		groups := map[string]bool{}
		for _, w := range l.Widgets {
			groups[w.Settings["source_group"]] = true
		}
		if len(l.Widgets) != dashboard.MaxWidgets || len(groups) != 7 {
			t.Errorf("%d widgets, source groups %v: a change was lost", len(l.Widgets), groups)
		}
	})
}
