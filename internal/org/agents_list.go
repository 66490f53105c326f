package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// AgentFilter selects agents to list; empty fields match everything.
type AgentFilter struct {
	Query           string // part of the name, login or initials, any case
	UnitCode        string // agents of this unit and the units below it
	IncludeInactive bool   // also agents who have left
	Cursor          string // from the previous page
	Limit           int    // page size, 50 by default, at most 200
}

// ListAgents returns a page of agents ordered by name, and the cursor of the
// next page ("" on the last). Any signed-in agent may list agents, to assign
// work or find a colleague.
func (s *Store) ListAgents(ctx context.Context, actor *core.Actor, f AgentFilter) ([]Agent, string, error) {
	if actor == nil {
		return nil, "", core.Errorf(core.Unauthorized, "sign in required")
	}
	limit := core.PageLimit(f.Limit, 50, 200)
	// The sort key is read back from the database: SQLite's LOWER folds ASCII
	// only, so Go's strings.ToLower would not give the same cursor.
	q := "SELECT LOWER(a.name), " + agentColumns + " WHERE 1=1"
	var args []any
	if !f.IncludeInactive {
		q += " AND a.active = ?"
		args = append(args, true)
	}
	if query := strings.ToLower(strings.TrimSpace(f.Query)); query != "" {
		like := "%" + escapeLike(query) + "%"
		q += ` AND (LOWER(a.name) LIKE ? ESCAPE '\' OR a.login LIKE ? ESCAPE '\' OR LOWER(a.initials) LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	if f.UnitCode != "" {
		unit, err := s.UnitByCode(ctx, f.UnitCode)
		if err != nil {
			return nil, "", err
		}
		q += " AND u.path LIKE ?"
		args = append(args, unit.Path+"%")
	}
	if f.Cursor != "" {
		var name, id string
		if err := core.DecodeCursor(f.Cursor, &name, &id); err != nil {
			return nil, "", err
		}
		q += " AND (LOWER(a.name) > ? OR (LOWER(a.name) = ? AND a.id > ?))"
		args = append(args, name, name, id)
	}
	q += " ORDER BY LOWER(a.name), a.id LIMIT ?"
	args = append(args, limit+1)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list agents: %w", err)
	}
	defer rows.Close()
	agents, sortKeys := []Agent{}, []string{}
	for rows.Next() {
		var key string
		a, err := scanAgent(prefixScanner{rows, &key})
		if err != nil {
			return nil, "", fmt.Errorf("list agents: %w", err)
		}
		agents, sortKeys = append(agents, a), append(sortKeys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list agents: %w", err)
	}
	rows.Close()
	next := ""
	if len(agents) > limit {
		agents = agents[:limit]
		next = core.EncodeCursor(sortKeys[limit-1], agents[limit-1].ID)
	}
	if err := loadAccess(ctx, s.db, agents); err != nil {
		return nil, "", err
	}
	return agents, next, nil
}

// escapeLike makes s match literally inside a LIKE pattern escaped by '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// prefixScanner scans a leading extra column into key, the rest as usual.
type prefixScanner struct {
	row interface{ Scan(...any) error }
	key *string
}

func (p prefixScanner) Scan(dst ...any) error {
	return p.row.Scan(append([]any{p.key}, dst...)...)
}
