package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// RoleAdmin is the built-in role that grants the whole organisation as scope.
const RoleAdmin = "admin"

// Role is a named set of permissions given to agents.
type Role struct {
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	Permissions []core.Permission `json:"permissions"`
	Builtin     bool              `json:"builtin"` // shipped with Rapport: editable, not deletable
}

var roleCodePattern = regexp.MustCompile(`^[a-z0-9_-]{2,32}$`)

// ListRoles returns every role by code.
func (s *Store) ListRoles(ctx context.Context) ([]Role, error) {
	rows, err := s.db.Query(ctx, "SELECT code, name, permissions, builtin FROM roles ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	defer rows.Close()
	var roles []Role
	for rows.Next() {
		var r Role
		var perms string
		if err := rows.Scan(&r.Code, &r.Name, &perms, &r.Builtin); err != nil {
			return nil, fmt.Errorf("list roles: %w", err)
		}
		r.Permissions = parsePermissions(perms)
		roles = append(roles, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	return roles, nil
}

// SaveRole creates the role r.Code or replaces its name and permissions.
// Builtin is kept as stored and cannot be set. The admin role must keep the
// admin permission, so nobody locks the organisation out of administration.
func (s *Store) SaveRole(ctx context.Context, actor *core.Actor, r Role) error {
	if err := actor.Require(core.PermAdmin); err != nil {
		return err
	}
	r.Code, r.Name = strings.TrimSpace(r.Code), strings.TrimSpace(r.Name)
	f := core.Fields{}
	core.CheckText(f, "name", r.Name, core.MaxName)
	if !roleCodePattern.MatchString(r.Code) {
		f.Add("code", core.Because("role_code"))
	}
	if r.Name == "" || len(r.Name) > 100 {
		f.Add("name", core.RequiredUpTo(100))
	}
	var perms []core.Permission
	for _, p := range core.AllPermissions { // canonical order, no duplicates
		if slices.Contains(r.Permissions, p) {
			perms = append(perms, p)
		}
	}
	for _, p := range r.Permissions {
		if !slices.Contains(core.AllPermissions, p) {
			f.Add("permissions", core.Because("unknown_permission", "permission", p))
		}
	}
	if r.Code == RoleAdmin && !slices.Contains(perms, core.PermAdmin) {
		f.Add("permissions", core.Because("admin_keeps_admin"))
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var oldName, oldPerms string
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT name, permissions FROM roles WHERE code = ?", r.Code).Scan(&oldName, &oldPerms)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.Exec(ctx, "INSERT INTO roles (code, name, permissions, builtin) VALUES (?, ?, ?, ?)",
				r.Code, r.Name, formatPermissions(perms), false); err != nil {
				return fmt.Errorf("create role %s: %w", r.Code, err)
			}
			return s.log.Record(ctx, tx, actor, "role.create", "role", r.Code, "",
				map[string]any{"name": r.Name, "permissions": perms})
		case err != nil:
			return fmt.Errorf("get role %s: %w", r.Code, err)
		}
		if _, err := tx.Exec(ctx, "UPDATE roles SET name = ?, permissions = ? WHERE code = ?",
			r.Name, formatPermissions(perms), r.Code); err != nil {
			return fmt.Errorf("update role %s: %w", r.Code, err)
		}
		changes := map[string]audit.Change{}
		if oldName != r.Name {
			changes["name"] = audit.Change{Old: oldName, New: r.Name}
		}
		if oldPerms != formatPermissions(perms) {
			changes["permissions"] = audit.Change{Old: parsePermissions(oldPerms), New: perms}
		}
		if len(changes) == 0 {
			return nil
		}
		return s.log.Record(ctx, tx, actor, "role.update", "role", r.Code, "", changes)
	})
}

// DeleteRole removes a role no agent holds. Built-in roles cannot be deleted,
// nor roles still given to agents (Conflict).
func (s *Store) DeleteRole(ctx context.Context, actor *core.Actor, code string) error {
	if err := actor.Require(core.PermAdmin); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var builtin bool
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT builtin FROM roles WHERE code = ?", code).Scan(&builtin)
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(core.NotFound, "role %s not found", code)
		}
		if err != nil {
			return fmt.Errorf("get role %s: %w", code, err)
		}
		if builtin {
			return core.Errorf(core.Conflict, "role %s is built in and cannot be deleted", code)
		}
		var holders int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM agent_roles WHERE role_code = ?", code).Scan(&holders); err != nil {
			return fmt.Errorf("count holders of role %s: %w", code, err)
		}
		if holders > 0 {
			return core.Errorf(core.Conflict, "role %s is still given to %d agents", code, holders)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM roles WHERE code = ?", code); err != nil {
			return fmt.Errorf("delete role %s: %w", code, err)
		}
		return s.log.Record(ctx, tx, actor, "role.delete", "role", code, "", nil)
	})
}

func parsePermissions(s string) []core.Permission {
	var perms []core.Permission
	for _, p := range strings.Fields(s) {
		perms = append(perms, core.Permission(p))
	}
	return perms
}

func formatPermissions(perms []core.Permission) string {
	parts := make([]string, len(perms))
	for i, p := range perms {
		parts[i] = string(p)
	}
	return strings.Join(parts, " ")
}
