package history

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// StoredInteraction is an interaction just stored, as the subscribers of
// Store.OnStored see it: the leads record an agent's call or meeting with
// a prospect as an activity on their open lead.
type StoredInteraction struct {
	InteractionID string
	Source        string
	Channel       string
	Direction     string
	Outcome       string
	AgentID       string // "" when no known agent took part (automatic sends)
	At            time.Time
	PartyIDs      []string // every party it is linked to
}

// StoredHook is a subscriber of Store.OnStored.
type StoredHook func(ctx context.Context, tx *db.Tx, items []StoredInteraction) error

// tellStored tells the subscribers of OnStored of the interactions a
// write stored, within its transaction.
func (s *Store) tellStored(ctx context.Context, tx *db.Tx, items []StoredInteraction) error {
	if len(items) == 0 {
		return nil
	}
	for _, fn := range s.OnStored.List() {
		if err := fn(ctx, tx, items); err != nil {
			return err
		}
	}
	return nil
}
