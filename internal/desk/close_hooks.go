package desk

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// Closed is a request just closed, as the subscribers of Store.OnClosed
// see it: the satisfaction surveys schedule one after it.
type Closed struct {
	RequestID string
	UnitID    string
	PartyID   string // "" when the request names no party
	AgentID   string // its assignee, "" when none
	ClosedAt  time.Time
}

// CloseHook is a subscriber of Store.OnClosed.
type CloseHook func(ctx context.Context, tx *db.Tx, c Closed) error

// tellClosed tells the subscribers of OnClosed that r was just closed,
// within tx.
func (s *Store) tellClosed(ctx context.Context, tx *db.Tx, r Request, at time.Time) error {
	c := Closed{RequestID: r.ID, UnitID: r.UnitID, PartyID: r.PartyID, ClosedAt: at}
	if r.Assignee != nil {
		c.AgentID = r.Assignee.ID
	}
	for _, fn := range s.OnClosed.List() {
		if err := fn(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}
