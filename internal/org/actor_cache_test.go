package org_test

import (
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

// The actor is kept between requests; what an administrator changes applies
// at once on the instance that made the change, and within about a second on
// another instance sharing the database.
func TestActorFollowsChangesToTheOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		a := e.agent(t, org.AgentInput{Login: "claire.m", UnitCode: "PARIS1", Roles: []string{"viewer"}})
		other := org.NewStore(d, e.clock, audit.New(d, e.clock)) // a second instance
		for _, s := range []*org.Store{e.store, other} {
			if actor, err := s.Actor(ctx, a.ID); err != nil || actor.Can(core.PermPartyEdit) {
				t.Fatalf("viewer: can edit %v, err %v", actor != nil && actor.Can(core.PermPartyEdit), err)
			}
		}
		// A caller changing its copy changes nothing for the next request.
		first, _ := e.store.Actor(ctx, a.ID)
		first.Permissions, first.Scope.UnitIDs = append(first.Permissions, core.PermAdmin), nil
		if again := e.actor(t, a.ID); again.Can(core.PermAdmin) || len(again.Scope.UnitIDs) != 1 {
			t.Fatalf("a caller's change reached the cache: %+v", again)
		}

		roles, scope := []string{"advisor"}, []string{"IDF"}
		if _, err := e.store.UpdateAgent(ctx, e.admin, "claire.m", org.AgentUpdate{Roles: &roles, ScopeUnitCodes: &scope}); err != nil {
			t.Fatal(err)
		}
		actor := e.actor(t, a.ID)
		if !actor.Can(core.PermPartyEdit) || !slices.Contains(actor.Scope.UnitIDs, units["PARIS2"].ID) {
			t.Fatalf("same instance after the change: can edit %v, scope %v", actor.Can(core.PermPartyEdit), actor.Scope.UnitIDs)
		}
		dbtest.Eventually(t, "the other instance sees the new roles", func() bool {
			actor, err := other.Actor(ctx, a.ID)
			return err == nil && actor.Can(core.PermPartyEdit) && slices.Contains(actor.Scope.UnitIDs, units["PARIS2"].ID)
		})

		// A unit created under the scope is in it.
		paris3 := e.unit(t, "PARIS3", org.KindAgency, "IDF")
		if actor := e.actor(t, a.ID); !actor.Scope.Contains(paris3.ID) {
			t.Fatal("a new agency of the region is not in the scope")
		}

		off := false
		if _, err := other.UpdateAgent(ctx, e.admin, "claire.m", org.AgentUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Actor(ctx, a.ID); err == nil {
			t.Fatal("the deactivating instance still accepts the agent")
		}
		dbtest.Eventually(t, "the first instance refuses the deactivated agent", func() bool {
			_, err := e.store.Actor(ctx, a.ID)
			return core.ErrorCode(err) == core.Unauthorized
		})
	})
}
