package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Targets are a unit's service levels, in business minutes of its hours,
// and how long a closed request may be reopened by the customer.
type Targets struct {
	FirstResponseMinutes int `json:"first_response_minutes"`
	ResolutionMinutes    int `json:"resolution_minutes"`
	ReopenDays           int `json:"reopen_days"`
}

// DefaultTargets apply to a unit without its own: a first answer within
// four business hours, a resolution within three business days of 8.5
// hours, reopening within 7 days.
var DefaultTargets = Targets{FirstResponseMinutes: 240, ResolutionMinutes: 3 * 510, ReopenDays: 7}

// TargetsOf returns the targets of unitID (the defaults when it has none).
func (s *Store) TargetsOf(ctx context.Context, q db.Querier, unitID string) (Targets, error) {
	var t Targets
	err := q.QueryRow(ctx, "SELECT first_response_minutes, resolution_minutes, reopen_days FROM desk_unit_settings WHERE unit_id = ?", unitID).
		Scan(&t.FirstResponseMinutes, &t.ResolutionMinutes, &t.ReopenDays)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultTargets, nil
	}
	if err != nil {
		return Targets{}, fmt.Errorf("desk targets of %s: %w", unitID, err)
	}
	return t, nil
}

// Targets returns the targets of a unit in the actor's scope (the
// defaults when it has none). Requires desk.admin; out of scope is NotFound.
func (s *Store) Targets(ctx context.Context, actor *core.Actor, unitID string) (Targets, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Targets{}, err
	}
	if !actor.Scope.Contains(unitID) {
		return Targets{}, core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	return s.TargetsOf(ctx, s.db, unitID)
}

// SetTargets saves a unit's targets. Requires desk.admin and the unit in scope.
func (s *Store) SetTargets(ctx context.Context, actor *core.Actor, unitID string, t Targets) error {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return err
	}
	if !actor.Scope.Contains(unitID) {
		return core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	f := core.Fields{}
	core.CheckRange(f, "first_response_minutes", int64(t.FirstResponseMinutes), 1, 60*24*365)
	core.CheckRange(f, "resolution_minutes", int64(t.ResolutionMinutes), 1, 60*24*365)
	core.CheckRange(f, "reopen_days", int64(t.ReopenDays), 0, 365)
	if err := f.Err(); err != nil {
		return err
	}
	now := core.Millis(s.clock.Now())
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM desk_unit_settings WHERE unit_id = ?", unitID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_unit_settings (unit_id, first_response_minutes, resolution_minutes, reopen_days, updated_at)
			VALUES (?, ?, ?, ?, ?)`, unitID, t.FirstResponseMinutes, t.ResolutionMinutes, t.ReopenDays, now); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "desk.targets", "unit", unitID, "", t)
	})
}

// dueTimes computes a new request's first-response and resolution due
// times from its creation, in the unit's business hours.
func (s *Store) dueTimes(ctx context.Context, q db.Querier, unitID string, created time.Time) (first, resolution *int64, err error) {
	t, err := s.TargetsOf(ctx, q, unitID)
	if err != nil {
		return nil, nil, err
	}
	if s.orgs == nil {
		return nil, nil, nil
	}
	cal, err := s.orgs.Calendar(ctx, unitID, created.Year())
	if err != nil {
		return nil, nil, err
	}
	f := cal.AddOpen(created, time.Duration(t.FirstResponseMinutes)*time.Minute)
	r := cal.AddOpen(created, time.Duration(t.ResolutionMinutes)*time.Minute)
	if !f.IsZero() {
		v := core.Millis(f)
		first = &v
	}
	if !r.IsZero() {
		v := core.Millis(r)
		resolution = &v
	}
	return first, resolution, nil
}
