package leads

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Assign gives the lead to the agent with login (a manager's
// reassignment, lead.assign): the new agent is alerted. The lead must be in
// the actor's scope (NotFound otherwise); the agent must be active, hold
// lead.work and have the lead's unit in their scope. Giving a lead to the
// agent who has it changes nothing and alerts nobody. A waiting lead becomes
// assigned; an answered one keeps its status. Audited as lead.reassign.
func (s *Store) Assign(ctx context.Context, actor *core.Actor, leadID, login string) (Lead, error) {
	if err := actor.Require(core.PermLeadAssign); err != nil {
		return Lead{}, err
	}
	f := core.Fields{}
	if core.CheckText(f, "agent", login, core.MaxCode) && login == "" {
		f.Add("agent", core.Required())
	}
	if err := f.Err(); err != nil {
		return Lead{}, err
	}
	if _, err := loadLead(ctx, s.db, leadID, actor.Scope); err != nil {
		return Lead{}, err
	}
	agent, err := s.assignable(ctx, login)
	if err != nil {
		return Lead{}, err
	}
	var l Lead
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := db.LockRows(ctx, tx, "leads", "id", []string{leadID}); err != nil {
			return err
		}
		var err error
		if l, err = loadLead(ctx, tx, leadID, actor.Scope); err != nil {
			return err
		}
		if !agent.scope.Contains(l.UnitID) {
			return core.Fields{"agent": core.Because("agent_outside_unit")}.Err()
		}
		previous := ""
		if l.Assignee != nil {
			previous = l.Assignee.ID
		}
		if previous == agent.ID {
			return nil
		}
		now := s.clock.Now()
		status := l.Status
		if status == StatusNew {
			status = StatusAssigned
		}
		res, err := tx.Exec(ctx, `UPDATE leads SET assignee_id = ?, assigned_at = ?, assigned_by = ?, status = ?, updated_at = ?
			WHERE id = ? AND COALESCE(assignee_id, '') = ?`,
			agent.ID, core.Millis(now), AssignedManual, status, core.Millis(now), leadID, previous)
		if err != nil {
			return fmt.Errorf("reassign lead %s: %w", leadID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return core.Errorf(core.Conflict, "lead %s was reassigned by someone else: reload and try again", leadID)
		}
		ref := AgentRef{ID: agent.ID, Login: agent.Login, Name: agent.Name}
		l.Assignee, l.AssignedAt, l.AssignedBy, l.Status, l.UpdatedAt = &ref, &now, AssignedManual, status, now
		if err := s.tellAssigned(ctx, tx, Assigned{Lead: l, AgentID: agent.ID, Previous: previous, By: actor}); err != nil {
			return err
		}
		if err := s.log.Record(ctx, tx, actor, "lead.reassign", "lead", l.ID, l.PartyID,
			map[string]string{"agent": agent.Login, "previous": previous}); err != nil {
			return err
		}
		return s.changed(ctx, tx, l)
	})
	if err != nil {
		return Lead{}, err
	}
	return l, nil
}

// assignee is an agent a lead may be given to, with their scope.
type assignee struct {
	agentRow
	scope core.Scope
}

// assignable reads the agent with login and checks they may receive leads:
// known, active, holding lead.work.
func (s *Store) assignable(ctx context.Context, login string) (assignee, error) {
	a, err := agentByLogin(ctx, s.db, login)
	if core.ErrorCode(err) == core.NotFound {
		return assignee{}, core.Fields{"agent": core.Because("unknown_agent")}.Err()
	}
	if err != nil {
		return assignee{}, err
	}
	if !a.Active {
		return assignee{}, core.Fields{"agent": core.Because("agent_deactivated")}.Err()
	}
	actor, err := s.orgs.Actor(ctx, a.ID)
	if err != nil {
		return assignee{}, err
	}
	if !actor.Can(core.PermLeadWork) {
		return assignee{}, core.Fields{"agent": core.Because("agent_without_leads")}.Err()
	}
	return assignee{agentRow: a, scope: actor.Scope}, nil
}
