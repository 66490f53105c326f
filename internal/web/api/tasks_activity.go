package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/cases"
)

type activityInput struct {
	Agent string `query:"agent" maxLength:"100" doc:"An agent's login: the caller by default; another agent's needs request.assign and their unit in scope"`
	Unit  string `query:"unit" maxLength:"100" doc:"A unit's code: its agents' tasks, its queue and its requests (request.assign); instead of agent"`
}

// activityJSON is an agent's (or a unit's) "what do I do today".
type activityJSON struct {
	Agent         *byAgentJSON  `json:"agent" doc:"null for a unit's list"`
	Overdue       []taskJSON    `json:"overdue" doc:"Open tasks due before today, in the caller's time zone; at most 100"`
	Today         []taskJSON    `json:"today"`
	Week          []taskJSON    `json:"week" doc:"Due after today, to Sunday"`
	Requests      []requestJSON `json:"requests" doc:"Desk requests assigned and not closed; empty without request.read"`
	OverdueCount  int           `json:"overdue_count" doc:"Counted up to 1,000"`
	TodayCount    int           `json:"today_count"`
	WeekCount     int           `json:"week_count"`
	RequestsCount int           `json:"requests_count"`
}

type activityOutput struct{ Body activityJSON }

func (h *handlers) registerActivity(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "get-activity", Method: http.MethodGet, Path: "/activity", Tags: []string{"Tasks"},
		Summary: "The activity list: open tasks overdue, due today and later this week, and the requests assigned. " +
			"The caller's own by default; an agent's or a unit's for a manager (request.assign). Requires case.manage",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *activityInput) (*activityOutput, error) {
			actor := actorOf(ctx)
			var act cases.Activity
			unitID, err := h.unitID(ctx, "unit", in.Unit)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			if unitID != "" {
				act, err = h.Cases.UnitActivity(ctx, actor, unitID)
			} else {
				var agentID string
				if agentID, err = h.agentID(ctx, "agent", in.Agent); err != nil {
					return nil, h.fail(ctx, err)
				}
				act, err = h.Cases.Activity(ctx, actor, agentID)
			}
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			now := h.Clock.Now()
			out := &activityOutput{Body: activityJSON{Overdue: tasksJSON(act.Overdue), Today: tasksJSON(act.Today),
				Week: tasksJSON(act.Week), Requests: make([]requestJSON, 0, len(act.Requests)), OverdueCount: act.OverdueCount,
				TodayCount: act.TodayCount, WeekCount: act.WeekCount, RequestsCount: act.RequestsCount}}
			if act.Agent.Login != "" {
				out.Body.Agent = &byAgentJSON{Login: act.Agent.Login, Name: act.Agent.Name}
			}
			for _, r := range act.Requests {
				out.Body.Requests = append(out.Body.Requests, toRequestJSON(r, now))
			}
			return out, nil
		})
}

func tasksJSON(in []cases.Task) []taskJSON {
	out := make([]taskJSON, 0, len(in))
	for _, t := range in {
		out = append(out, toTaskJSON(t))
	}
	return out
}
