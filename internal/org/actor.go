package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Actor builds the core.Actor of an agent: the union of their roles'
// permissions, and their geographic scope expanded to every unit below the
// scope units (their own unit when none). Holders of the admin role, and
// agents whose scope covers every establishment, see the whole organisation.
// An inactive or unknown agent is Unauthorized.
func (s *Store) Actor(ctx context.Context, agentID string) (*core.Actor, error) {
	a, err := s.AgentByID(ctx, agentID)
	if core.ErrorCode(err) == core.NotFound {
		return nil, core.Errorf(core.Unauthorized, "unknown agent")
	}
	if err != nil {
		return nil, err
	}
	if !a.Active {
		return nil, core.Errorf(core.Unauthorized, "agent %s is deactivated", a.Login)
	}
	perms, err := permissionsOf(ctx, s.db, a.Roles)
	if err != nil {
		return nil, err
	}
	scope, err := s.scopeOf(ctx, a)
	if err != nil {
		return nil, err
	}
	var zone string
	if err := s.db.QueryRow(ctx, "SELECT time_zone FROM units WHERE id = ?", a.UnitID).Scan(&zone); err != nil {
		return nil, fmt.Errorf("time zone of unit %s: %w", a.UnitID, err)
	}
	return &core.Actor{AgentID: a.ID, Login: a.Login, Name: a.Name, UnitID: a.UnitID, Locale: a.Locale,
		TimeZone: zone, Permissions: perms, Scope: scope}, nil
}

// permissionsOf returns the union of the roles' permissions, in canonical order.
func permissionsOf(ctx context.Context, q db.Querier, roles []string) ([]core.Permission, error) {
	perms := []core.Permission{}
	if len(roles) == 0 {
		return perms, nil
	}
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = r
	}
	rows, err := q.Query(ctx, "SELECT permissions FROM roles WHERE code IN ("+db.Placeholders(len(args))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("permissions of roles: %w", err)
	}
	defer rows.Close()
	granted := map[core.Permission]bool{}
	for rows.Next() {
		var list string
		if err := rows.Scan(&list); err != nil {
			return nil, fmt.Errorf("permissions of roles: %w", err)
		}
		for _, p := range parsePermissions(list) {
			granted[p] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("permissions of roles: %w", err)
	}
	for _, p := range core.AllPermissions {
		if granted[p] {
			perms = append(perms, p)
		}
	}
	return perms, nil
}

// scopeOf expands the agent's scope units to their subtrees.
func (s *Store) scopeOf(ctx context.Context, a Agent) (core.Scope, error) {
	if slices.Contains(a.Roles, RoleAdmin) {
		return core.Scope{All: true}, nil
	}
	codes := a.ScopeUnitCodes
	if len(codes) == 0 {
		codes = []string{a.UnitCode}
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	rows, err := s.db.Query(ctx, "SELECT id, path, parent_id IS NULL FROM units WHERE code IN ("+db.Placeholders(len(args))+")", args...)
	if err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	defer rows.Close()
	var prefixes []string
	roots := map[string]bool{}
	for rows.Next() {
		var id, path string
		var root bool
		if err := rows.Scan(&id, &path, &root); err != nil {
			return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
		}
		prefixes = append(prefixes, path)
		if root {
			roots[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	rows.Close()
	var allRoots int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM units WHERE parent_id IS NULL").Scan(&allRoots); err != nil {
		return core.Scope{}, fmt.Errorf("count establishments: %w", err)
	}
	if len(prefixes) == 0 {
		return core.Scope{UnitIDs: []string{}}, nil
	}
	if len(roots) == allRoots {
		return core.Scope{All: true}, nil
	}
	conds := make([]string, len(prefixes))
	likeArgs := make([]any, len(prefixes))
	for i, p := range prefixes {
		conds[i], likeArgs[i] = "path LIKE ?", p+"%"
	}
	rows, err = s.db.Query(ctx, "SELECT id FROM units WHERE "+strings.Join(conds, " OR ")+" ORDER BY path", likeArgs...)
	if err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
		}
		ids = append(ids, id) // one row per unit, so no duplicates even when scope units nest
	}
	if err := rows.Err(); err != nil {
		return core.Scope{}, fmt.Errorf("scope of %s: %w", a.Login, err)
	}
	return core.Scope{UnitIDs: ids}, nil
}
