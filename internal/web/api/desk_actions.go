package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/desk"
)

// draftBody is what an agent writes in a request: a reply, a note.
type draftBody struct {
	Body        string               `json:"body" maxLength:"1000000" doc:"HTML allowed (sanitised) or plain text; required unless files are attached"`
	Subject     string               `json:"subject,omitempty" maxLength:"1000" doc:"\"Re: \" and the request's subject by default"`
	Attachments []deskAttachmentJSON `json:"attachments,omitempty" maxItems:"50"`
	SeenLast    string               `json:"seen_last,omitempty" maxLength:"100" doc:"The ID of the last message the writer had seen: a reply another agent sent since is refused with 409"`
	Force       bool                 `json:"force,omitempty" doc:"Send even if another agent replied since seen_last"`
}

func (b draftBody) draft() (desk.Draft, error) {
	files, err := uploadsOf(b.Attachments)
	return desk.Draft{Body: b.Body, Subject: b.Subject, Files: files, SeenLast: b.SeenLast, Force: b.Force}, err
}

type replyInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The request's ID"`
	Body draftBody
}

// queuedJSON is a message stored to be sent by a background job.
type queuedJSON struct {
	MessageID string `json:"message_id"`
	Status    string `json:"status" enum:"queued,sending,sent,failed,bounced" doc:"queued: a job sends it; its status then shows on the message"`
}

type queuedOutput struct{ Body queuedJSON }

type noteInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The request's ID"`
	Body struct {
		Body        string               `json:"body" maxLength:"1000000" doc:"HTML allowed (sanitised) or plain text"`
		Attachments []deskAttachmentJSON `json:"attachments,omitempty" maxItems:"50"`
	}
}

type messageOutput struct{ Body deskMessageJSON }

type assignInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The request's ID"`
	Body struct {
		Agent *string `json:"agent" maxLength:"100" doc:"The login of the agent to give it to; null (or \"\") gives it to nobody"`
	}
}

type readOutput struct {
	Body struct {
		WasUnread bool `json:"was_unread" doc:"Whether it had inbound messages nobody had read"`
	}
}

type solicitInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The request's ID"`
	Body struct {
		To          string               `json:"to" maxLength:"320" doc:"The outside person's or service's email address"`
		Subject     string               `json:"subject,omitempty" maxLength:"1000" doc:"The request's subject by default"`
		Body        string               `json:"body" maxLength:"1000000" doc:"HTML allowed (sanitised) or plain text"`
		Attachments []deskAttachmentJSON `json:"attachments,omitempty" maxItems:"50"`
	}
}

type solicitOutput struct {
	Body struct {
		SolicitationID string `json:"solicitation_id"`
		MessageID      string `json:"message_id"`
		Status         string `json:"status" enum:"queued,sending,sent,failed,bounced"`
	}
}

type solicitationReplyInput struct {
	ID             string `path:"id" maxLength:"100" doc:"The request's ID"`
	SolicitationID string `path:"sid" maxLength:"100" doc:"The solicitation's ID"`
	Body           struct {
		Body        string               `json:"body" maxLength:"1000000" doc:"HTML allowed (sanitised) or plain text"`
		Subject     string               `json:"subject,omitempty" maxLength:"1000" doc:"\"Re: \" and the thread's last subject by default"`
		Attachments []deskAttachmentJSON `json:"attachments,omitempty" maxItems:"50"`
		SeenLast    string               `json:"seen_last,omitempty" maxLength:"100" doc:"As for a reply, within the solicitation's thread"`
		Force       bool                 `json:"force,omitempty"`
	}
}

type retryInput struct {
	MessageID string `path:"message_id" maxLength:"100" doc:"The outbound message's ID"`
}

type recipientsInput struct {
	Q     string `query:"q" maxLength:"200" doc:"Part of the address"`
	Limit int    `query:"limit" minimum:"0" maximum:"50" doc:"10 by default"`
}

type recipientJSON struct {
	Email string `json:"email"`
	Count int    `json:"count" doc:"How many solicitations were sent to it"`
}

type recipientsOutput struct{ Body []recipientJSON }

