package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/cases"
)

type taskListInput struct {
	Assignee  string `query:"assignee" maxLength:"100" doc:"The assignee's login"`
	Queue     string `query:"queue" maxLength:"100" doc:"A unit's code: the tasks waiting in its queue (nobody's)"`
	Due       string `query:"due" enum:"today,overdue,week," doc:"Open tasks due today, before today, or from today to Sunday, in the caller's time zone"`
	Status    string `query:"status" enum:"open,done,cancelled,"`
	PartyID   string `query:"party_id" maxLength:"100"`
	CaseID    string `query:"case_id" maxLength:"100"`
	RequestID string `query:"request_id" maxLength:"100"`
	Unit      string `query:"unit" maxLength:"100" doc:"The unit's code: its tasks, not its subunits'"`
	Cursor    string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Limit     int    `query:"limit" minimum:"0" maximum:"200" doc:"Tasks per page (50 by default)"`
}

// taskPage is a page of tasks, soonest due first.
type taskPage struct {
	Tasks      []taskJSON `json:"tasks"`
	NextCursor string     `json:"next_cursor,omitempty" doc:"Absent on the last page"`
}

type taskListOutput struct{ Body taskPage }

type taskCreateInput struct {
	Body struct {
		Kind        string `json:"kind,omitempty" enum:"task,call,meeting," doc:"task by default"`
		Title       string `json:"title" maxLength:"1000"`
		Description string `json:"description,omitempty" maxLength:"10000"`
		DueOn       string `json:"due_on" maxLength:"100" doc:"YYYY-MM-DD"`
		Assignee    string `json:"assignee,omitempty" maxLength:"100" doc:"An active agent's login whose scope holds the task's unit; absent puts it in the unit's queue"`
		Priority    string `json:"priority,omitempty" enum:"low,medium,high," doc:"low by default"`
		PartyID     string `json:"party_id,omitempty" maxLength:"100" doc:"The case's or request's party by default"`
		CaseID      string `json:"case_id,omitempty" maxLength:"100" doc:"The case it belongs to, in the caller's scope"`
		RequestID   string `json:"request_id,omitempty" maxLength:"100" doc:"The desk request it belongs to, in the caller's scope"`
		UnitCode    string `json:"unit_code,omitempty" maxLength:"100" doc:"The case's or request's unit by default, else the caller's"`
		LeadID      string `json:"lead_id,omitempty" maxLength:"100" doc:"The lead it answers, in the caller's scope: once done, the task is an activity on it (its response when the first)"`
	}
}

type taskOutput struct{ Body taskJSON }

type taskIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The task's ID"`
}

type taskPatchInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The task's ID"`
	Body struct {
		Assignee *string `json:"assignee,omitempty" maxLength:"100" doc:"An agent's login; \"\" puts it back in its unit's queue"`
		DueOn    *string `json:"due_on,omitempty" maxLength:"100" doc:"YYYY-MM-DD"`
		Priority *string `json:"priority,omitempty" enum:"low,medium,high"`
		Title    *string `json:"title,omitempty" maxLength:"1000"`
	}
}

type planLaunchInput struct {
	Code string `path:"code" maxLength:"100" doc:"The action plan's code, of the target's establishment"`
	Body struct {
		CaseID    string `json:"case_id,omitempty" maxLength:"100"`
		ContactID string `json:"contact_id,omitempty" maxLength:"100"`
		RequestID string `json:"request_id,omitempty" maxLength:"100"`
	}
}

// planRunJSON is one launch of an action plan and its tasks.
type planRunJSON struct {
	ID     string     `json:"id"`
	Plan   string     `json:"plan" doc:"The plan's code"`
	Status string     `json:"status" enum:"running,done,cancelled"`
	Tasks  []taskJSON `json:"tasks"`
}

func toPlanRunJSON(r cases.PlanRun) planRunJSON {
	out := planRunJSON{ID: r.ID, Plan: r.Plan, Status: r.Status, Tasks: make([]taskJSON, 0, len(r.Tasks))}
	for _, t := range r.Tasks {
		out.Tasks = append(out.Tasks, toTaskJSON(t))
	}
	return out
}

type planRunOutput struct{ Body planRunJSON }

type planRunIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The plan run's ID"`
}

