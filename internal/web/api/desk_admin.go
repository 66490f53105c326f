package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

// imapJSON says where a mailbox's mail is fetched. The password is only
// ever written.
type imapJSON struct {
	Host     string `json:"host" maxLength:"255"`
	Port     int    `json:"port" minimum:"1" maximum:"65535"`
	Security string `json:"security" enum:"tls,starttls,none"`
	Login    string `json:"login" maxLength:"320"`
	Password string `json:"password,omitempty" maxLength:"200" doc:"Write-only: absent or \"\" keeps the stored one"`
	Folder   string `json:"folder,omitempty" maxLength:"200" doc:"INBOX by default"`
}

// smtpJSON says how a mailbox's mail is sent.
type smtpJSON struct {
	Host     string `json:"host" maxLength:"255"`
	Port     int    `json:"port" minimum:"1" maximum:"65535"`
	Security string `json:"security" enum:"tls,starttls,none"`
	Login    string `json:"login" maxLength:"320"`
	Password string `json:"password,omitempty" maxLength:"200" doc:"Write-only: absent or \"\" keeps the stored one"`
}

// mailboxBody is a mailbox as an administrator writes it.
type mailboxBody struct {
	UnitCode   string   `json:"unit_code" maxLength:"100" doc:"The unit whose agents see its requests; in the caller's scope"`
	Address    string   `json:"address" maxLength:"320"`
	Name       string   `json:"name,omitempty" maxLength:"200" doc:"The sender's name; the address by default"`
	IMAP       imapJSON `json:"imap"`
	SMTP       smtpJSON `json:"smtp"`
	Signature  string   `json:"signature,omitempty" maxLength:"10000" doc:"Added to every mail it sends"`
	AfterFetch string   `json:"after_fetch,omitempty" maxLength:"200" doc:"What to do with a fetched message on the server: \"\" leave it, \"seen\" mark it read, \"move:<folder>\" move it"`
	Active     *bool    `json:"active,omitempty" doc:"A new mailbox is active; absent on a change keeps it as it is"`
}

// serverJSON is a mail server's settings as they are read: never a password.
type serverJSON struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security" enum:"tls,starttls,none"`
	Login       string `json:"login"`
	Folder      string `json:"folder,omitempty" doc:"IMAP only"`
	HasPassword bool   `json:"has_password"`
}

// mailboxJSON is a mailbox as the API shows it.
type mailboxJSON struct {
	ID         string     `json:"id"`
	UnitCode   string     `json:"unit_code"`
	UnitName   string     `json:"unit_name"`
	Address    string     `json:"address"`
	Name       string     `json:"name"`
	IMAP       serverJSON `json:"imap"`
	SMTP       serverJSON `json:"smtp"`
	Signature  string     `json:"signature"`
	AfterFetch string     `json:"after_fetch"`
	Active     bool       `json:"active"`
	SyncedAt   *time.Time `json:"synced_at" doc:"The last fetch; null before the first"`
	SyncError  string     `json:"sync_error" doc:"Why the last fetch failed; \"\" when it worked"`
}

func toMailboxJSON(m desk.Mailbox) mailboxJSON {
	return mailboxJSON{ID: m.ID, UnitCode: m.UnitCode, UnitName: m.UnitName, Address: m.Address, Name: m.Name,
		IMAP: serverJSON{Host: m.IMAP.Host, Port: m.IMAP.Port, Security: m.IMAP.Security, Login: m.IMAP.Login,
			Folder: m.IMAP.Folder, HasPassword: m.IMAP.HasPassword},
		SMTP: serverJSON{Host: m.SMTP.Host, Port: m.SMTP.Port, Security: m.SMTP.Security, Login: m.SMTP.Login,
			HasPassword: m.SMTP.HasPassword},
		Signature: m.Signature, AfterFetch: m.AfterFetch, Active: m.Active, SyncedAt: m.SyncedAt, SyncError: m.SyncError}
}

type mailboxCreateInput struct{ Body mailboxBody }

type mailboxPutInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The mailbox's ID"`
	Body mailboxBody
}

type mailboxIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The mailbox's ID"`
}

type mailboxOutput struct{ Body mailboxJSON }

type mailboxListOutput struct {
	Body struct {
		Items []mailboxJSON `json:"items"`
	}
}

type connectionCheckOutput struct {
	Body struct {
		IMAP string `json:"imap" doc:"\"\" when the login and folder worked, else what failed"`
		SMTP string `json:"smtp" doc:"\"\" when the connection and login worked, else what failed"`
	}
}

// targetsJSON are a unit's service levels.
type targetsJSON struct {
	FirstResponseMinutes int `json:"first_response_minutes" minimum:"1" maximum:"525600" doc:"Business minutes of the unit's hours to the first reply"`
	ResolutionMinutes    int `json:"resolution_minutes" minimum:"1" maximum:"525600" doc:"Business minutes to closing"`
	ReopenDays           int `json:"reopen_days" minimum:"0" maximum:"365" doc:"Days a customer's message reopens a closed request; after, it opens a new one"`
}

type targetsInput struct {
	Code string `path:"code" maxLength:"100" doc:"The unit's code"`
}

type targetsPutInput struct {
	Code string `path:"code" maxLength:"100" doc:"The unit's code"`
	Body targetsJSON
}

type targetsOutput struct{ Body targetsJSON }