func (h *handlers) registerDeskActions(a huma.API) {
	tags := []string{"Desk"}
	writeErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "reply-request", Method: http.MethodPost, Path: "/requests/{id}/replies", Tags: tags,
		Summary: "Reply to the request's customer by email: stored as queued and sent by a job. Requires request.reply",
		Description: "A new request becomes open and the first reply meets the first-response target. 409 with the " +
			"other agent's name when someone else replied after seen_last (send again with force to send anyway). " +
			"The mailbox of the request (or of its unit, or the nearest above) sends it. Audited.",
		DefaultStatus: http.StatusAccepted, MaxBodyBytes: maxDeskBody, Errors: append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *replyInput) (*queuedOutput, error) {
			d, err := in.Body.draft()
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			m, err := h.Desk.Reply(ctx, actorOf(ctx), in.ID, d)
			if err != nil {
				return nil, h.fail(ctx, asSent(err))
			}
			return &queuedOutput{Body: queuedJSON{MessageID: m.ID, Status: m.Status}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "note-request", Method: http.MethodPost, Path: "/requests/{id}/notes", Tags: tags,
		Summary:       "Add an internal note: agents see it in the request's thread; it is never sent. Requires request.reply",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: maxDeskBody, Errors: writeErrors},
		func(ctx context.Context, in *noteInput) (*messageOutput, error) {
			files, err := uploadsOf(in.Body.Attachments)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			m, err := h.Desk.Note(ctx, actorOf(ctx), in.ID, desk.Draft{Body: in.Body.Body, Files: files})
			if err != nil {
				return nil, h.fail(ctx, asSent(err))
			}
			return &messageOutput{Body: toMessageJSON(m)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "assign-request", Method: http.MethodPost, Path: "/requests/{id}/assign", Tags: tags,
		Summary: "Give the request to an agent, or to nobody. Taking it oneself or letting one's own go requires " +
			"request.reply; giving it to another agent requires request.assign, and that agent must work in the request's unit's tree",
		Errors: writeErrors},
		func(ctx context.Context, in *assignInput) (*requestOutput, error) {
			login := ""
			if in.Body.Agent != nil {
				login = *in.Body.Agent
			}
			r, err := h.Desk.Assign(ctx, actorOf(ctx), in.ID, login)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &requestOutput{Body: toRequestJSON(r, h.Clock.Now())}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "read-request", Method: http.MethodPost, Path: "/requests/{id}/read", Tags: tags,
		Summary: "Mark the request's inbound messages read (the desk asks once an agent has had it open 3 seconds). Requires request.read",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *requestIDInput) (*readOutput, error) {
			was, err := h.Desk.MarkRead(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &readOutput{}
			out.Body.WasUnread = was
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "solicit-request", Method: http.MethodPost, Path: "/requests/{id}/solicitations", Tags: tags,
		Summary: "Write to an outside person or service about the request: a new solicitation thread whose replies " +
			"come back to the request. The mail is queued and sent by a job. Requires request.reply",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: maxDeskBody, Errors: writeErrors},
		func(ctx context.Context, in *solicitInput) (*solicitOutput, error) {
			files, err := uploadsOf(in.Body.Attachments)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			so, m, err := h.Desk.Solicit(ctx, actorOf(ctx), in.ID, desk.Draft{To: in.Body.To, Subject: in.Body.Subject,
				Body: in.Body.Body, Files: files})
			if err != nil {
				return nil, h.fail(ctx, asSent(err))
			}
			out := &solicitOutput{}
			out.Body.SolicitationID, out.Body.MessageID, out.Body.Status = so.ID, m.ID, m.Status
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "reply-solicitation", Method: http.MethodPost,
		Path: "/requests/{id}/solicitations/{sid}/replies", Tags: tags,
		Summary:       "Write again in a solicitation thread, to its recipient (which cannot change); queued. Requires request.reply",
		DefaultStatus: http.StatusAccepted, MaxBodyBytes: maxDeskBody, Errors: append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *solicitationReplyInput) (*queuedOutput, error) {
			b := in.Body
			files, err := uploadsOf(b.Attachments)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			m, err := h.Desk.ReplySolicitation(ctx, actorOf(ctx), in.ID, in.SolicitationID, desk.Draft{Body: b.Body,
				Subject: b.Subject, Files: files, SeenLast: b.SeenLast, Force: b.Force})
			if err != nil {
				return nil, h.fail(ctx, asSent(err))
			}
			return &queuedOutput{Body: queuedJSON{MessageID: m.ID, Status: m.Status}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "retry-request-message", Method: http.MethodPost,
		Path: "/requests/messages/{message_id}/retry", Tags: tags,
		Summary:       "Queue a failed or bounced outbound message again; 409 for one in another state. Requires request.reply",
		DefaultStatus: http.StatusAccepted, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict}},
		func(ctx context.Context, in *retryInput) (*queuedOutput, error) {
			if err := h.Desk.RetrySend(ctx, actorOf(ctx), in.MessageID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return &queuedOutput{Body: queuedJSON{MessageID: in.MessageID, Status: desk.SendQueued}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "solicitation-recipients", Method: http.MethodGet, Path: "/solicitation-recipients",
		Tags: tags, Summary: "Addresses already solicited from the caller's units that contain q, most solicited first. Requires request.reply",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *recipientsInput) (*recipientsOutput, error) {
			list, err := h.Desk.Recipients(ctx, actorOf(ctx), in.Q, in.Limit)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &recipientsOutput{Body: make([]recipientJSON, 0, len(list))}
			for _, r := range list {
				out.Body = append(out.Body, recipientJSON{Email: r.Email, Count: r.Count})
			}
			return out, nil
		})
}
