package leads

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// RequestLead returns the lead a desk request is associated with ("" for
// none). Requires lead.work and the request in the actor's scope.
func (s *Store) RequestLead(ctx context.Context, actor *core.Actor, requestID string) (string, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return "", err
	}
	_, leadID, err := requestInScope(ctx, s.db, actor.Scope, requestID)
	return leadID, err
}

// AssociateRequest says which lead a desk request answers ("associated
// with"; "" for none). Requires lead.work and request.reply; the request
// and the lead must be in the actor's scope, and the lead must be the
// request's customer's when both are known. The replies already sent to
// the customer on the request are recorded on the lead (an earlier one
// becomes its response); those recorded on the lead it was associated
// with before are taken back from it, and its response recomputed.
func (s *Store) AssociateRequest(ctx context.Context, actor *core.Actor, requestID, leadID string) error {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return err
	}
	if err := actor.Require(core.PermRequestReply); err != nil {
		return err
	}
	f := core.Fields{}
	core.CheckText(f, "lead_id", leadID, core.MaxCode)
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		partyID, old, err := requestInScope(ctx, tx, actor.Scope, requestID)
		if err != nil {
			return err
		}
		if old == leadID {
			return nil
		}
		if leadID != "" {
			l, err := s.leadInScope(ctx, tx, actor.Scope, leadID)
			if core.ErrorCode(err) == core.NotFound {
				return core.Fields{"lead_id": core.Because("lead_not_found")}.Err()
			}
			if err != nil {
				return err
			}
			if partyID != "" && l.PartyID != "" && partyID != l.PartyID {
				return core.Fields{"lead_id": core.Because("lead_of_other_party")}.Err()
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE desk_requests SET lead_id = ? WHERE id = ?", db.NullIfEmpty(leadID), requestID); err != nil {
			return fmt.Errorf("associate request %s: %w", requestID, err)
		}
		if old != "" {
			if err := s.takeBack(ctx, tx, old, OriginDesk,
				"SELECT id FROM desk_messages WHERE request_id = ?", requestID); err != nil {
				return err
			}
		}
		if leadID != "" {
			if err := s.recordSentReplies(ctx, tx, leadID, requestID); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, tx, actor, "request.lead", "request", requestID, partyID,
			map[string]string{"lead": leadID, "previous": old})
	})
}

// requestInScope reads a request's party and lead when its unit is in scope.
func requestInScope(ctx context.Context, q db.Querier, scope core.Scope, id string) (partyID, leadID string, err error) {
	cond, args := party.ScopeCondition("unit_id", scope)
	err = q.QueryRow(ctx, "SELECT COALESCE(party_id, ''), COALESCE(lead_id, '') FROM desk_requests WHERE id = ?"+cond,
		append([]any{id}, args...)...).Scan(&partyID, &leadID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", core.Errorf(core.NotFound, "request %s not found", id)
	}
	return partyID, leadID, err
}

