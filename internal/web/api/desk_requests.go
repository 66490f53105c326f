package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

type requestListInput struct {
	View     string `query:"view" enum:"open,mine,unassigned,all," doc:"open: not closed; mine: assigned to the caller, not closed; unassigned: nobody's, not closed; all (the default)"`
	Channel  string `query:"channel" enum:"email,web_form,phone,chat,"`
	Status   string `query:"status" enum:"new,open,waiting,closed,"`
	Priority string `query:"priority" enum:"low,medium,high,"`
	Assignee string `query:"assignee" maxLength:"100" doc:"The assignee's login"`
	Unit     string `query:"unit" maxLength:"100" doc:"The unit's code: its requests, not its subunits'"`
	PartyID  string `query:"party_id" maxLength:"100"`
	Cursor   string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Limit    int    `query:"limit" minimum:"0" maximum:"200" doc:"Requests per page (50 by default)"`
}

// requestPage is a page of requests, newest first.
type requestPage struct {
	Requests   []requestJSON `json:"requests"`
	NextCursor string        `json:"next_cursor,omitempty" doc:"Absent on the last page"`
}

type requestListOutput struct{ Body requestPage }

type requestCreateInput struct {
	Body struct {
		Channel       string               `json:"channel" enum:"email,web_form,phone,chat"`
		Subject       string               `json:"subject" maxLength:"1000"`
		Body          string               `json:"body,omitempty" maxLength:"1000000" doc:"What the customer asked: the request's first message"`
		CustomerName  string               `json:"customer_name,omitempty" maxLength:"200"`
		CustomerEmail string               `json:"customer_email,omitempty" maxLength:"320" doc:"Replies go to it; links the party holding it in the unit's establishment when party_id is absent"`
		CustomerPhone string               `json:"customer_phone,omitempty" maxLength:"320"`
		PartyID       string               `json:"party_id,omitempty" maxLength:"100" doc:"A party in the caller's scope"`
		Priority      string               `json:"priority,omitempty" enum:"low,medium,high" doc:"low by default"`
		Reason        string               `json:"reason,omitempty" maxLength:"100" doc:"A code of the establishment's request reasons"`
		UnitCode      string               `json:"unit_code,omitempty" maxLength:"100" doc:"The caller's unit by default; must be in the caller's scope"`
		Attachments   []deskAttachmentJSON `json:"attachments,omitempty" maxItems:"50"`
	}
}

type requestOutput struct{ Body requestJSON }

type requestIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The request's ID"`
}

type requestDetailOutput struct{ Body requestDetailJSON }

type requestPatchInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The request's ID"`
	Body struct {
		Subject  *string `json:"subject,omitempty" maxLength:"1000"`
		Reason   *string `json:"reason,omitempty" maxLength:"100" doc:"A code of the establishment's request reasons; \"\" clears it"`
		Priority *string `json:"priority,omitempty" enum:"low,medium,high"`
		Status   *string `json:"status,omitempty" enum:"new,open,waiting,closed"`
		PartyID  *string `json:"party_id,omitempty" maxLength:"100" doc:"A party in the caller's scope; \"\" unlinks it"`
	}
}

type requestFileInput struct {
	FileID string `path:"file_id" maxLength:"100" doc:"The file's ID, from a message's files"`
}

