package cases

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
)

// The statuses of a plan run.
const (
	RunRunning   = "running"
	RunDone      = "done" // every task done or cancelled
	RunCancelled = "cancelled"
)

// PlanTarget is what a plan is launched on: exactly one of a case, a
// contact or a request.
type PlanTarget struct {
	CaseID    string `json:"case_id"`
	ContactID string `json:"contact_id"`
	RequestID string `json:"request_id"`
}

// PlanRun is one launch of an action plan and the tasks it created.
type PlanRun struct {
	ID     string `json:"id"`
	Plan   string `json:"plan"`
	Status string `json:"status"`
	Tasks  []Task `json:"tasks"`
}

// planTarget is what a launch needs of its target.
type planTarget struct {
	UnitID, PartyID          string
	Responsible, Emitter     string // agent ids, "" when none
	CaseID, ContactID, ReqID string
}

// LaunchPlan launches the action plan code of the target's establishment:
// one task per step, due step.Day business days after today in the
// target unit's calendar (closing days and holidays skipped), assigned as
// the step says. Requires case.manage and the target in scope.
func (s *Store) LaunchPlan(ctx context.Context, actor *core.Actor, code string, target PlanTarget) (PlanRun, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return PlanRun{}, err
	}
	f := core.Fields{}
	n := 0
	for _, v := range []string{target.CaseID, target.ContactID, target.RequestID} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		f.Add("target", core.Because("exactly_one", "values", []string{"case_id", "contact_id", "request_id"}))
	}
	core.CheckText(f, "code", code, core.MaxCode)
	if err := f.Err(); err != nil {
		return PlanRun{}, err
	}
	tg, err := s.planTarget(ctx, actor, target)
	if err != nil {
		return PlanRun{}, err
	}
	est, err := establishmentOf(ctx, s.db, tg.UnitID)
	if err != nil {
		return PlanRun{}, err
	}
	plan, err := actionPlan(ctx, s.db, est, code)
	if err != nil {
		return PlanRun{}, err
	}
	if !plan.Active {
		return PlanRun{}, core.Fields{"code": core.Because("plan_inactive")}.Err()
	}
	now := s.clock.Now()
	cal, err := s.orgs.Calendar(ctx, tg.UnitID, now.In(time.UTC).Year())
	if err != nil {
		return PlanRun{}, err
	}
	rows := make([]taskRow, len(plan.Steps))
	for i, step := range plan.Steps {
		due := cal.AddBusinessDays(now, step.Day)
		if due.IsZero() {
			return PlanRun{}, core.Errorf(core.Conflict, "the unit has no business day to set the tasks' due dates")
		}
		unitID, assignee := tg.UnitID, ""
		switch step.Assignee {
		case AssignQueue:
			if step.UnitCode != "" {
				u, err := s.orgs.UnitByCode(ctx, step.UnitCode)
				if err != nil {
					return PlanRun{}, fmt.Errorf("plan %s step %d: unit %s: %w", code, i, step.UnitCode, err)
				}
				unitID = u.ID
			}
		case AssignLauncher:
			assignee = actor.AgentID
		default: // AssignCaseAgent
			assignee = cmp.Or(tg.Responsible, tg.Emitter, actor.AgentID)
		}
		movesTo := step.MovesCaseTo
		if tg.CaseID == "" && (tg.ReqID == "" || !slices.Contains(desk.Statuses, movesTo)) {
			movesTo = "" // a contact has no status; a request only the desk's
		}
		rows[i] = taskRow{ID: core.NewID(), UnitID: unitID, Kind: step.Kind, Title: step.Title,
			Description: step.Description, DueOn: due.Format(time.DateOnly), AssigneeID: assignee,
			PartyID: tg.PartyID, CaseID: tg.CaseID, ContactID: tg.ContactID, RequestID: tg.ReqID, PlanStep: &i,
			MovesTo: movesTo}
	}
	runID := core.NewID()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO plan_runs (id, plan_id, unit_id, case_id, contact_id, request_id, status,
			launched_by, launched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, runID, plan.ID, tg.UnitID, db.NullIfEmpty(tg.CaseID),
			db.NullIfEmpty(tg.ContactID), db.NullIfEmpty(tg.ReqID), RunRunning, db.NullIfEmpty(actor.AgentID), core.Millis(now)); err != nil {
			return fmt.Errorf("insert plan run: %w", err)
		}
		for _, r := range rows {
			r.PlanRunID = runID
			if err := s.insertTask(ctx, tx, actor, r); err != nil {
				return err
			}
		}
		detail := map[string]any{"plan": plan.Code, "run_id": runID, "tasks": len(rows)}
		if tg.CaseID != "" {
			if err := s.addEvent(ctx, tx, actor, tg.CaseID, Event{Action: EventPlanLaunched, Detail: detail}); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, tx, actor, "plan.launch", "plan_run", runID, tg.PartyID, detail)
	})
	if err != nil {
		return PlanRun{}, err
	}
	return s.planRun(ctx, runID)
}