// recordSentReplies records on leadID the replies already sent to the
// customer on the request.
func (s *Store) recordSentReplies(ctx context.Context, tx *db.Tx, leadID, requestID string) error {
	rows, err := tx.Query(ctx, `SELECT id, COALESCE(agent_id, ''), flags, sent_at FROM desk_messages
		WHERE request_id = ? AND kind = 'outbound' AND solicitation_id IS NULL AND status = 'sent' AND sent_at IS NOT NULL
		ORDER BY sent_at, id`, requestID)
	if err != nil {
		return fmt.Errorf("replies of request %s: %w", requestID, err)
	}
	type reply struct {
		id, agent string
		automatic bool
		at        int64
	}
	var replies []reply
	for rows.Next() {
		var r reply
		var flags string
		if err := rows.Scan(&r.id, &r.agent, &flags, &r.at); err != nil {
			rows.Close()
			return err
		}
		r.automatic = r.agent == "" || strings.Contains(" "+flags+" ", " automatic ")
		replies = append(replies, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range replies {
		if err := s.RecordReplyTx(ctx, tx, leadID, r.id, r.agent, r.automatic, core.FromMillis(r.at)); err != nil {
			return err
		}
	}
	return nil
}

// takeBack removes from leadID the activities of origin whose ref_id the
// query refs (with its args) returns, then recomputes the lead's response.
func (s *Store) takeBack(ctx context.Context, tx *db.Tx, leadID, origin, refs string, args ...any) error {
	if _, err := tx.Exec(ctx, "DELETE FROM lead_activities WHERE lead_id = ? AND origin = ? AND ref_id IN ("+refs+")",
		append([]any{leadID, origin}, args...)...); err != nil {
		return fmt.Errorf("take activities back from lead %s: %w", leadID, err)
	}
	return s.recomputeResponse(ctx, tx, leadID)
}

// recomputeResponse sets the lead's response from its earliest activity
// that is not automatic, or clears it (the lead is assigned again, or new
// without an agent) when none is left.
func (s *Store) recomputeResponse(ctx context.Context, tx *db.Tx, leadID string) error {
	if err := db.LockRows(ctx, tx, "leads", "id", []string{leadID}); err != nil {
		return err
	}
	st, err := readResponseState(ctx, tx, leadID)
	if err != nil {
		return err
	}
	acts, err := activitiesWhere(ctx, tx, "a.lead_id = ? AND a.automatic = ?", leadID, false)
	if err != nil {
		return err
	}
	if len(acts) > 0 {
		return s.setResponse(ctx, tx, st, acts[0].Kind, acts[0].CompletedAt)
	}
	if st.first == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE leads SET first_response_at = NULL, response_minutes = NULL, response_kind = '',
		status = CASE WHEN status = 'closed' THEN status WHEN assignee_id IS NULL THEN 'new' ELSE 'assigned' END,
		updated_at = ? WHERE id = ?`, core.Millis(s.clock.Now()), leadID); err != nil {
		return fmt.Errorf("lead %s response cleared: %w", leadID, err)
	}
	var status string
	if err := tx.QueryRow(ctx, "SELECT status FROM leads WHERE id = ?", leadID).Scan(&status); err != nil {
		return err
	}
	s.publishResponse(ctx, tx, st.unitID, TopicChanged, map[string]any{"lead": leadID, "status": status})
	return nil
}

// RequestLeadChoice is what the "associated with" select of a desk request
// offers: the lead it answers now ("" for none) and the leads to choose
// from, the customer's open ones most recent first (the first is the
// suggestion), with the current one whatever its status.
type RequestLeadChoice struct {
	Current string
	Leads   []Lead
}

// LeadChoiceOfRequest returns the request's "associated with" choice.
// Requires lead.work and the request in the actor's scope; a request
// without a customer offers nothing.
func (s *Store) LeadChoiceOfRequest(ctx context.Context, actor *core.Actor, requestID string) (RequestLeadChoice, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return RequestLeadChoice{}, err
	}
	partyID, current, err := requestInScope(ctx, s.db, actor.Scope, requestID)
	if err != nil {
		return RequestLeadChoice{}, err
	}
	c := RequestLeadChoice{Current: current, Leads: []Lead{}}
	if partyID != "" {
		if c.Leads, err = s.OpenLeadsOfParty(ctx, actor, partyID); err != nil {
			return RequestLeadChoice{}, err
		}
	}
	if current != "" && !slices.ContainsFunc(c.Leads, func(l Lead) bool { return l.ID == current }) {
		l, err := s.leadInScope(ctx, s.db, actor.Scope, current)
		if err == nil {
			c.Leads = append(c.Leads, l)
		} else if core.ErrorCode(err) != core.NotFound {
			return RequestLeadChoice{}, err
		}
	}
	return c, nil
}

// MyOpenLeads lists the leads assigned to the actor and not answered nor
// closed, the most recent first (at most 50): the choices of the "lead"
// field of the new task form.
func (s *Store) MyOpenLeads(ctx context.Context, actor *core.Actor) ([]Lead, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return nil, err
	}
	if actor.AgentID == "" {
		return []Lead{}, nil
	}
	cond, args := party.ScopeCondition("l.unit_id", actor.Scope)
	return leadRowsWhere(ctx, s.db, "l.assignee_id = ? AND l.status = 'assigned'"+cond+
		" ORDER BY l.received_at DESC, l.id DESC LIMIT 50", append([]any{actor.AgentID}, args...)...)
}
