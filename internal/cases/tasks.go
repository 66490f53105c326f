package cases

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
)

// NewTask is a task an agent writes by hand. UnitID defaults to the case's
// or request's unit, else the agent's own; no assignee (or Queue) puts it
// in the unit's queue.
type NewTask struct {
	UnitID        string `json:"-"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	Description   string `json:"description"`
	DueOn         string `json:"due_on"`
	AssigneeLogin string `json:"assignee"`
	Queue         bool   `json:"queue"`
	Priority      string `json:"priority"`
	PartyID       string `json:"party_id"`
	CaseID        string `json:"case_id"`
	RequestID     string `json:"request_id"`
	LeadID        string `json:"lead_id"` // the lead it answers ("associated with"), in scope
}

// TaskPatch changes an open task; nil fields stay as they are. An
// AssigneeLogin of "" puts the task back in its unit's queue.
type TaskPatch struct {
	AssigneeLogin *string `json:"assignee"`
	DueOn         *string `json:"due_on"`
	Priority      *string `json:"priority"`
	Title         *string `json:"title"`
}

// CreateTask writes a manual task. Requires case.manage; the unit must be
// in the actor's scope and the party, case and request it belongs to
// visible to them; the assignee must be an active agent whose scope holds
// the unit.
func (s *Store) CreateTask(ctx context.Context, actor *core.Actor, in NewTask) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	f := core.Fields{}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		f.Add("title", core.RequiredUpTo(core.MaxSubject))
	}
	core.CheckText(f, "title", in.Title, core.MaxSubject)
	core.CheckText(f, "description", in.Description, core.MaxLongText)
	if in.Kind == "" {
		in.Kind = TaskTask
	}
	if !slices.Contains(TaskKinds, in.Kind) {
		f.Add("kind", core.OneOf(TaskKinds...))
	}
	if in.Priority == "" {
		in.Priority = desk.PriorityLow
	}
	if !slices.Contains(desk.Priorities, in.Priority) {
		f.Add("priority", core.OneOf(desk.Priorities...))
	}
	checkDate(f, "due_on", in.DueOn)
	for _, c := range []struct{ field, v string }{{"party_id", in.PartyID}, {"case_id", in.CaseID},
		{"request_id", in.RequestID}, {"assignee", in.AssigneeLogin}, {"lead_id", in.LeadID}} {
		core.CheckText(f, c.field, c.v, core.MaxCode)
	}
	if err := f.Err(); err != nil {
		return Task{}, err
	}
	if in.CaseID != "" {
		h, err := headOf(ctx, s.db, actor.Scope, in.CaseID)
		if err != nil {
			return Task{}, core.Fields{"case_id": core.Because("case_not_found")}.Err()
		}
		in.UnitID = cmp.Or(in.UnitID, h.UnitID)
		in.PartyID = cmp.Or(in.PartyID, h.PartyID)
	}
	if in.RequestID != "" {
		r, err := s.desk.Get(ctx, actor, in.RequestID)
		if err != nil {
			return Task{}, core.Fields{"request_id": core.Because("request_not_found")}.Err()
		}
		in.UnitID = cmp.Or(in.UnitID, r.UnitID)
		in.PartyID = cmp.Or(in.PartyID, r.PartyID)
	}
	in.UnitID = cmp.Or(in.UnitID, actor.UnitID)
	if in.UnitID == "" || !actor.Scope.Contains(in.UnitID) {
		return Task{}, core.Fields{"unit": core.Because("outside_scope")}.Err()
	}
	if in.LeadID != "" {
		partyID, err := leadParty(ctx, s.db, actor.Scope, in.LeadID)
		if err != nil {
			return Task{}, err
		}
		if in.PartyID != "" && partyID != "" && partyID != in.PartyID {
			return Task{}, core.Fields{"lead_id": core.Because("lead_of_other_party")}.Err()
		}
		in.PartyID = cmp.Or(in.PartyID, partyID)
	}
	if in.PartyID != "" {
		if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
			return Task{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
		}
	}
	assignee := ""
	if !in.Queue && in.AssigneeLogin != "" {
		var err error
		if assignee, err = s.assigneeFor(ctx, in.AssigneeLogin, in.UnitID); err != nil {
			return Task{}, err
		}
	}
	id := core.NewID()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.insertTask(ctx, tx, actor, taskRow{ID: id, UnitID: in.UnitID, Kind: in.Kind, Title: in.Title,
			Description: in.Description, DueOn: in.DueOn, AssigneeID: assignee, Priority: in.Priority,
			PartyID: in.PartyID, CaseID: in.CaseID, RequestID: in.RequestID, LeadID: in.LeadID}); err != nil {
			return err
		}
		if in.CaseID != "" {
			if err := s.addEvent(ctx, tx, actor, in.CaseID, Event{Action: EventElement,
				Detail: map[string]any{"kind": "task", "title": in.Title}}); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, tx, actor, "task.create", "task", id, in.PartyID,
			map[string]any{"title": in.Title, "due_on": in.DueOn, "assignee": in.AssigneeLogin, "case_id": in.CaseID,
				"request_id": in.RequestID, "lead_id": in.LeadID})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, actor, id)
}

// taskRow is a task as written: by hand or by a plan.
type taskRow struct {
	ID, UnitID, Kind, Title, Description, DueOn, AssigneeID, Priority string
	PartyID, CaseID, RequestID, ContactID, PlanRunID, MovesTo, LeadID string
	PlanStep                                                          *int
}

// insertTask writes an open task.
func (s *Store) insertTask(ctx context.Context, tx *db.Tx, actor *core.Actor, t taskRow) error {
	now := core.Millis(s.clock.Now())
	var step any
	if t.PlanStep != nil {
		step = *t.PlanStep
	}
	_, err := tx.Exec(ctx, `INSERT INTO tasks (id, unit_id, kind, title, description, due_on, assignee_id, priority,
		status, party_id, case_id, request_id, contact_id, plan_run_id, plan_step, moves_to, created_by, created_at,
		updated_at, lead_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.UnitID, cmp.Or(t.Kind, TaskTask), t.Title, t.Description, t.DueOn, db.NullIfEmpty(t.AssigneeID),
		cmp.Or(t.Priority, desk.PriorityLow), TaskOpen, db.NullIfEmpty(t.PartyID), db.NullIfEmpty(t.CaseID), db.NullIfEmpty(t.RequestID),
		db.NullIfEmpty(t.ContactID), db.NullIfEmpty(t.PlanRunID), step, t.MovesTo, db.NullIfEmpty(actor.AgentID), now, now, db.NullIfEmpty(t.LeadID))
	if err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	return nil
}

