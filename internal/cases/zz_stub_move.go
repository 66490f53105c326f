package cases

// TEMPORARY: the process helper's moveCase and MoveCase (process branch,
// step.go) replace this file at merge; it only moves the status so the
// tasks' and the board's tests run before then.

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

func (s *Store) moveCase(ctx context.Context, tx *db.Tx, actor *core.Actor, h caseHead, to, why string) error {
	_, err := tx.Exec(ctx, "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", to, core.Millis(s.clock.Now()), h.ID)
	if err != nil {
		return err
	}
	return s.addEvent(ctx, tx, actor, h.ID, Event{Action: EventStatus, FromStatus: h.Status, ToStatus: to,
		Detail: map[string]any{"why": why}})
}

// MoveCase moves a case to status to (stub until the process branch is merged).
func (s *Store) MoveCase(ctx context.Context, actor *core.Actor, caseID, to string) error {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		h, err := headOf(ctx, tx, actor.Scope, caseID)
		if err != nil {
			return err
		}
		return s.moveCase(ctx, tx, actor, h, to, "board")
	})
}
