package leads

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
)

// responseState is what deciding a lead's first response reads of it.
type responseState struct {
	id, unitID, status string
	received           time.Time
	clockStart         time.Time
	first              *time.Time
}

// RecordActivityTx records a completed activity on leadID within tx, for
// the hooks of the desk, the tasks and the history and for RecordActivity.
// It is idempotent on (lead, origin, refID): the second time it returns
// the activity stored first and changes nothing. An activity completed
// before the lead was received is not recorded (recorded is false). The
// first activity that is not automatic, by completion time, is the lead's
// response: it sets first_response_at, response_minutes (business minutes
// in the unit's calendar from the clock start) and response_kind, and the
// lead becomes answered unless it is closed. An earlier activity recorded
// later takes the place of the response recorded before it.
func (s *Store) RecordActivityTx(ctx context.Context, tx *db.Tx, leadID, origin, refID, kind string, automatic bool,
	agentID string, completedAt time.Time) (a Activity, recorded bool, err error) {
	if err := db.LockRows(ctx, tx, "leads", "id", []string{leadID}); err != nil {
		return Activity{}, false, err
	}
	st, err := readResponseState(ctx, tx, leadID)
	if err != nil {
		return Activity{}, false, err
	}
	completedAt = completedAt.Truncate(time.Millisecond)
	if completedAt.Before(st.received) {
		return Activity{}, false, nil
	}
	a = Activity{ID: core.NewID(), LeadID: leadID, Kind: kind, Automatic: automatic, Origin: origin, RefID: refID,
		CompletedAt: completedAt.UTC()}
	if agentID != "" {
		a.Agent = &AgentRef{ID: agentID}
	}
	res, err := tx.Exec(ctx, `INSERT INTO lead_activities (id, lead_id, kind, automatic, origin, ref_id, agent_id,
		completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lead_id, origin, ref_id) DO NOTHING`,
		a.ID, leadID, kind, automatic, origin, refID, db.NullIfEmpty(agentID), core.Millis(completedAt), core.Millis(s.clock.Now()))
	if err != nil {
		return Activity{}, false, fmt.Errorf("record activity on lead %s: %w", leadID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Activity{}, false, err
	} else if n == 0 {
		a, err := activityByRef(ctx, tx, leadID, origin, refID)
		return a, false, err
	}
	if automatic || (st.first != nil && !completedAt.Before(*st.first)) {
		return a, true, nil
	}
	return a, true, s.setResponse(ctx, tx, st, kind, completedAt)
}

// setResponse makes the activity of kind completed at the lead's first
// response.
func (s *Store) setResponse(ctx context.Context, tx *db.Tx, st responseState, kind string, at time.Time) error {
	cal, err := s.orgs.Calendar(ctx, st.unitID, st.clockStart.Year())
	if err != nil {
		return err
	}
	minutes := ResponseMinutes(cal, st.clockStart, at)
	status := StatusAnswered
	if st.status == StatusClosed {
		status = StatusClosed
	}
	if _, err := tx.Exec(ctx, `UPDATE leads SET first_response_at = ?, response_minutes = ?, response_kind = ?,
		status = ?, updated_at = ? WHERE id = ?`, core.Millis(at), minutes, kind, status, core.Millis(s.clock.Now()),
		st.id); err != nil {
		return fmt.Errorf("lead %s response: %w", st.id, err)
	}
	s.publishResponse(ctx, tx, st.unitID, TopicChanged, map[string]any{"lead": st.id, "status": status,
		"response_minutes": minutes})
	return nil
}

// publishResponse tells the unit's live pages (the lead lists and page,
// the dashboards) of a response once tx commits, as a lead.changed event.
func (s *Store) publishResponse(ctx context.Context, tx *db.Tx, unitID, topic string, data any) {
	if s.bus == nil {
		return
	}
	b, err := json.Marshal(data)
	if err == nil {
		err = s.bus.PublishTx(ctx, tx, events.Event{Topic: topic, Audience: []string{events.Unit(unitID)}, Data: b})
	}
	if err != nil {
		s.logger.Warn("lead event", "topic", topic, "err", err)
	}
}

// readResponseState reads the lead's receipt, clock and current response.
func readResponseState(ctx context.Context, q db.Querier, id string) (responseState, error) {
	var st responseState
	var received, start int64
	var first sql.NullInt64
	err := q.QueryRow(ctx, `SELECT id, unit_id, status, received_at, clock_start_at, first_response_at FROM leads
		WHERE id = ?`, id).Scan(&st.id, &st.unitID, &st.status, &received, &start, &first)
	if errors.Is(err, sql.ErrNoRows) {
		return st, core.Errorf(core.NotFound, "lead %s not found", id)
	}
	if err != nil {
		return st, fmt.Errorf("read lead %s: %w", id, err)
	}
	st.received, st.clockStart = core.FromMillis(received), core.FromMillis(start)
	if first.Valid {
		t := core.FromMillis(first.Int64)
		st.first = &t
	}
	return st, nil
}

// activityByRef reads the activity recorded on the lead from origin's refID.
func activityByRef(ctx context.Context, q db.Querier, leadID, origin, refID string) (Activity, error) {
	acts, err := activitiesWhere(ctx, q, "a.lead_id = ? AND a.origin = ? AND a.ref_id = ?", leadID, origin, refID)
	if err != nil {
		return Activity{}, err
	}
	if len(acts) == 0 {
		return Activity{}, core.Errorf(core.NotFound, "activity %s/%s not found", origin, refID)
	}
	return acts[0], nil
}

// activitiesWhere reads activities matching cond, oldest first.
func activitiesWhere(ctx context.Context, q db.Querier, cond string, args ...any) ([]Activity, error) {
	rows, err := q.Query(ctx, `SELECT a.id, a.lead_id, a.kind, a.automatic, a.origin, a.ref_id, a.completed_at,
		COALESCE(g.id, ''), COALESCE(g.login, ''), COALESCE(g.name, '')
		FROM lead_activities a LEFT JOIN agents g ON g.id = a.agent_id
		WHERE `+cond+` ORDER BY a.completed_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read lead activities: %w", err)
	}
	defer rows.Close()
	out := []Activity{}
	for rows.Next() {
		var a Activity
		var at int64
		var agent AgentRef
		if err := rows.Scan(&a.ID, &a.LeadID, &a.Kind, &a.Automatic, &a.Origin, &a.RefID, &at, &agent.ID, &agent.Login,
			&agent.Name); err != nil {
			return nil, err
		}
		a.CompletedAt = core.FromMillis(at)
		if agent.ID != "" {
			a.Agent = &agent
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