func (h *handlers) registerTasks(a huma.API) {
	tags := []string{"Tasks"}
	writeErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/tasks", Tags: tags,
		Summary: "The tasks of the units in the caller's scope, soonest due first. Requires case.manage",
		Errors:  []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *taskListInput) (*taskListOutput, error) {
			f := cases.TaskFilter{Due: in.Due, Status: in.Status, PartyID: in.PartyID, CaseID: in.CaseID,
				RequestID: in.RequestID, Cursor: in.Cursor, Limit: in.Limit}
			var err error
			if f.AssigneeID, err = h.agentID(ctx, "assignee", in.Assignee); err != nil {
				return nil, h.fail(ctx, err)
			}
			if f.QueueUnitID, err = h.unitID(ctx, "queue", in.Queue); err != nil {
				return nil, h.fail(ctx, err)
			}
			if f.UnitID, err = h.unitID(ctx, "unit", in.Unit); err != nil {
				return nil, h.fail(ctx, err)
			}
			page, err := h.Cases.Tasks(ctx, actorOf(ctx), f)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &taskListOutput{Body: taskPage{Tasks: make([]taskJSON, 0, len(page.Tasks)), NextCursor: page.Next}}
			for _, t := range page.Tasks {
				out.Body.Tasks = append(out.Body.Tasks, toTaskJSON(t))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: "/tasks", Tags: tags,
		Summary:       "Write a manual task for an agent or a unit's queue, on a party, a case or a request. Audited. Requires case.manage",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *taskCreateInput) (*taskOutput, error) {
			b := in.Body
			unitID, err := h.unitID(ctx, "unit_code", b.UnitCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			t, err := h.Cases.CreateTask(ctx, actorOf(ctx), cases.NewTask{UnitID: unitID, Kind: b.Kind, Title: b.Title,
				Description: b.Description, DueOn: b.DueOn, AssigneeLogin: b.Assignee, Queue: b.Assignee == "",
				Priority: b.Priority, PartyID: b.PartyID, CaseID: b.CaseID, RequestID: b.RequestID, LeadID: b.LeadID})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &taskOutput{Body: toTaskJSON(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: "/tasks/{id}", Tags: tags,
		Summary: "A task. Requires case.manage; 404 out of scope", Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
			t, err := h.Cases.Task(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &taskOutput{Body: toTaskJSON(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: "/tasks/{id}", Tags: tags,
		Summary: "Reassign an open task, change its due date, priority or title; absent fields stay. Audited. Requires case.manage",
		Errors:  append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *taskPatchInput) (*taskOutput, error) {
			b := in.Body
			t, err := h.Cases.UpdateTask(ctx, actorOf(ctx), in.ID, cases.TaskPatch{AssigneeLogin: b.Assignee, DueOn: b.DueOn,
				Priority: b.Priority, Title: b.Title})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &taskOutput{Body: toTaskJSON(t)}, nil
		})
	for _, op := range []struct {
		id, verb, summary string
	}{
		{"complete-task", "complete", "Mark an open task done; when its plan says so, its case or request moves to the " +
			"next status in the same transaction. 409 for a task no longer open. Audited. Requires case.manage"},
		{"take-task", "take", "Take a task waiting in its unit's queue; taking one's own again changes nothing, one " +
			"assigned to someone else is a 409. Audited. Requires case.manage"},
		{"cancel-task", "cancel", "Cancel an open task; 409 for a task no longer open. Audited. Requires case.manage"},
	} {
		verb := op.verb
		huma.Register(a, huma.Operation{OperationID: op.id, Method: http.MethodPost, Path: "/tasks/{id}/" + verb, Tags: tags,
			Summary: op.summary, Errors: append(writeErrors, http.StatusConflict)},
			func(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
				actor := actorOf(ctx)
				var t cases.Task
				var err error
				switch verb {
				case "complete":
					t, err = h.Cases.CompleteTask(ctx, actor, in.ID)
				case "take":
					t, err = h.Cases.TakeTask(ctx, actor, in.ID)
				default:
					t, err = h.Cases.CancelTask(ctx, actor, in.ID)
				}
				if err != nil {
					return nil, h.fail(ctx, err)
				}
				return &taskOutput{Body: toTaskJSON(t)}, nil
			})
	}
	huma.Register(a, huma.Operation{OperationID: "launch-action-plan", Method: http.MethodPost, Path: "/action-plans/{code}/launch",
		Tags: tags, Summary: "Launch an action plan on exactly one of a case, a contact or a request: one task per step, " +
			"due its day in business days of the target unit's calendar (closing days and holidays skipped). Audited. " +
			"Requires case.manage",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *planLaunchInput) (*planRunOutput, error) {
			b := in.Body
			r, err := h.Cases.LaunchPlan(ctx, actorOf(ctx), in.Code, cases.PlanTarget{CaseID: b.CaseID, ContactID: b.ContactID,
				RequestID: b.RequestID})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &planRunOutput{Body: toPlanRunJSON(r)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "cancel-plan-run", Method: http.MethodPost, Path: "/plan-runs/{id}/cancel",
		Tags: tags, Summary: "Cancel a running plan run and its open tasks; 409 for one no longer running. Audited. Requires case.manage",
		Errors: append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *planRunIDInput) (*planRunOutput, error) {
			r, err := h.Cases.CancelPlanRun(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &planRunOutput{Body: toPlanRunJSON(r)}, nil
		})
}
