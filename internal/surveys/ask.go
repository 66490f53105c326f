package surveys

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Ask schedules the survey of campaign r.Campaign after the pushed
// interaction r.InteractionID, or skips it with its reason; the same
// interaction again gives the same survey (history.write). The
// interaction must be of the actor's establishment and linked to a party
// of the actor's scope; the campaign one of that establishment's, active.
func (s *Store) Ask(ctx context.Context, actor *core.Actor, r Request) (Scheduled, error) {
	if err := actor.Require(core.PermHistoryWrite); err != nil {
		return Scheduled{}, err
	}
	f := core.Fields{}
	r.InteractionID, r.Campaign = strings.TrimSpace(r.InteractionID), strings.TrimSpace(r.Campaign)
	if core.CheckText(f, "interaction_id", r.InteractionID, core.MaxCode) && r.InteractionID == "" {
		f.Add("interaction_id", core.Required())
	}
	if core.CheckText(f, "campaign", r.Campaign, core.MaxCode) && r.Campaign == "" {
		f.Add("campaign", core.Required())
	}
	if err := f.Err(); err != nil {
		return Scheduled{}, err
	}
	ex, err := s.pushedExchange(ctx, actor, r)
	if err != nil {
		return Scheduled{}, err
	}
	if sc, ok, err := existingSurvey(ctx, s.db, ex.interactionID, ""); err != nil || ok {
		return sc, err
	}
	var sc Scheduled
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		sc, err = s.scheduleTx(ctx, tx, ex)
		return err
	})
	if db.IsUniqueViolation(err) {
		// The same interaction asked at the same moment by another request.
		if stored, ok, rerr := existingSurvey(ctx, s.db, ex.interactionID, ""); rerr == nil && ok {
			return stored, nil
		}
	}
	return sc, err
}

// pushedExchange reads the interaction an integration asks a survey
// after: NotFound unless it is of the actor's establishment; its first
// party in the actor's scope is surveyed, for the unit of its agent (else
// the party's agency).
func (s *Store) pushedExchange(ctx context.Context, actor *core.Actor, r Request) (exchange, error) {
	notFound := core.Errorf(core.NotFound, "interaction %s not found", r.InteractionID)
	if !core.ValidID(r.InteractionID) {
		return exchange{}, notFound
	}
	var est, agent, agentUnit sql.NullString
	var at int64
	err := s.db.QueryRow(ctx, `SELECT i.establishment_id, i.agent_id, a.unit_id, i.occurred_at FROM interactions i
		LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id = ?`, r.InteractionID).Scan(&est, &agent, &agentUnit, &at)
	if db.IsNoRows(err) {
		return exchange{}, notFound
	}
	if err != nil {
		return exchange{}, fmt.Errorf("interaction %s: %w", r.InteractionID, err)
	}
	cond, args := scopeCond("p.agency_id", actor.Scope)
	var partyID, agency string
	err = s.db.QueryRow(ctx, `SELECT p.id, p.agency_id FROM interaction_parties ip JOIN parties p ON p.id = ip.party_id
		WHERE ip.interaction_id = ?`+cond+` ORDER BY ip.party_id LIMIT 1`,
		append([]any{r.InteractionID}, args...)...).Scan(&partyID, &agency)
	if db.IsNoRows(err) {
		return exchange{}, core.Fields{"interaction_id": core.Because("survey_no_party")}.Err()
	}
	if err != nil {
		return exchange{}, fmt.Errorf("party of interaction %s: %w", r.InteractionID, err)
	}
	if est.String == "" {
		if est.String, err = establishmentOfUnit(ctx, s.db, agency); err != nil {
			return exchange{}, err
		}
	}
	if actor.UnitID != "" {
		mine, err := establishmentOfUnit(ctx, s.db, actor.UnitID)
		if err != nil {
			return exchange{}, err
		}
		if est.String != mine {
			return exchange{}, notFound
		}
	}
	cs, err := campaignsWhere(ctx, s.db, "WHERE c.establishment_id = ? AND c.code = ?", est.String, r.Campaign)
	if err != nil {
		return exchange{}, err
	}
	if len(cs) == 0 {
		return exchange{}, core.Fields{"campaign": core.Because("unknown_campaign")}.Err()
	}
	if !cs[0].Active {
		return exchange{}, core.Fields{"campaign": core.Because("inactive_campaign")}.Err()
	}
	unit := agency
	if agentUnit.Valid {
		unit = agentUnit.String
	}
	return exchange{campaign: cs[0], partyID: partyID, unitID: unit, agentID: agent.String,
		interactionID: r.InteractionID, at: core.FromMillis(at)}, nil
}
