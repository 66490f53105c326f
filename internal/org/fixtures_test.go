package org_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
)

var ctx = context.Background()

// env is a store on a fresh database with the clock stopped on a summer
// Friday morning in Paris.
type env struct {
	d     *db.DB
	clock *core.FixedClock
	store *org.Store
	admin *core.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	clock := core.NewFixedClock(time.Date(2025, 7, 11, 8, 0, 0, 0, time.UTC))
	return &env{d: d, clock: clock, store: org.NewStore(d, clock, audit.New(d, clock)), admin: core.System()}
}

// unit creates a unit, failing the test on error.
func (e *env) unit(t *testing.T, code string, kind org.UnitKind, parent string) org.Unit {
	t.Helper()
	u, err := e.store.CreateUnit(ctx, e.admin, org.UnitInput{Code: code, Name: "Unit " + code, Kind: kind, ParentCode: parent})
	if err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

// tree builds two establishments:
//
//	BANK → IDF → PARIS1, PARIS2
//	     → SUD → MARS
//	     → CC (service), SUPPORT (support service)
//	INSUR → INSAG
func (e *env) tree(t *testing.T) map[string]org.Unit {
	t.Helper()
	units := map[string]org.Unit{}
	for _, u := range []struct {
		code   string
		kind   org.UnitKind
		parent string
	}{
		{"BANK", org.KindEstablishment, ""},
		{"IDF", org.KindRegion, "BANK"},
		{"PARIS1", org.KindAgency, "IDF"},
		{"PARIS2", org.KindAgency, "IDF"},
		{"SUD", org.KindRegion, "BANK"},
		{"MARS", org.KindAgency, "SUD"},
		{"CC", org.KindService, "BANK"},
		{"INSUR", org.KindEstablishment, ""},
		{"INSAG", org.KindAgency, "INSUR"},
	} {
		units[u.code] = e.unit(t, u.code, u.kind, u.parent)
	}
	sup, err := e.store.CreateUnit(ctx, e.admin, org.UnitInput{Code: "SUPPORT", Name: "IT support", Kind: org.KindService, ParentCode: "BANK", Support: true})
	if err != nil {
		t.Fatal(err)
	}
	units["SUPPORT"] = sup
	return units
}

// agent creates an agent, failing the test on error.
func (e *env) agent(t *testing.T, in org.AgentInput) org.Agent {
	t.Helper()
	if in.Name == "" {
		in.Name = "Agent " + in.Login
	}
	a, err := e.store.CreateAgent(ctx, e.admin, in)
	if err != nil {
		t.Fatalf("create agent %s: %v", in.Login, err)
	}
	return a
}

// actor returns the actor of an agent, failing the test on error.
func (e *env) actor(t *testing.T, agentID string) *core.Actor {
	t.Helper()
	a, err := e.store.Actor(ctx, agentID)
	if err != nil {
		t.Fatalf("actor: %v", err)
	}
	return a
}

// auditDetails returns the action and detail of every audit entry, oldest first.
func auditDetails(t *testing.T, d *db.DB) []string {
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
		out = append(out, action+" "+detail)
	}
	return out
}

func hasAction(entries []string, action string) bool {
	for _, e := range entries {
		if strings.HasPrefix(e, action+" ") {
			return true
		}
	}
	return false
}

func wantCode(t *testing.T, err error, code core.Code) {
	t.Helper()
	if got := core.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

// wantField checks err is Invalid (or Conflict) and names field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) || e.Fields[field].Code == "" {
		t.Fatalf("error = %v, want a reason on field %q", err, field)
	}
}

func ptr[T any](v T) *T { return &v }
