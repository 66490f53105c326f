package leads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// errNotBuilt marks a method whose body is being written.
var errNotBuilt = errors.New("leads: not built yet")

// Input is a lead as it arrives (API or web form).
type Input struct {
	Source      string     `json:"source"`
	SourceGroup string     `json:"source_group"`
	ExternalID  string     `json:"external_id"`
	ReceivedAt  *time.Time `json:"received_at"` // nil: now
	FirstName   string     `json:"first_name"`
	LastName    string     `json:"last_name"`
	Email       string     `json:"email"`
	Phone       string     `json:"phone"`
	PostalCode  string     `json:"postal_code"`
	Product     string     `json:"product"`
	Message     string     `json:"message"`
	UnitCode    string     `json:"unit_code"` // optional: the unit the sender names
}

// Create stores a lead received through the API: idempotent on source and
// external id within the actor's establishment (created is false, and the
// stored lead is returned, the second time). The lead is matched to a
// party or creates a prospect, routed and assigned in the same transaction.
// Requires lead.work (an integration's token carries its agent's
// permissions); the establishment is the actor's unit's.
func (s *Store) Create(ctx context.Context, actor *core.Actor, in Input) (l Lead, created bool, err error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return Lead{}, false, err
	}
	if actor.UnitID == "" {
		return Lead{}, false, core.Errorf(core.Forbidden, "%s belongs to no establishment", actor.Login)
	}
	est, err := establishmentOf(ctx, s.db, actor.UnitID)
	if err != nil {
		return Lead{}, false, err
	}
	return s.create(ctx, actor, est, ChannelAPI, in)
}

// CreateFromForm stores a lead sent through the public web form of the
// establishment named by establishmentCode (no signed-in actor); its
// external id is generated.
func (s *Store) CreateFromForm(ctx context.Context, establishmentCode string, in Input) (Lead, error) {
	if why, bad := core.TextProblem(establishmentCode, core.MaxCode); bad {
		return Lead{}, core.Fields{"establishment_code": why}.Err()
	}
	est, err := establishmentByCode(ctx, s.db, establishmentCode)
	if err != nil {
		return Lead{}, err
	}
	in.ExternalID = core.NewID()
	l, _, err := s.create(ctx, core.System(), est, ChannelForm, in)
	return l, err
}

// create validates, then stores, routes and assigns a lead of est in one
// transaction; the same source and external id again returns the stored
// lead. Two requests with the same key at once: the unique constraint
// refuses the second, which then reads the first's lead.
func (s *Store) create(ctx context.Context, actor *core.Actor, est unitRow, channel string, in Input) (Lead, bool, error) {
	now := s.clock.Now()
	if err := in.normalize(now); err != nil {
		return Lead{}, false, err
	}
	if l, ok, err := existingLead(ctx, s.db, est.ID, in.Source, in.ExternalID); err != nil || ok {
		return l, false, err
	}
	routing, err := s.route(ctx, est, in)
	if err != nil {
		return Lead{}, false, err
	}
	received := *in.ReceivedAt
	cal, err := s.calendar(ctx, routing.UnitID, received)
	if err != nil {
		return Lead{}, false, err
	}
	clockStart := ClockStart(cal, received)
	if received.UTC().Year() != now.UTC().Year() {
		if cal, err = s.calendar(ctx, routing.UnitID, now); err != nil {
			return Lead{}, false, err
		}
	}
	open := openAt(cal, now)
	var l Lead
	created := false
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var ok bool
		var err error
		if l, ok, err = existingLead(ctx, tx, est.ID, in.Source, in.ExternalID); err != nil || ok {
			created = false
			return err
		}
		partyID, err := s.partyOf(ctx, tx, actor, est, routing.UnitID, in)
		if err != nil {
			return err
		}
		id := core.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, party_id, channel, source, source_group,
			external_id, received_at, clock_start_at, first_name, last_name, email, phone, postal_code, product, message,
			status, route, route_rule, route_label, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, est.ID, routing.UnitID, db.NullIfEmpty(partyID), channel, in.Source, in.SourceGroup, in.ExternalID,
			core.Millis(received), core.Millis(clockStart), in.FirstName, in.LastName, in.Email, in.Phone, in.PostalCode,
			in.Product, in.Message, StatusNew, routing.Route, ruleColumn(routing), routing.Label,
			core.Millis(now), core.Millis(now)); err != nil {
			return fmt.Errorf("insert lead: %w", err)
		}
		if l, err = loadLead(ctx, tx, id, core.Scope{All: true}); err != nil {
			return err
		}
		if err := s.log.Record(ctx, tx, actor, "lead.create", "lead", id, partyID, map[string]string{
			"source": in.Source, "external_id": in.ExternalID, "unit": l.UnitCode, "route": l.RouteName()}); err != nil {
			return err
		}
		if open {
			if _, err := s.giveByTurn(ctx, tx, &l, now); err != nil {
				return err
			}
		}
		created = true
		return s.changed(ctx, tx, l)
	})
	if db.IsUniqueViolation(err) {
		// The same lead stored at the same moment by another request.
		if stored, ok, rerr := existingLead(ctx, s.db, est.ID, in.Source, in.ExternalID); rerr == nil && ok {
			return stored, false, nil
		}
	}
	if err != nil {
		return Lead{}, false, err
	}
	return l, created, nil
}

// ruleColumn is route_rule: the position when a rule routed, else NULL.
func ruleColumn(r Routing) any {
	if r.Route == RouteRule {
		return r.Rule
	}
	return nil
}

// existingLead reads the lead of est with source and externalID, if any.
func existingLead(ctx context.Context, q db.Querier, estID, source, externalID string) (Lead, bool, error) {
	l, err := scanLead(q.QueryRow(ctx, leadSelect+" WHERE l.establishment_id = ? AND l.source = ? AND l.external_id = ?",
		estID, source, externalID))
	if db.IsNoRows(err) {
		return Lead{}, false, nil
	}
	if err != nil {
		return Lead{}, false, fmt.Errorf("read lead %s/%s: %w", source, externalID, err)
	}
	return l, true, nil
}

// route reads est's rules and the unit the sender named, and routes in.
// A named unit that is not one of est's is refused.
func (s *Store) route(ctx context.Context, est unitRow, in Input) (Routing, error) {
	rules, err := rulesOf(ctx, s.db, est.ID)
	if err != nil {
		return Routing{}, err
	}
	named := ""
	if in.UnitCode != "" {
		u, err := unitWhere(ctx, s.db, "code = ?", in.UnitCode)
		if core.ErrorCode(err) == core.NotFound || err == nil && rootOf(u.Path) != est.ID {
			return Routing{}, core.Fields{"unit_code": core.Because("unknown_unit")}.Err()
		}
		if err != nil {
			return Routing{}, err
		}
		named = u.ID
	}
	return RouteLead(rules, in.Source, in.Product, in.PostalCode, named, est.ID), nil
}

// changed tells the live pages of the lead's unit that its leads changed.
func (s *Store) changed(ctx context.Context, tx *db.Tx, l Lead) error {
	if s.bus == nil {
		return nil
	}
	return s.bus.PublishTx(ctx, tx, leadEvent(l))
}
