package leads

import (
	"context"
	"database/sql"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// Interaction is an exchange the history just stored, as the leads read
// it: a call or meeting of an agent with a party answers that party's lead.
type Interaction struct {
	ID        string
	Source    string
	Channel   string
	Direction string
	Outcome   string
	AgentID   string // "" when no known agent took part
	At        time.Time
	PartyIDs  []string
}

// InteractionActivity says whether an interaction of the history is an
// activity on its party's lead, of which kind, and whether it is automatic
// (kept, never a response). The desk's own mail (source desk) is recorded
// by the desk when it is sent, so it is not counted twice; the entries of
// cases, inbound mail and forms, chats and unanswered calls are not
// activities. A call, a meeting or an email needs an agent to be one;
// notifications, and SMS or letters without an agent, are automatic.
func InteractionActivity(i Interaction) (kind string, automatic, ok bool) {
	agent := i.AgentID != ""
	switch {
	case i.Source == "desk" || i.Source == "case":
		return "", false, false
	case i.Channel == "phone":
		return KindCall, false, agent && i.Outcome != "unanswered"
	case i.Channel == "face_to_face" || i.Channel == "video":
		return KindAppointment, false, agent
	case i.Direction != "outbound":
		return "", false, false
	case i.Channel == "email":
		return KindEmail, false, agent
	case i.Channel == "sms":
		return KindSMS, !agent, true
	case i.Channel == "letter":
		return KindMailing, !agent, true
	case i.Channel == "notification":
		return KindMailing, true, true
	}
	return "", false, false
}

// RecordInteractionsTx records, within the history's transaction, the
// stored interactions that are activities on the lead of one of their
// parties: the party's most recent lead not closed that was received
// before the interaction.
func (s *Store) RecordInteractionsTx(ctx context.Context, tx *db.Tx, items []Interaction) error {
	var parties []string
	for _, it := range items {
		if _, _, ok := InteractionActivity(it); ok {
			parties = append(parties, it.PartyIDs...)
		}
	}
	if len(parties) == 0 {
		return nil
	}
	type candidate struct {
		id       string
		received int64
	}
	byParty := map[string][]candidate{} // most recent first
	err := db.EachIn(ctx, tx, `SELECT party_id, id, received_at FROM leads WHERE status <> 'closed' AND party_id IN (%s)
		ORDER BY received_at DESC, id DESC`, nil, parties, func(rows *sql.Rows) error {
		var p string
		var c candidate
		if err := rows.Scan(&p, &c.id, &c.received); err != nil {
			return err
		}
		byParty[p] = append(byParty[p], c)
		return nil
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		kind, automatic, ok := InteractionActivity(it)
		if !ok {
			continue
		}
		done := map[string]bool{}
		for _, p := range it.PartyIDs {
			for _, c := range byParty[p] {
				if c.received > it.At.UnixMilli() {
					continue
				}
				if !done[c.id] {
					done[c.id] = true
					if _, _, err := s.RecordActivityTx(ctx, tx, c.id, OriginHistory, it.ID, kind, automatic, it.AgentID,
						it.At); err != nil {
						return err
					}
				}
				break
			}
		}
	}
	return nil
}

// RecordReplyTx records a desk reply sent to the customer on a request
// associated with leadID: an email, automatic when it is an
// acknowledgement or has no agent.
func (s *Store) RecordReplyTx(ctx context.Context, tx *db.Tx, leadID, messageID, agentID string, automatic bool, at time.Time) error {
	_, _, err := s.RecordActivityTx(ctx, tx, leadID, OriginDesk, messageID, KindEmail, automatic, agentID, at)
	return err
}

// TaskKind is the activity a completed task of kind (task, call, meeting)
// is on its lead.
func TaskKind(taskKind string) string {
	switch taskKind {
	case "call":
		return KindCall
	case "meeting":
		return KindAppointment
	}
	return KindTask
}

// RecordTaskTx records a task associated with leadID, completed by
// agentID at at.
func (s *Store) RecordTaskTx(ctx context.Context, tx *db.Tx, leadID, taskID, taskKind, agentID string, at time.Time) error {
	_, _, err := s.RecordActivityTx(ctx, tx, leadID, OriginTask, taskID, TaskKind(taskKind), false, agentID, at)
	return err
}
