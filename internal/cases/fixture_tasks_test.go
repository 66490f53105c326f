package cases_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// taskFixture is the test organisation (establishment BR, agencies A1 and A2)
// with an advisor in each agency and a manager of A1. Definitions and
// cases are written with SQL: their administration and creation belong to
// other files of the package.
type taskFixture struct {
	*webtest.App
	Cases                    *cases.Store
	Clock                    *core.FixedClock
	Adv1, Adv2, Man1, Viewer *core.Actor
	Admin                    *core.Actor
	BR, A1, A2               string // unit ids
	ctx                      context.Context
	n                        int
}

func newTaskFixture(t *testing.T, d *db.DB) *taskFixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &taskFixture{App: app, Cases: app.App.Cases, Clock: app.App.Clock.(*core.FixedClock), ctx: context.Background()}
	for _, a := range []org.AgentInput{
		{Login: "adv2", Name: "Inès Conseillère", UnitCode: "A2", Roles: []string{"advisor"}, Password: webtest.Password},
		{Login: "man1", Name: "Marc Directeur", UnitCode: "A1", Roles: []string{"manager"}, Password: webtest.Password},
	} {
		if _, err := app.Orgs.AgentByLogin(f.ctx, a.Login); err == nil {
			continue // the shared test organisation has them already
		}
		if _, err := app.Orgs.CreateAgent(f.ctx, core.System(), a); err != nil {
			t.Fatal(err)
		}
	}
	f.Adv1, f.Adv2, f.Man1 = f.actor(t, "adv1"), f.actor(t, "adv2"), f.actor(t, "man1")
	f.Viewer, f.Admin = f.actor(t, "viewer"), f.actor(t, "admin")
	f.BR, f.A1, f.A2 = f.unit(t, "BR"), f.unit(t, "A1"), f.unit(t, "A2")
	return f
}

func (f *taskFixture) actor(t *testing.T, login string) *core.Actor {
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

func (f *taskFixture) unit(t *testing.T, code string) string {
	t.Helper()
	u, err := f.Orgs.UnitByCode(f.ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (f *taskFixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := f.DB.Exec(f.ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *taskFixture) str(t *testing.T, q string, args ...any) string {
	t.Helper()
	var s string
	if err := f.DB.QueryRow(f.ctx, q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// classification writes a classification of BR whose statuses are given
// in process order (the last one closed) and returns its id.
func (f *taskFixture) classification(t *testing.T, code string, statuses ...string) string {
	t.Helper()
	var p cases.Process
	for i, s := range statuses {
		p.Statuses = append(p.Statuses, cases.Status{Code: s, NameFR: s, NameEN: s, Closed: i == len(statuses)-1})
	}
	raw, _ := json.Marshal(p)
	id := core.NewID()
	now := core.Millis(f.Clock.Now())
	f.exec(t, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process, position, created_at,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, f.BR, code, code, code, string(raw), f.n, now, now)
	f.n++
	return id
}

// newCase writes a case of classification in unitID at status, on party
// (may be ""), with its responsible agent (a login, may be "").
func (f *taskFixture) newCase(t *testing.T, classificationID, unitID, status, partyID, responsible string) string {
	t.Helper()
	f.n++
	id := core.NewID()
	now := core.Millis(f.Clock.Now()) + int64(f.n)
	var party any
	if partyID != "" {
		party = partyID
	}
	f.exec(t, `INSERT INTO cases (id, reference, unit_id, classification_id, status, title, party_id, origin,
		establishment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?)`,
		id, fmt.Sprintf("C-%06d", f.n), unitID, classificationID, status, fmt.Sprintf("Case %d", f.n), party, f.BR, now, now)
	if responsible != "" {
		a, err := f.Orgs.AgentByLogin(f.ctx, responsible)
		if err != nil {
			t.Fatal(err)
		}
		f.exec(t, "INSERT INTO work_agents (owner_id, agent_id, role) VALUES (?, ?, 'responsible')", id, a.ID)
	}
	return id
}

// plan writes an action plan of BR.
func (f *taskFixture) plan(t *testing.T, code string, steps ...cases.PlanStep) {
	t.Helper()
	raw, _ := json.Marshal(steps)
	now := core.Millis(f.Clock.Now())
	f.exec(t, `INSERT INTO action_plans (id, establishment_id, code, name_fr, name_en, steps, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, core.NewID(), f.BR, code, code, code, string(raw), now, now)
}

func wantCode(t *testing.T, err error, code core.Code) {
	t.Helper()
	if core.ErrorCode(err) != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func wantReason(t *testing.T, err error, field, reason string) {
	t.Helper()
	e, ok := err.(*core.Error)
	if !ok || e.Fields[field].Code != reason {
		t.Fatalf("error = %v, want %s on %s", err, reason, field)
	}
}
