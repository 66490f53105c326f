package surveys

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// Interaction is an interaction just stored in the history, as the
// surveys see it.
type Interaction struct {
	ID        string
	Channel   string
	Direction string
	Outcome   string
	AgentID   string // "" when no known agent took part
	At        time.Time
	PartyIDs  []string // every party it is linked to; the first is surveyed
}

// RequestClosed is a desk request just closed.
type RequestClosed struct {
	RequestID string
	UnitID    string
	PartyID   string // "" when the request names no party
	AgentID   string // its assignee, "" when none
	ClosedAt  time.Time
}

// TriggerOf is the trigger an interaction matches: an answered inbound
// phone call with an agent (TriggerCall), a face-to-face or video meeting
// with an agent (TriggerMeeting), else "". The history has no moment when
// a meeting report is reconciled with its call that a survey could wait
// for, so a call triggers on its own.
func TriggerOf(channel, direction, outcome, agentID string) string {
	if agentID == "" {
		return ""
	}
	switch {
	case channel == "phone" && direction == "inbound" && outcome == "answered":
		return TriggerCall
	case channel == "face_to_face" || channel == "video":
		return TriggerMeeting
	}
	return ""
}

// InteractionsStoredTx schedules the surveys that the stored interactions
// trigger, within the transaction that stores them.
func (s *Store) InteractionsStoredTx(ctx context.Context, tx *db.Tx, items []Interaction) error {
	if !slices.ContainsFunc(items, func(it Interaction) bool {
		return len(it.PartyIDs) > 0 && TriggerOf(it.Channel, it.Direction, it.Outcome, it.AgentID) != ""
	}) {
		return nil // most batches (notifications, mail, SMS) trigger nothing: no query on the ingestion's path
	}
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM survey_campaigns WHERE active = ? LIMIT 1", true).Scan(&one)
	if db.IsNoRows(err) {
		return nil // no campaign at all: nothing to look up for each interaction
	}
	if err != nil {
		return fmt.Errorf("active campaigns: %w", err)
	}
	campaigns := map[[2]string]*Campaign{}
	for _, it := range items {
		trigger := TriggerOf(it.Channel, it.Direction, it.Outcome, it.AgentID)
		if trigger == "" || len(it.PartyIDs) == 0 {
			continue
		}
		var unit string
		if err := tx.QueryRow(ctx, "SELECT unit_id FROM agents WHERE id = ?", it.AgentID).Scan(&unit); err != nil {
			return fmt.Errorf("unit of agent %s: %w", it.AgentID, err)
		}
		est, err := establishmentOfUnit(ctx, tx, unit)
		if err != nil {
			return err
		}
		key := [2]string{est, trigger}
		c, ok := campaigns[key]
		if !ok {
			found, has, err := activeCampaign(ctx, tx, est, trigger)
			if err != nil {
				return err
			}
			if has {
				c = &found
			}
			campaigns[key] = c
		}
		if c == nil {
			continue
		}
		if _, err := s.scheduleTx(ctx, tx, exchange{campaign: *c, partyID: it.PartyIDs[0], unitID: unit,
			agentID: it.AgentID, interactionID: it.ID, at: it.At}); err != nil {
			return err
		}
	}
	return nil
}

// RequestClosedTx schedules the survey that a closed desk request
// triggers, within the transaction that closes it.
func (s *Store) RequestClosedTx(ctx context.Context, tx *db.Tx, r RequestClosed) error {
	if r.PartyID == "" {
		return nil
	}
	est, err := establishmentOfUnit(ctx, tx, r.UnitID)
	if err != nil {
		return err
	}
	c, ok, err := activeCampaign(ctx, tx, est, TriggerRequestClosed)
	if err != nil || !ok {
		return err
	}
	_, err = s.scheduleTx(ctx, tx, exchange{campaign: c, partyID: r.PartyID, unitID: r.UnitID, agentID: r.AgentID,
		requestID: r.RequestID, at: r.ClosedAt})
	return err
}