// planTarget reads the target within the actor's scope (NotFound outside
// it) with its unit, party and agents.
func (s *Store) planTarget(ctx context.Context, actor *core.Actor, t PlanTarget) (planTarget, error) {
	var tg planTarget
	switch {
	case t.CaseID != "":
		h, err := headOf(ctx, s.db, actor.Scope, t.CaseID)
		if err != nil {
			return tg, err
		}
		tg = planTarget{UnitID: h.UnitID, PartyID: h.PartyID, CaseID: h.ID}
	case t.ContactID != "":
		if !core.ValidID(t.ContactID) {
			return tg, core.Errorf(core.NotFound, "contact %s not found", t.ContactID)
		}
		cond, args := scopeCond("c.unit_id", actor.Scope)
		err := s.db.QueryRow(ctx, "SELECT c.unit_id, c.party_id FROM contacts c WHERE c.id = ?"+cond,
			append([]any{t.ContactID}, args...)...).Scan(&tg.UnitID, &tg.PartyID)
		if errors.Is(err, sql.ErrNoRows) {
			return tg, core.Errorf(core.NotFound, "contact %s not found", t.ContactID)
		}
		if err != nil {
			return tg, fmt.Errorf("read contact %s: %w", t.ContactID, err)
		}
		tg.ContactID = t.ContactID
	default:
		r, err := s.desk.Get(ctx, actor, t.RequestID)
		if err != nil {
			return tg, err
		}
		tg = planTarget{UnitID: r.UnitID, PartyID: r.PartyID, ReqID: r.ID}
		if r.Assignee != nil {
			tg.Responsible = r.Assignee.ID
		}
		return tg, nil
	}
	owner := cmp.Or(tg.CaseID, tg.ContactID)
	rows, err := s.db.Query(ctx, `SELECT w.role, w.agent_id FROM work_agents w JOIN agents a ON a.id = w.agent_id
		WHERE w.owner_id = ? AND a.active AND w.role IN ('responsible', 'emitter') ORDER BY w.position, w.agent_id`, owner)
	if err != nil {
		return tg, fmt.Errorf("agents of %s: %w", owner, err)
	}
	defer rows.Close()
	for rows.Next() {
		var role, id string
		if err := rows.Scan(&role, &id); err != nil {
			return tg, err
		}
		if role == RoleResponsible {
			tg.Responsible = cmp.Or(tg.Responsible, id)
		} else {
			tg.Emitter = cmp.Or(tg.Emitter, id)
		}
	}
	return tg, rows.Err()
}

// planRun reads a run and all its tasks, whatever the reader's scope: a
// plan may put a task in the queue of a unit its launcher does not see.
func (s *Store) planRun(ctx context.Context, runID string) (PlanRun, error) {
	run := PlanRun{ID: runID}
	if err := s.db.QueryRow(ctx, `SELECT p.code, r.status FROM plan_runs r JOIN action_plans p ON p.id = r.plan_id
		WHERE r.id = ?`, runID).Scan(&run.Plan, &run.Status); err != nil {
		return run, fmt.Errorf("read plan run %s: %w", runID, err)
	}
	var err error
	run.Tasks, err = s.taskList(ctx, s.db, core.System(), TaskFilter{PlanRunID: runID}, 1000)
	return run, err
}

// CancelPlanRun cancels a running plan run and its open tasks; its case's
// history says so. A run done or cancelled already is a Conflict.
func (s *Store) CancelPlanRun(ctx context.Context, actor *core.Actor, runID string) (PlanRun, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return PlanRun{}, err
	}
	if !core.ValidID(runID) {
		return PlanRun{}, core.Errorf(core.NotFound, "plan run %s not found", runID)
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		cond, args := scopeCond("r.unit_id", actor.Scope)
		var status, code string
		var caseID, contactID, requestID sql.NullString
		err := tx.QueryRow(ctx, `SELECT r.status, p.code, r.case_id, r.contact_id, r.request_id FROM plan_runs r
			JOIN action_plans p ON p.id = r.plan_id WHERE r.id = ?`+cond, append([]any{runID}, args...)...).
			Scan(&status, &code, &caseID, &contactID, &requestID)
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(core.NotFound, "plan run %s not found", runID)
		}
		if err != nil {
			return fmt.Errorf("read plan run %s: %w", runID, err)
		}
		now := core.Millis(s.clock.Now())
		res, err := tx.Exec(ctx, "UPDATE plan_runs SET status = 'cancelled' WHERE id = ? AND status = 'running'", runID)
		if err != nil {
			return fmt.Errorf("cancel plan run %s: %w", runID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return core.Errorf(core.Conflict, "the plan run is already %s", status)
		}
		res, err = tx.Exec(ctx, "UPDATE tasks SET status = 'cancelled', updated_at = ? WHERE plan_run_id = ? AND status = 'open'",
			now, runID)
		if err != nil {
			return fmt.Errorf("cancel the tasks of plan run %s: %w", runID, err)
		}
		cancelled, _ := res.RowsAffected()
		detail := map[string]any{"plan": code, "run_id": runID, "tasks_cancelled": cancelled}
		if caseID.Valid {
			if err := s.addEvent(ctx, tx, actor, caseID.String, Event{Action: EventPlanCancelled, Detail: detail}); err != nil {
				return err
			}
		}
		party := ""
		_ = tx.QueryRow(ctx, "SELECT COALESCE(party_id, '') FROM tasks WHERE plan_run_id = ? ORDER BY plan_step LIMIT 1",
			runID).Scan(&party)
		return s.log.Record(ctx, tx, actor, "plan.cancel", "plan_run", runID, party, detail)
	})
	if err != nil {
		return PlanRun{}, err
	}
	return s.planRun(ctx, runID)
}
