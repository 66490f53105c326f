package org

import (
	"context"
	"slices"
	"sync"

	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// actorCache keeps the actors Actor built, by agent: every API request and
// page needs its actor, which costs two or three queries, and those were a
// third of a quick search's queries under twenty clients
// (docs/performance.md, "Bank scale: many agents at once"). A change made
// through this Store empties it when its transaction commits; one made by
// another instance is seen within cache.CheckEvery, when the version of
// cache.Actors moves. A deactivated agent's requests on another
// instance are thus refused within about a second.
type actorCache struct {
	version cache.Version
	mu      sync.Mutex
	byAgent map[string]*core.Actor
	onClear []func() // OnChange's functions
}

// get returns a copy of agentID's cached actor, after dropping them all if
// another instance changed the organisation.
func (c *actorCache) get(ctx context.Context, q db.Querier, agentID string) (*core.Actor, bool, error) {
	changed, err := c.version.Changed(ctx, q, cache.Actors)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if changed {
		c.byAgent = nil
	}
	a, ok := c.byAgent[agentID]
	if !ok {
		return nil, false, nil
	}
	return cloneActor(a), true, nil
}

// put keeps a copy of a.
func (c *actorCache) put(a *core.Actor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAgent == nil {
		c.byAgent = map[string]*core.Actor{}
	}
	c.byAgent[a.AgentID] = cloneActor(a)
}

// clear drops every cached actor and runs the OnChange functions.
func (c *actorCache) clear() {
	c.mu.Lock()
	c.byAgent = nil
	fns := c.onClear
	c.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// OnChange registers fn to run after a change of the organisation made
// through this Store commits: auth drops the API tokens it keeps, as
// deactivating an agent revokes theirs.
func (s *Store) OnChange(fn func()) {
	s.actors.mu.Lock()
	defer s.actors.mu.Unlock()
	s.actors.onClear = append(s.actors.onClear, fn)
}

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
// theirs within a second, this one when tx commits.
func (s *Store) actorsChanged(ctx context.Context, tx *db.Tx) error {
	if err := cache.Bump(ctx, tx, cache.Actors); err != nil {
		return err
	}
	tx.AfterCommit(s.actors.clear)
	return nil
}
