package org_test

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAnAdministratorSetsOnlyTheEstablishmentsOfTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		bankAdmin := &core.Actor{Login: "a", Permissions: []core.Permission{core.PermAdmin},
			Scope: core.Scope{UnitIDs: []string{units["BANK"].ID, units["IDF"].ID}}}
		ests, err := e.store.AdministeredEstablishments(ctx, bankAdmin)
		if err != nil || len(ests) != 1 || ests[0].Code != "BANK" {
			t.Fatalf("establishments of the bank's administrator: %v, %v; want BANK only", ests, err)
		}
		if u, err := e.store.AdministeredEstablishment(ctx, bankAdmin, "BANK"); err != nil || u.ID != units["BANK"].ID {
			t.Errorf("BANK: %v, %v", u, err)
		}
		for _, code := range []string{"INSUR", "IDF", "NOPE"} { // another's, not an establishment, unknown
			if _, err := e.store.AdministeredEstablishment(ctx, bankAdmin, code); core.ErrorCode(err) != core.NotFound {
				t.Errorf("%s: %v, want not found", code, err)
			}
		}
		if _, err := e.store.AdministeredEstablishment(ctx, bankAdmin, "BANK\x00"); core.ErrorCode(err) != core.Invalid {
			t.Errorf("a code with a NUL: %v, want invalid", err)
		}
		advisor := &core.Actor{Login: "b", Permissions: []core.Permission{core.PermPartyRead}, Scope: core.Scope{All: true}}
		if _, err := e.store.AdministeredEstablishment(ctx, advisor, "BANK"); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor: %v, want forbidden", err)
		}
	})
}
