package desk

import (
	"context"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// SetStatusTx moves request id to status within the caller's transaction,
// as Update does (history, audit "request.update", live pages): how a task
// completed in package cases moves its request on. The request must be in
// the actor's scope (NotFound otherwise); no permission is asked beyond
// that, since the change is the plan's, carried out by whoever completes
// its task (package cases passes a scope that holds the request when the
// task's own unit is in the completer's). The same status again changes
// nothing.
func (s *Store) SetStatusTx(ctx context.Context, tx *db.Tx, actor *core.Actor, id, status string) error {
	if !slices.Contains(Statuses, status) {
		return core.Fields{"status": core.OneOf(Statuses...)}.Err()
	}
	r, err := s.get(ctx, tx, actor.Scope, id)
	if err != nil {
		return err
	}
	if r.Status == status {
		return nil
	}
	if err := s.setStatus(ctx, tx, actor.AgentID, r, status, s.clock.Now()); err != nil {
		return err
	}
	s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": id, "change": "updated"})
	return s.log.Record(ctx, tx, actor, "request.update", "request", id, r.PartyID,
		map[string][2]string{"status": {r.Status, status}})
}
