package org_test

import (
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestScopeExpandsToEveryUnitBelowTheScopeUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		for _, tc := range []struct {
			name     string
			unit     string
			scope    []string
			roles    []string
			wantAll  bool
			wantUnit []string
		}{
			{"no scope means the own agency", "PARIS1", nil, []string{"advisor"}, false, []string{"PARIS1"}},
			{"a region covers its agencies", "PARIS1", []string{"IDF"}, []string{"advisor"}, false, []string{"IDF", "PARIS1", "PARIS2"}},
			{"two regions", "CC", []string{"IDF", "SUD"}, []string{"backoffice"}, false, []string{"IDF", "PARIS1", "PARIS2", "SUD", "MARS"}},
			{"nested scope units are not counted twice", "CC", []string{"IDF", "PARIS1"}, []string{"viewer"}, false, []string{"IDF", "PARIS1", "PARIS2"}},
			{"one establishment of two is not everything", "CC", []string{"BANK"}, []string{"manager"}, false,
				[]string{"BANK", "IDF", "PARIS1", "PARIS2", "SUD", "MARS", "CC", "SUPPORT"}},
			{"every establishment is the whole organisation", "CC", []string{"BANK", "INSUR"}, []string{"manager"}, true, nil},
			{"the admin role sees the whole organisation", "PARIS1", nil, []string{"admin"}, true, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := e.agent(t, org.AgentInput{Login: "a" + core.NewID()[24:], UnitCode: tc.unit, Roles: tc.roles, ScopeUnitCodes: tc.scope})
				actor := e.actor(t, a.ID)
				if actor.Scope.All != tc.wantAll {
					t.Fatalf("Scope.All = %v, want %v", actor.Scope.All, tc.wantAll)
				}
				if tc.wantAll {
					if !actor.Scope.Contains(units["INSAG"].ID) {
						t.Fatal("whole organisation does not contain INSAG")
					}
					return
				}
				var want []string
				for _, c := range tc.wantUnit {
					want = append(want, units[c].ID)
				}
				if !sameElements(actor.Scope.UnitIDs, want) || len(actor.Scope.UnitIDs) != len(want) {
					t.Fatalf("scope = %v, want units %v", codesOf(units, actor.Scope.UnitIDs), tc.wantUnit)
				}
			})
		}
	})
}

func codesOf(units map[string]org.Unit, ids []string) []string {
	var out []string
	for _, id := range ids {
		for code, u := range units {
			if u.ID == id {
				out = append(out, code)
			}
		}
	}
	return out
}

func TestScopeFollowsTheTreeAsUnitsAreAdded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		a := e.agent(t, org.AgentInput{Login: "manon", UnitCode: "IDF", Roles: []string{"manager"}})
		paris3 := e.unit(t, "PARIS3", org.KindAgency, "IDF")
		if !e.actor(t, a.ID).Scope.Contains(paris3.ID) {
			t.Fatal("an agency created under the manager's region is not in their scope")
		}
	})
}

func TestActorPermissionsAreTheUnionOfTheAgentsRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		if err := e.store.SaveRole(ctx, e.admin, org.Role{Code: "auditor", Name: "Auditor", Permissions: []core.Permission{core.PermAuditRead}}); err != nil {
			t.Fatal(err)
		}
		a := e.agent(t, org.AgentInput{Login: "vic", Name: "Victor Hugo", UnitCode: "PARIS1", Roles: []string{"viewer", "auditor"}, Locale: "en"})
		actor := e.actor(t, a.ID)
		want := []core.Permission{core.PermPartyRead, core.PermHistoryRead, core.PermRequestRead, core.PermAuditRead}
		if !slices.Equal(actor.Permissions, want) {
			t.Fatalf("permissions = %v, want %v", actor.Permissions, want)
		}
		if actor.Can(core.PermPartyEdit) || actor.Can(core.PermAdmin) {
			t.Fatal("viewer+auditor may not edit or administer")
		}
		if actor.AgentID != a.ID || actor.Login != "vic" || actor.Name != "Victor Hugo" || actor.UnitID != a.UnitID || actor.Locale != "en" {
			t.Fatalf("actor = %+v", actor)
		}
		noRoles := e.agent(t, org.AgentInput{Login: "nobody", UnitCode: "PARIS1"})
		if perms := e.actor(t, noRoles.ID).Permissions; len(perms) != 0 {
			t.Fatalf("agent without roles has permissions %v", perms)
		}
	})
}

func TestUnknownAgentHasNoActor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, err := e.store.Actor(ctx, core.NewID())
		wantCode(t, err, core.Unauthorized)
	})
}
