package org_test

import (
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func roleNamed(t *testing.T, s *org.Store, code string) org.Role {
	t.Helper()
	roles, err := s.ListRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("role %s not listed in %v", code, roles)
	return org.Role{}
}

func TestBuiltinRolesCanBeEditedButNotDeleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		viewer := roleNamed(t, e.store, "viewer")
		if !viewer.Builtin {
			t.Fatal("viewer should be built in")
		}
		viewer.Permissions = append(viewer.Permissions, core.PermAuditRead)
		viewer.Builtin = false // cannot be changed through SaveRole
		if err := e.store.SaveRole(ctx, e.admin, viewer); err != nil {
			t.Fatal(err)
		}
		got := roleNamed(t, e.store, "viewer")
		if !got.Builtin || !slices.Contains(got.Permissions, core.PermAuditRead) {
			t.Fatalf("viewer after edit = %+v", got)
		}
		wantCode(t, e.store.DeleteRole(ctx, e.admin, "viewer"), core.Conflict)
		roleNamed(t, e.store, "viewer")
	})
}

func TestCustomRoleIsCreatedAndDeletedOnceNoAgentHoldsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		r := org.Role{Code: "auditor", Name: "Auditor", Permissions: []core.Permission{core.PermAuditRead, core.PermPartyRead, core.PermAuditRead}}
		if err := e.store.SaveRole(ctx, e.admin, r); err != nil {
			t.Fatal(err)
		}
		got := roleNamed(t, e.store, "auditor")
		if got.Builtin || !slices.Equal(got.Permissions, []core.Permission{core.PermPartyRead, core.PermAuditRead}) {
			t.Fatalf("saved role = %+v, want permissions deduplicated in canonical order", got)
		}
		e.agent(t, org.AgentInput{Login: "audrey", UnitCode: "BANK", Roles: []string{"auditor"}})
		wantCode(t, e.store.DeleteRole(ctx, e.admin, "auditor"), core.Conflict)
		if _, err := e.store.UpdateAgent(ctx, e.admin, "audrey", org.AgentUpdate{Roles: &[]string{}}); err != nil {
			t.Fatal(err)
		}
		if err := e.store.DeleteRole(ctx, e.admin, "auditor"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.store.DeleteRole(ctx, e.admin, "auditor"), core.NotFound)
		entries := auditDetails(t, d)
		if !hasAction(entries, "role.create") || !hasAction(entries, "role.delete") {
			t.Fatalf("role changes not audited: %v", entries)
		}
	})
}

func TestRoleRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, tc := range []struct {
			name  string
			role  org.Role
			field string
		}{
			{"code missing", org.Role{Name: "X"}, "code"},
			{"code upper-case", org.Role{Code: "Boss", Name: "X"}, "code"},
			{"name missing", org.Role{Code: "boss"}, "name"},
			{"unknown permission", org.Role{Code: "boss", Name: "Boss", Permissions: []core.Permission{"fly"}}, "permissions"},
			{"admin role without the admin permission", org.Role{Code: "admin", Name: "Admin", Permissions: []core.Permission{core.PermPartyRead}}, "permissions"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := e.store.SaveRole(ctx, e.admin, tc.role)
				wantCode(t, err, core.Invalid)
				wantField(t, err, tc.field)
			})
		}
		advisor := &core.Actor{AgentID: core.NewID(), Login: "x"}
		wantCode(t, e.store.SaveRole(ctx, advisor, org.Role{Code: "boss", Name: "Boss"}), core.Forbidden)
	})
}
