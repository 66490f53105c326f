package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/leads"
)

type leadActivityInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The lead's ID"`
	Body struct {
		Kind        string     `json:"kind" enum:"email,call,mailing,appointment,task,sms"`
		CompletedAt *time.Time `json:"completed_at,omitempty" doc:"When it was done (RFC 3339); now by default; not before the lead's receipt nor in the future"`
		Automatic   bool       `json:"automatic,omitempty" doc:"An automatic reply, an appointment confirmation, an automated SMS: kept, never the response"`
	}
}

// leadAnswerJSON is a lead's response after an activity.
type leadAnswerJSON struct {
	ID              string     `json:"id"`
	Status          string     `json:"status" enum:"new,assigned,answered,closed"`
	ClockStartAt    time.Time  `json:"clock_start_at" doc:"Receipt, or the unit's next opening when it arrived outside business hours"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	ResponseMinutes *int64     `json:"response_minutes" doc:"Business minutes from clock_start_at to first_response_at"`
	ResponseKind    string     `json:"response_kind"`
}

// leadActivityJSON is an activity recorded on a lead.
type leadActivityJSON struct {
	ID          string    `json:"id"`
	LeadID      string    `json:"lead_id"`
	Kind        string    `json:"kind" enum:"email,call,mailing,appointment,task,sms"`
	Automatic   bool      `json:"automatic"`
	Origin      string    `json:"origin" enum:"api,desk,history,task,manual" doc:"Where it was recorded from"`
	RefID       string    `json:"ref_id" doc:"The desk message, interaction or task it comes from"`
	Agent       *string   `json:"agent" doc:"The agent's login; null when no agent did it"`
	CompletedAt time.Time `json:"completed_at"`
}

func toLeadActivityJSON(a leads.Activity) leadActivityJSON {
	out := leadActivityJSON{ID: a.ID, LeadID: a.LeadID, Kind: a.Kind, Automatic: a.Automatic, Origin: a.Origin,
		RefID: a.RefID, CompletedAt: a.CompletedAt}
	if a.Agent != nil {
		out.Agent = &a.Agent.Login
	}
	return out
}

type leadActivityOutput struct {
	Body struct {
		Activity leadActivityJSON `json:"activity"`
		Lead     leadAnswerJSON   `json:"lead"`
	}
}

type leadActivitiesInput struct {
	ID string `path:"id" maxLength:"100" doc:"The lead's ID"`
}

type leadActivitiesOutput struct {
	Body struct {
		Activities []leadActivityJSON `json:"activities"`
	}
}

func (h *handlers) registerLeadActivities(a huma.API) {
	tags := []string{"Leads"}
	huma.Register(a, huma.Operation{OperationID: "record-lead-activity", Method: http.MethodPost, Path: "/leads/{id}/activities",
		Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Record a completed activity on a lead: the first one not automatic is its response, " +
			"timed in the unit's business minutes; an earlier one recorded later takes its place. Requires lead.work, the lead in scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadActivityInput) (*leadActivityOutput, error) {
			act, l, err := h.Leads.RecordActivity(ctx, actorOf(ctx), in.ID, leads.ActivityInput{Kind: in.Body.Kind,
				CompletedAt: in.Body.CompletedAt, Automatic: in.Body.Automatic})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &leadActivityOutput{}
			out.Body.Activity = toLeadActivityJSON(act)
			out.Body.Lead = leadAnswerJSON{ID: l.ID, Status: l.Status, ClockStartAt: l.ClockStartAt,
				FirstResponseAt: l.FirstResponseAt, ResponseMinutes: l.ResponseMinutes, ResponseKind: l.ResponseKind}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-lead-activities", Method: http.MethodGet, Path: "/leads/{id}/activities",
		Tags: tags, Summary: "The activities recorded on a lead, oldest first (desk replies, tasks, calls and meetings " +
			"of the history, and those recorded here). Requires lead.work, the lead in scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *leadActivitiesInput) (*leadActivitiesOutput, error) {
			acts, err := h.Leads.Activities(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &leadActivitiesOutput{}
			out.Body.Activities = make([]leadActivityJSON, 0, len(acts))
			for _, a := range acts {
				out.Body.Activities = append(out.Body.Activities, toLeadActivityJSON(a))
			}
			return out, nil
		})
}
