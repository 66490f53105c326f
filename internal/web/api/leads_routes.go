package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/leads"
)

type leadCreateInput struct {
	Body struct {
		Source      string     `json:"source" maxLength:"100" doc:"Where the lead comes from (manufacturer site, comparator, branch…): routes it and keys it"`
		SourceGroup string     `json:"source_group,omitempty" maxLength:"100" doc:"A group of sources, for the report"`
		ExternalID  string     `json:"external_id" maxLength:"200" doc:"The sender's own id: the same source and external_id again answers 200 with the stored lead"`
		ReceivedAt  *time.Time `json:"received_at,omitempty" doc:"When the prospect asked; now by default; not in the future (5 minutes of drift allowed), not before 2000"`
		FirstName   string     `json:"first_name,omitempty" maxLength:"200"`
		LastName    string     `json:"last_name" maxLength:"200"`
		Email       string     `json:"email,omitempty" maxLength:"320" doc:"An email or a phone is required; matched to a party of the establishment"`
		Phone       string     `json:"phone,omitempty" maxLength:"320" doc:"National (French) or international; matched on its E.164 form"`
		PostalCode  string     `json:"postal_code,omitempty" maxLength:"20"`
		Product     string     `json:"product,omitempty" maxLength:"100"`
		Message     string     `json:"message,omitempty" maxLength:"10000"`
		UnitCode    string     `json:"unit_code,omitempty" maxLength:"100" doc:"A unit of the establishment, used when no distribution rule matches"`
	}
}

type leadCreateOutput struct {
	Status int
	Body   leadCreatedJSON
}

type leadIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The lead's ID"`
}

type leadOutput struct{ Body leadJSON }

type leadListInput struct {
	Assignee   string `query:"assignee" maxLength:"100" doc:"The login of the agent the leads are assigned to"`
	Unassigned bool   `query:"unassigned" doc:"Only the leads waiting for an agent"`
	Status     string `query:"status" enum:"new,assigned,answered,closed" doc:"new: waiting for an available agent"`
	Unit       string `query:"unit" maxLength:"100" doc:"The unit's code: its leads, not its subunits'"`
	PartyID    string `query:"party_id" maxLength:"100"`
	Cursor     string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Limit      int    `query:"limit" minimum:"0" maximum:"200" doc:"Leads per page (50 by default)"`
}

// leadPage is a page of leads, newest received first.
type leadPage struct {
	Leads      []leadJSON `json:"leads"`
	NextCursor string     `json:"next_cursor,omitempty" doc:"Absent on the last page"`
}

type leadListOutput struct{ Body leadPage }

type leadAssignInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The lead's ID"`
	Body struct {
		Agent string `json:"agent" maxLength:"100" doc:"The login of an active agent holding lead.work, with the lead's unit in their scope"`
	}
}

func (h *handlers) registerLeads(a huma.API) {
	tags := []string{"Leads"}
	huma.Register(a, huma.Operation{OperationID: "create-lead", Method: http.MethodPost, Path: "/leads", Tags: tags,
		Summary: "Receive a lead: matched to a party of the caller's establishment by email, else phone, else a prospect is created; " +
			"routed by the establishment's rules (first match), else to unit_code, else to the establishment; assigned by round-robin " +
			"to an available agent of that unit (active, holding lead.work, not absent, the unit open), who is alerted; 201, or 200 " +
			"with the stored lead for the same source and external_id. Audited. Requires lead.work",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadCreateInput) (*leadCreateOutput, error) {
			b := in.Body
			l, created, err := h.Leads.Create(ctx, actorOf(ctx), leads.Input{Source: b.Source, SourceGroup: b.SourceGroup,
				ExternalID: b.ExternalID, ReceivedAt: b.ReceivedAt, FirstName: b.FirstName, LastName: b.LastName,
				Email: b.Email, Phone: b.Phone, PostalCode: b.PostalCode, Product: b.Product, Message: b.Message,
				UnitCode: b.UnitCode})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return &leadCreateOutput{Status: status, Body: leadCreatedJSON{ID: l.ID, PartyID: l.PartyID,
				Assignee: leadAgent(l.Assignee), Rule: l.RouteName()}}, nil
		})
	// The same source and external_id again answers 200 with the same body.
	create := a.OpenAPI().Paths["/leads"].Post
	create.Responses["200"] = &huma.Response{Description: "The lead already stored with this source and external_id",
		Content: create.Responses["201"].Content}

	huma.Register(a, huma.Operation{OperationID: "list-leads", Method: http.MethodGet, Path: "/leads", Tags: tags,
		Summary: "The leads of the units in the caller's scope, newest received first. Requires lead.work",
		Errors:  []int{http.StatusBadRequest, http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadListInput) (*leadListOutput, error) {
			page, err := h.Leads.List(ctx, actorOf(ctx), leads.Filter{AssigneeLogin: in.Assignee, Unassigned: in.Unassigned,
				Status: in.Status, UnitCode: in.Unit, PartyID: in.PartyID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &leadListOutput{Body: leadPage{Leads: make([]leadJSON, 0, len(page.Leads)), NextCursor: page.Next}}
			for _, l := range page.Leads {
				out.Body.Leads = append(out.Body.Leads, toLeadJSON(l))
			}
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "get-lead", Method: http.MethodGet, Path: "/leads/{id}", Tags: tags,
		Summary: "A lead of a unit in the caller's scope (404 outside it). Requires lead.work",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *leadIDInput) (*leadOutput, error) {
			l, err := h.Leads.Get(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &leadOutput{Body: toLeadJSON(l)}, nil
		})

	huma.Register(a, huma.Operation{OperationID: "assign-lead", Method: http.MethodPost, Path: "/leads/{id}/assign", Tags: tags,
		Summary: "Reassign a lead of the caller's scope to an active agent holding lead.work whose scope holds its unit; the new " +
			"agent is alerted; the agent who has it already: nothing changes. Audited. Requires lead.assign",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadAssignInput) (*leadOutput, error) {
			l, err := h.Leads.Assign(ctx, actorOf(ctx), in.ID, in.Body.Agent)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &leadOutput{Body: toLeadJSON(l)}, nil
		})
}