func (h *handlers) registerDeskRequests(a huma.API) {
	tags := []string{"Desk"}
	huma.Register(a, huma.Operation{OperationID: "list-requests", Method: http.MethodGet, Path: "/requests", Tags: tags,
		Summary: "The requests of the units in the caller's scope, newest first. Requires request.read",
		Errors:  []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *requestListInput) (*requestListOutput, error) {
			f := desk.Filter{View: in.View, Channel: in.Channel, Status: in.Status, Priority: in.Priority,
				PartyID: in.PartyID, Cursor: in.Cursor, Limit: in.Limit}
			var err error
			if f.AssigneeID, err = h.agentID(ctx, "assignee", in.Assignee); err != nil {
				return nil, h.fail(ctx, err)
			}
			if f.UnitID, err = h.unitID(ctx, "unit", in.Unit); err != nil {
				return nil, h.fail(ctx, err)
			}
			page, err := h.Desk.List(ctx, actorOf(ctx), f)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &requestListOutput{Body: requestPage{Requests: make([]requestJSON, 0, len(page.Requests)), NextCursor: page.Next}}
			now := h.Clock.Now()
			for _, r := range page.Requests {
				out.Body.Requests = append(out.Body.Requests, toRequestJSON(r, now))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-request", Method: http.MethodPost, Path: "/requests", Tags: tags,
		Summary: "Record a request of any channel (a call, a chat, a form) with its first message. Requires request.reply",
		Description: "The request is new, unassigned, in unit_code (the caller's unit by default), with its due times " +
			"from the unit's targets. Audited.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: maxDeskBody,
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *requestCreateInput) (*requestOutput, error) {
			b := in.Body
			unitID, err := h.unitID(ctx, "unit_code", b.UnitCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			files, err := uploadsOf(b.Attachments)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			r, err := h.Desk.Create(ctx, actorOf(ctx), desk.NewRequest{UnitID: unitID, Channel: b.Channel, Subject: b.Subject,
				Body: b.Body, CustomerName: b.CustomerName, CustomerEmail: b.CustomerEmail, CustomerPhone: b.CustomerPhone,
				PartyID: b.PartyID, Priority: b.Priority, Reason: b.Reason, Files: files})
			if err != nil {
				return nil, h.fail(ctx, asSent(err))
			}
			return &requestOutput{Body: toRequestJSON(r, h.Clock.Now())}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-request", Method: http.MethodGet, Path: "/requests/{id}", Tags: tags,
		Summary: "A request with its thread: messages (notes and solicitation mail included) with their files, " +
			"changes, solicitations. A consultation, written to the audit log. Requires request.read; 404 out of scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *requestIDInput) (*requestDetailOutput, error) {
			actor := actorOf(ctx)
			r, err := h.Desk.Get(ctx, actor, in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			t, err := h.Desk.Thread(ctx, actor, in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			if err := h.Desk.Viewed(ctx, actor, r); err != nil {
				return nil, h.fail(ctx, err)
			}
			return &requestDetailOutput{Body: toDetailJSON(r, t, h.Clock.Now())}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-request", Method: http.MethodPatch, Path: "/requests/{id}", Tags: tags,
		Summary: "Qualify a request: subject, reason, priority, status, linked party; absent fields stay. " +
			"Each change is in the request's history and audited. Requires request.reply",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *requestPatchInput) (*requestOutput, error) {
			b := in.Body
			r, err := h.Desk.Update(ctx, actorOf(ctx), in.ID, desk.Patch{Subject: b.Subject, Reason: b.Reason,
				Priority: b.Priority, Status: b.Status, PartyID: b.PartyID})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &requestOutput{Body: toRequestJSON(r, h.Clock.Now())}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-request-file", Method: http.MethodGet, Path: "/requests/files/{file_id}",
		Tags: tags, Summary: "Download a file of a request's message (written to the audit log). Requires request.read; 404 out of scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *requestFileInput) (*attachmentOutput, error) {
			f, data, err := h.Desk.File(ctx, actorOf(ctx), in.FileID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &attachmentOutput{ContentType: f.ContentType, ContentDisposition: httpx.Disposition(f.Name),
				ContentLength: strconv.Itoa(len(data)), NoSniff: "nosniff", CacheControl: "private, no-store", Body: data}, nil
		})
	// huma describes a []byte body as base64 JSON; the file is sent as is.
	a.OpenAPI().Paths["/requests/files/{file_id}"].Get.Responses["200"].Content =
		map[string]*huma.MediaType{"*/*": {Schema: &huma.Schema{Type: "string", Format: "binary",
			Description: "The file, with its stored type as Content-Type"}}}
}

// unitID returns the ID of the unit of code ("" for none), or a refusal
// naming field.
func (h *handlers) unitID(ctx context.Context, field, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	if why, bad := core.TextProblem(code, core.MaxCode); bad {
		return "", core.Fields{field: why}.Err()
	}
	u, err := h.Orgs.UnitByCode(ctx, code)
	if err != nil && core.ErrorCode(err) == core.NotFound {
		return "", core.Fields{field: core.Because("unknown_unit")}.Err()
	}
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// agentID returns the ID of the agent of login ("" for none), or a
// refusal naming field.
func (h *handlers) agentID(ctx context.Context, field, login string) (string, error) {
	if login == "" {
		return "", nil
	}
	if why, bad := core.TextProblem(login, core.MaxCode); bad {
		return "", core.Fields{field: why}.Err()
	}
	a, err := h.Orgs.AgentByLogin(ctx, login)
	if err != nil && core.ErrorCode(err) == core.NotFound {
		return "", core.Fields{field: core.Because("unknown_agent")}.Err()
	}
	if err != nil {
		return "", err
	}
	return a.ID, nil
}