// assigneeFor checks that login is an active agent whose scope holds
// unitID and returns their id.
func (s *Store) assigneeFor(ctx context.Context, login, unitID string) (string, error) {
	a, err := s.orgs.AgentByLogin(ctx, login)
	if core.ErrorCode(err) == core.NotFound {
		return "", core.Fields{"assignee": core.Because("unknown_agent")}.Err()
	}
	if err != nil {
		return "", err
	}
	if !a.Active {
		return "", core.Fields{"assignee": core.Because("agent_deactivated")}.Err()
	}
	them, err := s.orgs.Actor(ctx, a.ID)
	if err != nil {
		return "", err
	}
	if !them.Scope.Contains(unitID) {
		return "", core.Fields{"assignee": core.Because("outside_scope")}.Err()
	}
	return a.ID, nil
}

// CompleteTask marks an open task done (one click). When the task says so
// its case moves to the next status, or its request does, in the same
// transaction; when it was its plan run's last open task, the run is
// done. A task done or cancelled already is a Conflict.
func (s *Store) CompleteTask(ctx context.Context, actor *core.Actor, id string) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		t, err := s.task(ctx, tx, actor.Scope, id)
		if err != nil {
			return err
		}
		now := core.Millis(s.clock.Now())
		if err := s.closeTask(ctx, tx, t, `status = 'done', completed_at = ?, completed_by = ?, updated_at = ?`,
			now, db.NullIfEmpty(actor.AgentID), now); err != nil {
			return err
		}
		if t.MovesTo != "" {
			if err := s.moveOn(ctx, tx, actor, t); err != nil {
				return err
			}
		}
		if err := s.finishRun(ctx, tx, t.PlanRunID); err != nil {
			return err
		}
		if err := s.tellTaskCompleted(ctx, tx, t, actor.AgentID, core.FromMillis(now)); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "task.complete", "task", id, t.PartyID,
			map[string]any{"title": t.Title, "moves_to": t.MovesTo})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, actor, id)
}

