package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// ReplySent is an outbound message to the customer that left, on a
// request associated with a lead: the leads record it as an activity.
type ReplySent struct {
	MessageID string
	RequestID string
	LeadID    string
	AgentID   string // "" when no agent wrote it
	Automatic bool   // an acknowledgement or another automatic message
	SentAt    time.Time
}

// ReplyHook is a subscriber of Store.OnReplySent.
type ReplyHook func(ctx context.Context, tx *db.Tx, r ReplySent) error

// tellReplySent tells the subscribers of OnReplySent of the message id
// that just left, within tx, when its request is associated with a lead;
// mail to third parties (solicitations) is not a reply to the customer.
func (s *Store) tellReplySent(ctx context.Context, tx *db.Tx, id string, at time.Time) error {
	subs := s.OnReplySent.List()
	if len(subs) == 0 {
		return nil
	}
	r := ReplySent{MessageID: id, SentAt: at}
	var lead, agent sql.NullString
	var flags string
	err := tx.QueryRow(ctx, `SELECT m.request_id, r.lead_id, m.agent_id, m.flags FROM desk_messages m
		JOIN desk_requests r ON r.id = m.request_id
		WHERE m.id = ? AND m.kind = 'outbound' AND m.solicitation_id IS NULL`, id).Scan(&r.RequestID, &lead, &agent, &flags)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !lead.Valid) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("message %s sent: %w", id, err)
	}
	r.LeadID, r.AgentID = lead.String, agent.String
	r.Automatic = r.AgentID == "" || strings.Contains(" "+flags+" ", " "+FlagAutomatic+" ")
	for _, fn := range subs {
		if err := fn(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}
