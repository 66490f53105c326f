package leads

import (
	"context"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// ActivityInput is a completed activity reported on a lead.
type ActivityInput struct {
	Kind        string     `json:"kind"`
	CompletedAt *time.Time `json:"completed_at"` // nil: now
	Automatic   bool       `json:"automatic"`
}

// RecordActivity records a completed activity on the lead; the first one
// that is not automatic is the lead's response. Requires lead.work and the
// lead in the actor's scope. Through an API token its origin is "api",
// else "manual" (an agent logging it); each call is a new activity.
func (s *Store) RecordActivity(ctx context.Context, actor *core.Actor, leadID string, in ActivityInput) (Activity, Lead, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return Activity{}, Lead{}, err
	}
	now := s.clock.Now()
	f := core.Fields{}
	if !slices.Contains(ActivityKinds, in.Kind) {
		f.Add("kind", core.OneOf(ActivityKinds...))
	}
	at := now
	if in.CompletedAt != nil {
		at = *in.CompletedAt
		if at.After(now.Add(time.Minute)) {
			f.Add("completed_at", core.Because("not_future"))
		}
	}
	if err := f.Err(); err != nil {
		return Activity{}, Lead{}, err
	}
	origin := OriginManual
	if actor.TokenID != "" {
		origin = OriginAPI
	}
	var a Activity
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		l, err := s.leadInScope(ctx, tx, actor.Scope, leadID)
		if err != nil {
			return err
		}
		if at.Before(l.ReceivedAt) {
			return core.Fields{"completed_at": core.Because("before_lead_received")}.Err()
		}
		a, _, err = s.RecordActivityTx(ctx, tx, leadID, origin, core.NewID(), in.Kind, in.Automatic, actor.AgentID, at)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "lead.activity", "lead", leadID, l.PartyID,
			map[string]any{"kind": in.Kind, "automatic": in.Automatic, "completed_at": a.CompletedAt})
	})
	if err != nil {
		return Activity{}, Lead{}, err
	}
	l, err := s.leadInScope(ctx, s.db, actor.Scope, leadID)
	if err != nil {
		return Activity{}, Lead{}, err
	}
	if a.Agent != nil {
		a.Agent.Login, a.Agent.Name = actor.Login, actor.Name
	}
	return a, l, nil
}

// Activities lists the lead's activities, oldest first. Requires lead.work
// and the lead in the actor's scope.
func (s *Store) Activities(ctx context.Context, actor *core.Actor, leadID string) ([]Activity, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return nil, err
	}
	if _, err := s.leadInScope(ctx, s.db, actor.Scope, leadID); err != nil {
		return nil, err
	}
	return activitiesWhere(ctx, s.db, "a.lead_id = ?", leadID)
}

// OpenLeadsOfParty lists the party's leads not answered nor closed, in the
// actor's scope, the most recent first: the suggestion when an agent picks
// the lead an activity answers.
func (s *Store) OpenLeadsOfParty(ctx context.Context, actor *core.Actor, partyID string) ([]Lead, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return nil, err
	}
	cond, args := party.ScopeCondition("l.unit_id", actor.Scope)
	return leadRowsWhere(ctx, s.db, "l.party_id = ? AND l.status IN ('new', 'assigned')"+cond+
		" ORDER BY l.received_at DESC, l.id DESC LIMIT 50", append([]any{partyID}, args...)...)
}

// leadInScope reads the lead id when its unit is in scope; NotFound
// otherwise, as if it did not exist.
func (s *Store) leadInScope(ctx context.Context, q db.Querier, scope core.Scope, id string) (Lead, error) {
	return loadLead(ctx, q, id, scope)
}