// closeTask ends an open task with the given SET clause; a task no longer
// open is a Conflict (its status is checked in the UPDATE itself, so two
// agents completing it at once cannot both succeed).
func (s *Store) closeTask(ctx context.Context, tx *db.Tx, t Task, set string, args ...any) error {
	res, err := tx.Exec(ctx, "UPDATE tasks SET "+set+" WHERE id = ? AND status = 'open'", append(args, t.ID)...)
	if err != nil {
		return fmt.Errorf("close task %s: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return core.Errorf(core.Conflict, "the task is already %s", t.Status)
	}
	return nil
}

// moveOn moves the task's case, or else its request, to the status the
// task names. The case or request is read whatever the actor's scope:
// the task is in it, and a plan may queue a case's task to another unit
// (a back office) whose agents do not see the case but move it on by
// completing their task.
func (s *Store) moveOn(ctx context.Context, tx *db.Tx, actor *core.Actor, t Task) error {
	mover := *actor
	mover.Scope = core.Scope{All: true}
	switch {
	case t.CaseID != "":
		h, err := headOf(ctx, tx, mover.Scope, t.CaseID)
		if err != nil {
			return err
		}
		if h.Status == t.MovesTo {
			return nil
		}
		return s.moveCase(ctx, tx, &mover, h, t.MovesTo, "task")
	case t.RequestID != "":
		return s.desk.SetStatusTx(ctx, tx, &mover, t.RequestID, t.MovesTo)
	}
	return nil
}

// finishRun marks a plan run done once none of its tasks is open.
func (s *Store) finishRun(ctx context.Context, tx *db.Tx, runID string) error {
	if runID == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE plan_runs SET status = 'done' WHERE id = ? AND status = 'running'
		AND NOT EXISTS (SELECT 1 FROM tasks WHERE plan_run_id = ? AND status = 'open')`, runID, runID)
	if err != nil {
		return fmt.Errorf("finish plan run %s: %w", runID, err)
	}
	return nil
}

// CancelTask cancels an open task; a task done or cancelled already is a
// Conflict.
func (s *Store) CancelTask(ctx context.Context, actor *core.Actor, id string) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		t, err := s.task(ctx, tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if err := s.closeTask(ctx, tx, t, "status = 'cancelled', updated_at = ?", core.Millis(s.clock.Now())); err != nil {
			return err
		}
		if err := s.finishRun(ctx, tx, t.PlanRunID); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "task.cancel", "task", id, t.PartyID, map[string]any{"title": t.Title})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, actor, id)
}

// UpdateTask reassigns an open task, changes its due date, priority or
// title. Requires case.manage.
func (s *Store) UpdateTask(ctx context.Context, actor *core.Actor, id string, p TaskPatch) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	f := core.Fields{}
	if p.Title != nil {
		v := strings.TrimSpace(*p.Title)
		p.Title = &v
		if v == "" {
			f.Add("title", core.RequiredUpTo(core.MaxSubject))
		}
		core.CheckText(f, "title", v, core.MaxSubject)
	}
	if p.DueOn != nil {
		checkDate(f, "due_on", *p.DueOn)
	}
	if p.Priority != nil && !slices.Contains(desk.Priorities, *p.Priority) {
		f.Add("priority", core.OneOf(desk.Priorities...))
	}
	if p.AssigneeLogin != nil {
		core.CheckText(f, "assignee", *p.AssigneeLogin, core.MaxCode)
	}
	if err := f.Err(); err != nil {
		return Task{}, err
	}
	t, err := s.Task(ctx, actor, id)
	if err != nil {
		return Task{}, err
	}
	if t.Status != TaskOpen {
		return Task{}, core.Errorf(core.Conflict, "the task is already %s", t.Status)
	}
	sets, args, changes := []string{}, []any{}, map[string][2]string{}
	change := func(col, key, old, v string, arg any) {
		if old != v {
			sets, args = append(sets, col+" = ?"), append(args, arg)
			changes[key] = [2]string{old, v}
		}
	}
	if p.AssigneeLogin != nil {
		oldLogin := ""
		if t.Assignee != nil {
			oldLogin = t.Assignee.Login
		}
		agentID := ""
		if *p.AssigneeLogin != "" && *p.AssigneeLogin != oldLogin {
			if agentID, err = s.assigneeFor(ctx, *p.AssigneeLogin, t.UnitID); err != nil {
				return Task{}, err
			}
		} else if t.Assignee != nil && *p.AssigneeLogin == oldLogin {
			agentID = t.Assignee.ID
		}
		change("assignee_id", "assignee", oldLogin, *p.AssigneeLogin, db.NullIfEmpty(agentID))
	}
	if p.DueOn != nil {
		change("due_on", "due_on", t.DueOn, *p.DueOn, *p.DueOn)
	}
	if p.Priority != nil {
		change("priority", "priority", t.Priority, *p.Priority, *p.Priority)
	}
	if p.Title != nil {
		change("title", "title", t.Title, *p.Title, *p.Title)
	}
	if len(sets) == 0 {
		return t, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		q := "UPDATE tasks SET " + strings.Join(sets, ", ") + ", updated_at = ? WHERE id = ? AND status = 'open'"
		res, err := tx.Exec(ctx, q, append(args, core.Millis(s.clock.Now()), id)...)
		if err != nil {
			return fmt.Errorf("update task %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return core.Errorf(core.Conflict, "the task is no longer open")
		}
		return s.log.Record(ctx, tx, actor, "task.update", "task", id, t.PartyID, changes)
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, actor, id)
}

// TakeTask gives a task waiting in its unit's queue to the actor. Taking
// one's own task again changes nothing; one assigned to someone else is a
// Conflict (a manager reassigns it with UpdateTask).
func (s *Store) TakeTask(ctx context.Context, actor *core.Actor, id string) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	if actor.AgentID == "" {
		return Task{}, core.Errorf(core.Forbidden, "only an agent takes a task")
	}
	t, err := s.Task(ctx, actor, id)
	if err != nil {
		return Task{}, err
	}
	switch {
	case t.Status != TaskOpen:
		return Task{}, core.Errorf(core.Conflict, "the task is already %s", t.Status)
	case t.Assignee != nil && t.Assignee.ID == actor.AgentID:
		return t, nil
	case t.Assignee != nil:
		return Task{}, core.Errorf(core.Conflict, "the task is already %s's", t.Assignee.Name)
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE tasks SET assignee_id = ?, updated_at = ? WHERE id = ? AND status = 'open'
			AND assignee_id IS NULL`, actor.AgentID, core.Millis(s.clock.Now()), id)
		if err != nil {
			return fmt.Errorf("take task %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return core.Errorf(core.Conflict, "someone took the task first")
		}
		return s.log.Record(ctx, tx, actor, "task.take", "task", id, t.PartyID, map[string]any{"title": t.Title})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, actor, id)
}

// checkDate adds a reason when v is not a date YYYY-MM-DD.
func checkDate(f core.Fields, field, v string) {
	if _, err := time.Parse(time.DateOnly, v); err != nil || len(v) != len(time.DateOnly) {
		f.Add(field, core.Because("date"))
	}
}