func (h *handlers) registerDeskAdmin(a huma.API) {
	tags := []string{"Desk administration"}
	writeErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "list-mailboxes", Method: http.MethodGet, Path: "/admin/mailboxes", Tags: tags,
		Summary: "The mailboxes of the units in the caller's scope, without their passwords. Requires desk.admin",
		Errors:  []int{http.StatusForbidden}},
		func(ctx context.Context, _ *struct{}) (*mailboxListOutput, error) {
			list, err := h.Desk.Mailboxes(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &mailboxListOutput{}
			out.Body.Items = make([]mailboxJSON, 0, len(list))
			for _, m := range list {
				out.Body.Items = append(out.Body.Items, toMailboxJSON(m))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-mailbox", Method: http.MethodPost, Path: "/admin/mailboxes", Tags: tags,
		Summary: "Add a mailbox: its mail becomes requests of its unit, and its unit's replies leave through it. " +
			"Passwords are sealed with the server's secret key and never read back. Audited; requires desk.admin",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *mailboxCreateInput) (*mailboxOutput, error) {
			return h.saveMailbox(ctx, "", in.Body)
		})
	huma.Register(a, huma.Operation{OperationID: "get-mailbox", Method: http.MethodGet, Path: "/admin/mailboxes/{id}", Tags: tags,
		Summary: "A mailbox, without its passwords. Requires desk.admin; 404 out of scope",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *mailboxIDInput) (*mailboxOutput, error) {
			m, err := h.Desk.Mailbox(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &mailboxOutput{Body: toMailboxJSON(m)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-mailbox", Method: http.MethodPut, Path: "/admin/mailboxes/{id}", Tags: tags,
		Summary: "Change a mailbox; an absent password keeps the stored one. Audited; requires desk.admin",
		Errors:  writeErrors},
		func(ctx context.Context, in *mailboxPutInput) (*mailboxOutput, error) {
			return h.saveMailbox(ctx, in.ID, in.Body)
		})
	huma.Register(a, huma.Operation{OperationID: "test-mailbox", Method: http.MethodPost, Path: "/admin/mailboxes/{id}/test", Tags: tags,
		Summary: "Connect to the mailbox's IMAP and SMTP servers and say what failed (\"\" where it worked). Audited; requires desk.admin",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *mailboxIDInput) (*connectionCheckOutput, error) {
			c, err := h.Desk.TestMailbox(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &connectionCheckOutput{}
			out.Body.IMAP, out.Body.SMTP = c.IMAP, c.SMTP
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-desk-targets", Method: http.MethodGet, Path: "/admin/units/{code}/desk-targets",
		Tags: tags, Summary: "A unit's first-response and resolution targets and reopening window (the defaults until saved). Requires desk.admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *targetsInput) (*targetsOutput, error) {
			unitID, err := h.scopedUnit(ctx, in.Code)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			t, err := h.Desk.Targets(ctx, actorOf(ctx), unitID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &targetsOutput{Body: targetsJSON(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "set-desk-targets", Method: http.MethodPut, Path: "/admin/units/{code}/desk-targets",
		Tags: tags, Summary: "Set a unit's targets; they apply to the requests it receives from now on. Audited; requires desk.admin",
		Errors: writeErrors},
		func(ctx context.Context, in *targetsPutInput) (*targetsOutput, error) {
			unitID, err := h.scopedUnit(ctx, in.Code)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			if err := h.Desk.SetTargets(ctx, actorOf(ctx), unitID, desk.Targets(in.Body)); err != nil {
				return nil, h.fail(ctx, err)
			}
			return &targetsOutput{Body: in.Body}, nil
		})
}

// saveMailbox creates (id "") or changes a mailbox from its body.
func (h *handlers) saveMailbox(ctx context.Context, id string, b mailboxBody) (*mailboxOutput, error) {
	actor := actorOf(ctx)
	unitID, err := h.unitID(ctx, "unit_code", b.UnitCode)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	m := desk.Mailbox{ID: id, UnitID: unitID, Address: b.Address, Name: b.Name,
		IMAP: desk.IMAPSettings{Host: b.IMAP.Host, Port: b.IMAP.Port, Security: b.IMAP.Security, Login: b.IMAP.Login,
			Password: b.IMAP.Password, Folder: b.IMAP.Folder},
		SMTP: desk.SMTPSettings{Host: b.SMTP.Host, Port: b.SMTP.Port, Security: b.SMTP.Security, Login: b.SMTP.Login,
			Password: b.SMTP.Password},
		Signature: b.Signature, AfterFetch: b.AfterFetch, Active: true}
	if id != "" {
		old, err := h.Desk.Mailbox(ctx, actor, id)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		m.Active = old.Active
	}
	if b.Active != nil {
		m.Active = *b.Active
	}
	saved, err := h.Desk.SaveMailbox(ctx, actor, m)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &mailboxOutput{Body: toMailboxJSON(saved)}, nil
}

// scopedUnit returns the ID of the unit of code, NotFound when it does
// not exist (the store answers the same out of scope).
func (h *handlers) scopedUnit(ctx context.Context, code string) (string, error) {
	u, err := h.Orgs.UnitByCode(ctx, code)
	if err != nil && core.ErrorCode(err) == core.NotFound || err == nil && u.ID == "" {
		return "", core.Errorf(core.NotFound, "unit %s not found", code)
	}
	return u.ID, err
}
