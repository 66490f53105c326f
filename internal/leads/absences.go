package leads

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Absence is a period an agent receives no lead.
type Absence struct {
	ID         string    `json:"id"`
	AgentLogin string    `json:"agent_login"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Note       string    `json:"note"`
}

// AbsenceInput is a new absence.
type AbsenceInput struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Note     string    `json:"note"`
}

// Who manages absences: an administrator (admin), or a manager holding
// lead.assign for the agents of the units in their scope. An agent outside
// the actor's scope is NotFound, like one that does not exist.

// Absences lists an agent's current and future absences, soonest first.
func (s *Store) Absences(ctx context.Context, actor *core.Actor, login string) ([]Absence, error) {
	a, err := s.managedAgent(ctx, actor, login)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, starts_at, ends_at, note FROM agent_absences
		WHERE agent_id = ? AND ends_at > ? ORDER BY starts_at, id`, a.ID, core.Millis(s.clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("absences of %s: %w", login, err)
	}
	defer rows.Close()
	out := []Absence{}
	for rows.Next() {
		b := Absence{AgentLogin: a.Login}
		var starts, ends int64
		if err := rows.Scan(&b.ID, &starts, &ends, &b.Note); err != nil {
			return nil, fmt.Errorf("absences of %s: %w", login, err)
		}
		b.StartsAt, b.EndsAt = core.FromMillis(starts), core.FromMillis(ends)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("absences of %s: %w", login, err)
	}
	return out, nil
}

// AddAbsence records an absence of the agent with login: it ends after it
// starts, and has not ended yet. Audited as agent.absence_add.
func (s *Store) AddAbsence(ctx context.Context, actor *core.Actor, login string, in AbsenceInput) (Absence, error) {
	a, err := s.managedAgent(ctx, actor, login)
	if err != nil {
		return Absence{}, err
	}
	now := s.clock.Now()
	f := core.Fields{}
	core.CheckText(f, "note", in.Note, core.MaxComment)
	switch {
	case in.StartsAt.IsZero():
		f.Add("starts_at", core.Required())
	case in.EndsAt.IsZero():
		f.Add("ends_at", core.Required())
	case !in.EndsAt.After(in.StartsAt):
		f.Add("ends_at", core.Because("ends_after_start"))
	case !in.EndsAt.After(now):
		f.Add("ends_at", core.Because("future"))
	case in.StartsAt.Before(receivedFloor):
		f.Add("starts_at", core.Because("too_old"))
	}
	if err := f.Err(); err != nil {
		return Absence{}, err
	}
	b := Absence{ID: core.NewID(), AgentLogin: a.Login, StartsAt: in.StartsAt.UTC().Truncate(time.Millisecond),
		EndsAt: in.EndsAt.UTC().Truncate(time.Millisecond), Note: in.Note}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO agent_absences (id, agent_id, starts_at, ends_at, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, b.ID, a.ID, core.Millis(b.StartsAt), core.Millis(b.EndsAt), b.Note,
			db.NullIfEmpty(actor.AgentID), core.Millis(now)); err != nil {
			return fmt.Errorf("add absence: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "agent.absence_add", "agent", a.ID, "",
			map[string]any{"absence": b.ID, "starts_at": b.StartsAt, "ends_at": b.EndsAt})
	})
	if err != nil {
		return Absence{}, err
	}
	return b, nil
}

// RemoveAbsence deletes an absence. Audited as agent.absence_remove.
func (s *Store) RemoveAbsence(ctx context.Context, actor *core.Actor, id string) error {
	if err := s.canManageAbsences(actor); err != nil {
		return err
	}
	if !core.ValidID(id) {
		return core.Errorf(core.NotFound, "absence %s not found", id)
	}
	var login string
	err := s.db.QueryRow(ctx, "SELECT a.login FROM agent_absences b JOIN agents a ON a.id = b.agent_id WHERE b.id = ?", id).Scan(&login)
	if db.IsNoRows(err) {
		return core.Errorf(core.NotFound, "absence %s not found", id)
	}
	if err != nil {
		return fmt.Errorf("read absence %s: %w", id, err)
	}
	a, err := s.managedAgent(ctx, actor, login)
	if core.ErrorCode(err) == core.NotFound {
		return core.Errorf(core.NotFound, "absence %s not found", id)
	}
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM agent_absences WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("remove absence %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return core.Errorf(core.NotFound, "absence %s not found", id)
		}
		return s.log.Record(ctx, tx, actor, "agent.absence_remove", "agent", a.ID, "", map[string]any{"absence": id})
	})
}

// canManageAbsences checks the actor may manage some agent's absences.
func (s *Store) canManageAbsences(actor *core.Actor) error {
	if actor.Can(core.PermAdmin) || actor.Can(core.PermLeadAssign) {
		return nil
	}
	return core.Errorf(core.Forbidden, "permission %q or %q required", core.PermAdmin, core.PermLeadAssign)
}

// managedAgent reads the agent with login whose absences actor manages:
// admin or lead.assign, and the agent's unit in the actor's scope.
func (s *Store) managedAgent(ctx context.Context, actor *core.Actor, login string) (agentRow, error) {
	if err := s.canManageAbsences(actor); err != nil {
		return agentRow{}, err
	}
	if why, bad := core.TextProblem(login, core.MaxCode); bad {
		return agentRow{}, core.Fields{"login": why}.Err()
	}
	a, err := agentByLogin(ctx, s.db, login)
	if err != nil {
		return agentRow{}, err
	}
	if !actor.Scope.Contains(a.UnitID) {
		return agentRow{}, core.Errorf(core.NotFound, "agent %s not found", login)
	}
	return a, nil
}
