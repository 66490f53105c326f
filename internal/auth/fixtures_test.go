package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
)

var ctx = context.Background()

const (
	goodPassword = "correct-horse-42"
	ip           = "192.0.2.10"
	otherIP      = "198.51.100.7"
)

type env struct {
	d     *db.DB
	clock *core.FixedClock
	orgs  *org.Store
	auth  *auth.Service
	admin *core.Actor
}

// newEnv builds BANK → PARIS1 with an active advisor "marie" (password
// goodPassword), a departed agent "paul" and an agent "sso" without a password.
func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	clock := core.NewFixedClock(time.Date(2025, 7, 11, 8, 0, 0, 0, time.UTC))
	log := audit.New(d, clock)
	orgs := org.NewStore(d, clock, log)
	e := &env{d: d, clock: clock, orgs: orgs, auth: auth.NewService(d, clock, orgs, log), admin: core.System()}
	for _, u := range []org.UnitInput{
		{Code: "BANK", Name: "Bank", Kind: org.KindEstablishment},
		{Code: "PARIS1", Name: "Paris 1", Kind: org.KindAgency, ParentCode: "BANK"},
	} {
		if _, err := orgs.CreateUnit(ctx, e.admin, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []org.AgentInput{
		{Login: "marie", Name: "Marie Dupont", UnitCode: "PARIS1", Roles: []string{"advisor"}, Password: goodPassword},
		{Login: "paul", Name: "Paul Martin", UnitCode: "PARIS1", Roles: []string{"advisor"}, Password: goodPassword},
		{Login: "sso", Name: "Sam Sso", UnitCode: "PARIS1", Roles: []string{"advisor"}},
	} {
		if _, err := orgs.CreateAgent(ctx, e.admin, a); err != nil {
			t.Fatal(err)
		}
	}
	e.deactivate(t, "paul")
	return e
}

func (e *env) deactivate(t *testing.T, login string) {
	t.Helper()
	off := false
	if _, err := e.orgs.UpdateAgent(ctx, e.admin, login, org.AgentUpdate{Active: &off}); err != nil {
		t.Fatal(err)
	}
}

// login signs marie in from ip, failing the test on error.
func (e *env) login(t *testing.T) (string, *core.Actor) {
	t.Helper()
	token, actor, err := e.auth.Login(ctx, "marie", goodPassword, ip)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return token, actor
}

func wantCode(t *testing.T, err error, code core.Code) {
	t.Helper()
	if got := core.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

// auditEntries returns "action detail" of every audit entry starting with prefix.
func auditEntries(t *testing.T, d *db.DB, prefix string) []string {
	t.Helper()
	rows, err := d.Query(ctx, "SELECT action, detail FROM audit_log ORDER BY at, id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, detail string
		if err := rows.Scan(&action, &detail); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(action+" ", prefix) {
			out = append(out, action+" "+detail)
		}
	}
	return out
}
