package org

import (
	"context"
	"slices"

	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The actors Actor built are kept by agent (Store.actors, a cache.Keyed on
// cache.Access): every API request and page needs its actor, which costs
// two or three queries, and those were a third of a quick search's queries
// under twenty clients (docs/performance.md, "Bank scale: quick search").
// A change made through this Store empties it when its transaction
// commits; one made by another instance is seen within cache.CheckEvery. A
// deactivated agent's requests on another instance are thus refused within
// about a second.

// cloneActor copies a with its slices, as callers set fields of theirs
// (the token of a request).
func cloneActor(a *core.Actor) *core.Actor {
	c := *a
	c.Permissions = slices.Clone(a.Permissions)
	c.Scope.UnitIDs = slices.Clone(a.Scope.UnitIDs)
	return &c
}

// actorsChanged records, in tx, that the actors may have changed (an
// agent, their roles or scope, a role, a unit): other instances drop
// theirs within a second, this one when tx commits, and then runs the
// OnChange functions.
func (s *Store) actorsChanged(ctx context.Context, tx *db.Tx) error {
	if err := cache.Bump(ctx, tx, cache.Access); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		s.actors.Clear()
		for _, fn := range s.onChange {
			fn()
		}
	})
	return nil
}

// OnChange registers fn to run after a change of the organisation made
// through this Store commits: auth drops the API tokens it keeps, as
// deactivating an agent revokes theirs. Call it before serving requests.
func (s *Store) OnChange(fn func()) {
	s.onChange = append(s.onChange, fn)
}
