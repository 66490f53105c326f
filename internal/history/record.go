package history

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// SourceContact is the history source of the contacts agents trace in
// Rapport itself (the GRC "contact"): each is one interaction.
const SourceContact = "contact"

// ChannelCase is the channel of a case's entry in a party's timeline: the
// case was opened (by a contact, by hand or by an external event).
const ChannelCase = "case"

// ChannelSurvey is the channel of an identified satisfaction survey
// answer in its customer's timeline (package surveys writes it).
const ChannelSurvey = "survey"

// SourceSurvey is the history source of the survey answers customers
// chose to sign.
const SourceSurvey = "survey"

// SourceCase is the history source of what cases put in the timeline:
// their opening and the letters their steps generate.
const SourceCase = "case"

// Record stores one interaction that Rapport itself produced (a contact)
// within tx, so that it is written with what it belongs to or not at all.
// The item is checked as ingestion checks it, but the establishment's
// exclusion rules do not apply: an agent traced it on purpose. It has no
// attachments (they are dropped). A duplicate (same source and external id) returns the
// interaction stored before.
func (s *Store) Record(ctx context.Context, tx *db.Tx, actor *core.Actor, it Item) (Result, error) {
	sources, err := s.validSources(ctx)
	if err != nil {
		return Result{}, err
	}
	it.Attachments = nil
	c, err := check(it, sources)
	if err != nil {
		return Result{}, err
	}
	establishment, err := establishmentOf(ctx, tx, actor.UnitID)
	if err != nil {
		return Result{}, err
	}
	results := []Result{{ExternalID: it.ExternalID, PartyIDs: []string{}}}
	if err := s.write(ctx, tx, actor, establishment, []checked{c}, []int{0}, results); err != nil {
		return Result{}, fmt.Errorf("record interaction: %w", err)
	}
	if results[0].Status == Rejected {
		return Result{}, results[0].Reasons.Err()
	}
	return results[0], nil
}
