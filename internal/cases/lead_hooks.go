package cases

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// TaskCompleted is a task completed while associated with a lead: the leads
// record it as an activity.
type TaskCompleted struct {
	TaskID  string
	Kind    string // task, call, meeting
	LeadID  string
	AgentID string // who completed it
	DoneAt  time.Time
}

// TaskHook is a subscriber of Store.OnTaskCompleted.
type TaskHook func(ctx context.Context, tx *db.Tx, t TaskCompleted) error

// tellTaskCompleted tells the subscribers of OnTaskCompleted that t was completed
// by agentID, within tx, when it is associated with a lead.
func (s *Store) tellTaskCompleted(ctx context.Context, tx *db.Tx, t Task, agentID string, at time.Time) error {
	subs := s.OnTaskCompleted.List()
	if len(subs) == 0 {
		return nil
	}
	var lead sql.NullString
	if err := tx.QueryRow(ctx, "SELECT lead_id FROM tasks WHERE id = ?", t.ID).Scan(&lead); err != nil {
		return fmt.Errorf("task %s lead: %w", t.ID, err)
	}
	if !lead.Valid {
		return nil
	}
	done := TaskCompleted{TaskID: t.ID, Kind: t.Kind, LeadID: lead.String, AgentID: agentID, DoneAt: at}
	for _, fn := range subs {
		if err := fn(ctx, tx, done); err != nil {
			return err
		}
	}
	return nil
}

// leadParty returns the party of the lead id when its unit is in scope; a
// lead outside it is refused as not found.
func leadParty(ctx context.Context, q db.Querier, scope core.Scope, id string) (string, error) {
	cond, args := scopeCond("unit_id", scope)
	var partyID string
	err := q.QueryRow(ctx, "SELECT COALESCE(party_id, '') FROM leads WHERE id = ?"+cond, append([]any{id}, args...)...).Scan(&partyID)
	if db.IsNoRows(err) {
		return "", core.Fields{"lead_id": core.Because("lead_not_found")}.Err()
	}
	return partyID, err
}
