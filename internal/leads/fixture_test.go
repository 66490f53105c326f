package leads_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// fixture is the test organisation (webtest: BR, R1, R2, A1, A2; admin,
// adv1 and viewer) with two more advisors in A1 (adv1b, adv1c), one in A2
// (adv2) and a manager of A2 (mgr2); every assignment told to OnAssigned
// is kept.
type fixture struct {
	*webtest.App
	Leads    *leads.Store
	Clock    *core.FixedClock
	Admin    *core.Actor // BR, the whole organisation: the integration's token
	ctx      context.Context
	mu       sync.Mutex
	assigned []leads.Assigned
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &fixture{App: app, Leads: app.App.Leads, Clock: app.App.Clock.(*core.FixedClock), ctx: context.Background()}
	sys := core.System()
	for _, a := range []org.AgentInput{
		{Login: "adv1b", Name: "Inès Conseillère", UnitCode: "A1", Roles: []string{"advisor"}},
		{Login: "adv1c", Name: "Paul Conseiller", UnitCode: "A1", Roles: []string{"advisor"}},
		{Login: "adv2", Name: "Lina Lyon", UnitCode: "A2", Roles: []string{"advisor"}},
		{Login: "mgr2", Name: "Marc Manager", UnitCode: "A2", Roles: []string{"manager"}},
	} {
		if _, err := app.Orgs.CreateAgent(f.ctx, sys, a); err != nil {
			t.Fatal(err)
		}
	}
	f.Admin = f.actor(t, "admin")
	f.Leads.OnAssigned.Subscribe(func(_ context.Context, _ *db.Tx, a leads.Assigned) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.assigned = append(f.assigned, a)
		return nil
	})
	return f
}

// actor is the actor of the agent with login.
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

// input is a valid lead with external id ext, from the website, for a new
// prospect.
func input(ext string) leads.Input {
	return leads.Input{Source: "website", SourceGroup: "web", ExternalID: ext, FirstName: "Jeanne",
		LastName: "Prospect-" + ext, Email: "jeanne." + ext + "@example.org", Product: "savings", Message: "Rappelez-moi"}
}

// create stores in as the integration (admin) and fails the test on error.
func (f *fixture) create(t *testing.T, in leads.Input) leads.Lead {
	t.Helper()
	l, _, err := f.Leads.Create(f.ctx, f.Admin, in)
	if err != nil {
		t.Fatalf("create lead %s: %v", in.ExternalID, err)
	}
	return l
}

// toA1 routes every lead to A1 (a rule without criteria).
func (f *fixture) toA1(t *testing.T) {
	t.Helper()
	if _, err := f.Leads.SaveRules(f.ctx, f.Admin, "BR", []leads.RuleInput{{UnitCode: "A1"}}); err != nil {
		t.Fatal(err)
	}
}

// told returns the assignments told to OnAssigned so far.
func (f *fixture) told() []leads.Assigned {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]leads.Assigned(nil), f.assigned...)
}

// count runs a COUNT(*) query.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(f.ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// assigneeOf is the login of l's assignee, "" when waiting.
func assigneeOf(l leads.Lead) string {
	if l.Assignee == nil {
		return ""
	}
	return l.Assignee.Login
}

// paris is the test units' time zone.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// setClock moves the fixture's clock to t (forward only).
func (f *fixture) setClock(t *testing.T, to time.Time) {
	t.Helper()
	d := to.Sub(f.Clock.Now())
	if d < 0 {
		t.Fatalf("the clock cannot go back to %s", to)
	}
	f.Clock.Advance(d)
}

func ext(i int) string { return fmt.Sprintf("ext-%03d", i) }
