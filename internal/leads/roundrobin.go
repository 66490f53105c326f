package leads

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// nextAgent is the round-robin's pick: the first available agent whose
// login comes after the login of the last agent given a lead of the unit,
// or the first of all when none does (cyclic). ok is false when nobody is
// available. available is ordered by login.
func nextAgent(available []AgentRef, lastLogin string) (AgentRef, bool) {
	if len(available) == 0 {
		return AgentRef{}, false
	}
	for _, a := range available {
		if a.Login > lastLogin {
			return a, true
		}
	}
	return available[0], true
}

// lockTurn takes the lock of unitID's round-robin row until the end of tx
// (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer), creating the
// row first, so two transactions, on one instance or two, take turns and
// never both give a lead to the same "next".
func lockTurn(ctx context.Context, tx *db.Tx, unitID string, now time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO lead_round_robin (unit_id, last_agent_id, updated_at) VALUES (?, NULL, ?)
		ON CONFLICT (unit_id) DO NOTHING`, unitID, core.Millis(now)); err != nil {
		return fmt.Errorf("round-robin of unit %s: %w", unitID, err)
	}
	return db.LockRows(ctx, tx, "lead_round_robin", "unit_id", []string{unitID})
}

// takeTurn picks the agent whose turn it is in unitID at now and records
// them as the unit's last, inside tx, under the round-robin row's lock.
// ok is false when nobody is available. The caller has checked the unit
// is open.
func takeTurn(ctx context.Context, tx *db.Tx, unitID string, now time.Time) (AgentRef, bool, error) {
	if err := lockTurn(ctx, tx, unitID, now); err != nil {
		return AgentRef{}, false, err
	}
	var lastLogin string
	if err := tx.QueryRow(ctx, `SELECT COALESCE(a.login, '') FROM lead_round_robin r LEFT JOIN agents a ON a.id = r.last_agent_id
		WHERE r.unit_id = ?`, unitID).Scan(&lastLogin); err != nil {
		return AgentRef{}, false, fmt.Errorf("round-robin of unit %s: %w", unitID, err)
	}
	available, err := availableAgents(ctx, tx, unitID, now)
	if err != nil {
		return AgentRef{}, false, err
	}
	next, ok := nextAgent(available, lastLogin)
	if !ok {
		return AgentRef{}, false, nil
	}
	if _, err := tx.Exec(ctx, "UPDATE lead_round_robin SET last_agent_id = ?, updated_at = ? WHERE unit_id = ?",
		next.ID, core.Millis(now), unitID); err != nil {
		return AgentRef{}, false, fmt.Errorf("round-robin of unit %s: %w", unitID, err)
	}
	return next, true, nil
}

// giveByTurn assigns the waiting lead l to the agent whose turn it is in
// its unit, inside tx: the lead row is updated only while it has no
// assignee (another transaction having assigned it is a Conflict, which
// undoes the turn taken), its agent is told through OnAssigned, and the
// assignment is audited. assigned is false when nobody is available. The
// caller has checked the unit is open.
func (s *Store) giveByTurn(ctx context.Context, tx *db.Tx, l *Lead, now time.Time) (assigned bool, err error) {
	agent, ok, err := takeTurn(ctx, tx, l.UnitID, now)
	if err != nil || !ok {
		return false, err
	}
	res, err := tx.Exec(ctx, `UPDATE leads SET assignee_id = ?, assigned_at = ?, assigned_by = ?, status = ?, updated_at = ?
		WHERE id = ? AND assignee_id IS NULL AND status = ?`,
		agent.ID, core.Millis(now), AssignedRoundRobin, StatusAssigned, core.Millis(now), l.ID, StatusNew)
	if err != nil {
		return false, fmt.Errorf("assign lead %s: %w", l.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = core.Errorf(core.Conflict, "lead %s was assigned meanwhile", l.ID)
		}
		return false, err
	}
	a := agent
	l.Assignee, l.AssignedAt, l.AssignedBy, l.Status, l.UpdatedAt = &a, &now, AssignedRoundRobin, StatusAssigned, now
	if err := s.tellAssigned(ctx, tx, Assigned{Lead: *l, AgentID: agent.ID}); err != nil {
		return false, err
	}
	return true, s.log.Record(ctx, tx, nil, "lead.assign", "lead", l.ID, l.PartyID,
		map[string]string{"agent": agent.Login, "by": AssignedRoundRobin, "unit": l.UnitCode})
}

// tellAssigned calls the OnAssigned subscribers inside the assignment's
// transaction; the first error undoes the assignment.
func (s *Store) tellAssigned(ctx context.Context, tx *db.Tx, a Assigned) error {
	for _, fn := range s.OnAssigned.List() {
		if err := fn(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}
