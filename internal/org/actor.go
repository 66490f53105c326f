package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
)

// Actor builds the core.Actor of an agent: the union of their roles'
// permissions, and their geographic scope expanded to every unit below the
// scope units (their own unit when none). Holders of the admin role, and
// agents whose scope covers every establishment, see the whole organisation.
// An inactive or unknown agent is Unauthorized.
//
// Every API request and page needs one: it takes three queries (two for
// holders of the admin role) — the agent with their unit's time zone,
// their roles with the roles' permissions, and their scope's subtrees —
// and is then kept until the organisation changes (actor_cache.go).
func (s *Store) Actor(ctx context.Context, agentID string) (*core.Actor, error) {
	if !core.ValidID(agentID) {
		return nil, core.Errorf(core.Unauthorized, "unknown agent")
	}
	if a, ok, err := s.actors.Get(ctx, s.db, agentID); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return cloneActor(a), nil
	}
	a, err := s.buildActor(ctx, agentID)
	if err != nil {
		return nil, err
	}
	s.actors.Put(agentID, cloneActor(a))
	return a, nil
}

// buildActor reads the actor of agentID.
func (s *Store) buildActor(ctx context.Context, agentID string) (*core.Actor, error) {
	a := &core.Actor{AgentID: agentID}
	var active bool
	err := s.db.QueryRow(ctx, `SELECT a.login, a.name, a.unit_id, a.locale, a.active, u.time_zone
		FROM agents a JOIN units u ON u.id = a.unit_id WHERE a.id = ?`, agentID).
		Scan(&a.Login, &a.Name, &a.UnitID, &a.Locale, &active, &a.TimeZone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.Unauthorized, "unknown agent")
	}
	if err != nil {
		return nil, fmt.Errorf("get agent %s: %w", agentID, err)
	}
	if !active {
		return nil, core.Errorf(core.Unauthorized, "agent %s is deactivated", a.Login)
	}
	roles, err := s.rolesOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if slices.Contains(roles, RoleAdmin) {
		a.Scope = core.Scope{All: true}
	} else if a.Scope, err = s.scopeOf(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// rolesOf returns the role codes of a's agent and sets a's permissions to
// the union of theirs, in canonical order.
func (s *Store) rolesOf(ctx context.Context, a *core.Actor) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT r.code, r.permissions FROM agent_roles ar JOIN roles r ON r.code = ar.role_code
		WHERE ar.agent_id = ?`, a.AgentID)
	if err != nil {
		return nil, fmt.Errorf("roles of %s: %w", a.Login, err)
	}
	defer rows.Close()
	var roles []string
	granted := map[core.Permission]bool{}
	for rows.Next() {
		var code, list string
		if err := rows.Scan(&code, &list); err != nil {
			return nil, fmt.Errorf("roles of %s: %w", a.Login, err)
		}
		roles = append(roles, code)
		for _, p := range parsePermissions(list) {
			granted[p] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roles of %s: %w", a.Login, err)
	}
	a.Permissions = []core.Permission{}
	for _, p := range core.AllPermissions {
		if granted[p] {
			a.Permissions = append(a.Permissions, p)
		}
	}
	return roles, nil
}

// scopeOf expands the agent's scope units (their own unit when they have
// none) to their subtrees, in one query that also counts the
// establishments: a scope holding every establishment is the whole
// organisation.
func (s *Store) scopeOf(ctx context.Context, a *core.Actor) (core.Scope, error) {
	rows, err := s.db.Query(ctx, `SELECT d.id, d.parent_id IS NULL, (SELECT COUNT(*) FROM units WHERE parent_id IS NULL)
		FROM units d JOIN units s ON d.path LIKE s.path || '%'
		WHERE s.id IN (SELECT unit_id FROM agent_scopes WHERE agent_id = ?)
			OR (s.id = ? AND NOT EXISTS (SELECT 1 FROM agent_scopes WHERE agent_id = ?))
		ORDER BY d.path`, a.AgentID, a.UnitID, a.AgentID)
	if err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	defer rows.Close()
	ids := []string{}
	seen := map[string]bool{}
	roots, allRoots := 0, 0
	for rows.Next() {
		var id string
		var root bool
		if err := rows.Scan(&id, &root, &allRoots); err != nil {
			return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
		}
		if seen[id] { // scope units that nest reach the same unit twice
			continue
		}
		seen[id] = true
		ids = append(ids, id)
		if root {
			roots++
		}
	}
	if err := rows.Err(); err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	if roots > 0 && roots == allRoots {
		return core.Scope{All: true}, nil
	}
	return core.Scope{UnitIDs: ids}, nil
}
