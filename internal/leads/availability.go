package leads

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// An agent is available for a lead of a unit when they belong to that unit
// (agents.unit_id, not a sub-unit's), are active, hold lead.work through
// one of their roles, are not absent at that moment (agent_absences), and
// the unit is open then: agents work their unit's business hours. A unit
// without any hours (an establishment or region by default) is taken as
// always open, as ClockStart takes the receipt for it.

// calendar returns the business-hours calendar of unitID around t.
func (s *Store) calendar(ctx context.Context, unitID string, t time.Time) (*bizhours.Calendar, error) {
	cal, err := s.orgs.Calendar(ctx, unitID, t.UTC().Year())
	if err != nil {
		return nil, fmt.Errorf("calendar of unit %s: %w", unitID, err)
	}
	return cal, nil
}

// openAt reports whether the unit's hours are open at t; a calendar that
// never opens (no hours at all) counts as always open.
func openAt(cal *bizhours.Calendar, t time.Time) bool {
	return cal.IsOpen(t) || cal.NextOpening(t).IsZero()
}

// availableAgents lists the agents available at now for the leads of
// unitID, ordered by login (the round-robin's stable order).
func availableAgents(ctx context.Context, q db.Querier, unitID string, now time.Time) ([]AgentRef, error) {
	rows, err := q.Query(ctx, `SELECT a.id, a.login, a.name FROM agents a
		WHERE a.unit_id = ? AND a.active = ? AND `+holdsLeadWork+`
		AND NOT EXISTS (SELECT 1 FROM agent_absences b WHERE b.agent_id = a.id AND b.starts_at <= ? AND b.ends_at > ?)
		ORDER BY a.login`, unitID, true, core.Millis(now), core.Millis(now))
	if err != nil {
		return nil, fmt.Errorf("available agents of unit %s: %w", unitID, err)
	}
	defer rows.Close()
	var out []AgentRef
	for rows.Next() {
		var a AgentRef
		if err := rows.Scan(&a.ID, &a.Login, &a.Name); err != nil {
			return nil, fmt.Errorf("available agents of unit %s: %w", unitID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("available agents of unit %s: %w", unitID, err)
	}
	return out, nil
}

// canWorkLeads reports whether the agent holds lead.work through a role.
func canWorkLeads(ctx context.Context, q db.Querier, agentID string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM agents a WHERE a.id = ? AND "+holdsLeadWork, agentID).Scan(&n)
	if err != nil && err != sql.ErrNoRows {
		return false, fmt.Errorf("permissions of agent %s: %w", agentID, err)
	}
	return n > 0, nil
}
