package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

type formSaveInput struct {
	Body struct {
		Code         string   `json:"code" maxLength:"40" doc:"2 to 40 lower-case letters, digits or -: the form's address /forms/{code}"`
		UnitCode     string   `json:"unit_code" maxLength:"100" doc:"The unit whose request the submissions become"`
		Name         string   `json:"name" maxLength:"200" doc:"The form's title, shown on its page"`
		Confirmation string   `json:"confirmation" maxLength:"10000" doc:"Shown after a submission and sent in the acknowledgement; blank lines separate paragraphs"`
		Fields       []string `json:"fields,omitempty" maxItems:"2" enum:"phone,attachments" doc:"Optional fields shown besides name, email, subject and message"`
		Active       *bool    `json:"active,omitempty" doc:"Takes submissions; true when omitted"`
	}
}

type formOutput struct{ Body desk.Form }

type formListOutput struct {
	Body struct {
		Items []desk.Form `json:"items"`
	}
}

// templateOut is a reply template as the API shows it.
type templateOut struct {
	ID                string `json:"id"`
	EstablishmentCode string `json:"establishment_code"`
	Name              string `json:"name"`
	Body              string `json:"body" doc:"HTML; placeholders {{customer_name}}, {{agent_name}}, {{reference}}, {{subject}}, {{unit}}"`
	Position          int    `json:"position"`
	Active            bool   `json:"active"`
}

type templateBody struct {
	EstablishmentCode string `json:"establishment_code,omitempty" maxLength:"100" doc:"The establishment; the caller's when omitted"`
	Name              string `json:"name" maxLength:"200" doc:"Unique in the establishment"`
	Body              string `json:"body" maxLength:"10000" doc:"HTML or text with placeholders {{customer_name}}, {{agent_name}}, {{reference}}, {{subject}}, {{unit}}"`
	Position          int    `json:"position,omitempty" minimum:"0" maximum:"10000" doc:"Order in the agents' list, smallest first"`
	Active            *bool  `json:"active,omitempty" doc:"Offered to agents; true when omitted"`
}

type templateCreateInput struct{ Body templateBody }

type templateUpdateInput struct {
	ID   string `path:"id" maxLength:"100"`
	Body templateBody
}

type templateOutput struct{ Body templateOut }

type templateListOutput struct {
	Body struct {
		Items []templateOut `json:"items"`
	}
}

type templateRenderOutput struct {
	Body struct {
		Body string `json:"body" doc:"The template's HTML with its placeholders filled (values HTML-escaped); unknown placeholders left as written"`
	}
}

// registerDeskAdminForms mounts the administration of web forms and reply
// templates, and the rendering of a template for a request.
func (h *handlers) registerDeskAdminForms(a huma.API) {
	tags := []string{"Desk administration"}
	huma.Register(a, huma.Operation{OperationID: "list-forms", Method: http.MethodGet, Path: "/admin/forms", Tags: tags,
		Summary: "The web forms of the units in the caller's scope, each with the mailbox that acknowledges its submissions (\"\" when none). Requires desk.admin"},
		func(ctx context.Context, _ *struct{}) (*formListOutput, error) {
			list, err := h.Desk.Forms(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &formListOutput{}
			out.Body.Items = list
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-form", Method: http.MethodPost, Path: "/admin/forms", Tags: tags,
		DefaultStatus: http.StatusCreated,
		Summary:       "Create a public web form of a unit in the caller's scope, served at /forms/{code}. Audited; requires desk.admin"},
		func(ctx context.Context, in *formSaveInput) (*formOutput, error) {
			active := in.Body.Active == nil || *in.Body.Active
			f, err := h.Desk.SaveForm(ctx, actorOf(ctx), desk.Form{Code: in.Body.Code, UnitCode: in.Body.UnitCode,
				Name: in.Body.Name, Confirmation: in.Body.Confirmation, Fields: in.Body.Fields, Active: active})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &formOutput{Body: f}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-templates", Method: http.MethodGet, Path: "/admin/templates", Tags: tags,
		Summary: "An establishment's reply templates, deactivated ones included. Requires desk.admin and the establishment in scope"},
		func(ctx context.Context, in *struct {
			EstablishmentCode string `query:"establishment_code" maxLength:"100" doc:"The caller's establishment when omitted"`
		}) (*templateListOutput, error) {
			est, code, err := h.establishment(ctx, in.EstablishmentCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			list, err := h.Desk.EstablishmentTemplates(ctx, actorOf(ctx), est)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &templateListOutput{}
			out.Body.Items = make([]templateOut, len(list))
			for i, t := range list {
				out.Body.Items[i] = templateView(t, code)
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-template", Method: http.MethodPost, Path: "/admin/templates", Tags: tags,
		DefaultStatus: http.StatusCreated, Summary: "Add a reply template to an establishment. Audited; requires desk.admin"},
		func(ctx context.Context, in *templateCreateInput) (*templateOutput, error) {
			return h.saveTemplate(ctx, "", in.Body)
		})
	huma.Register(a, huma.Operation{OperationID: "update-template", Method: http.MethodPut, Path: "/admin/templates/{id}", Tags: tags,
		Summary: "Change a reply template (all its fields). Audited; requires desk.admin"},
		func(ctx context.Context, in *templateUpdateInput) (*templateOutput, error) {
			if _, err := h.Desk.Template(ctx, actorOf(ctx), in.ID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.saveTemplate(ctx, in.ID, in.Body)
		})
	huma.Register(a, huma.Operation{OperationID: "delete-template", Method: http.MethodDelete, Path: "/admin/templates/{id}", Tags: tags,
		DefaultStatus: http.StatusNoContent, Summary: "Delete a reply template. Audited; requires desk.admin"},
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"100"`
		}) (*struct{}, error) {
			if err := h.Desk.DeleteTemplate(ctx, actorOf(ctx), in.ID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return nil, nil
		})
	huma.Register(a, huma.Operation{OperationID: "render-template", Method: http.MethodGet,
		Path: "/requests/{id}/templates/{template_id}/render", Tags: []string{"Desk"},
		Summary: "A reply template of the request's establishment filled for this request and the caller. Requires request.reply"},
		func(ctx context.Context, in *struct {
			ID         string `path:"id" maxLength:"100"`
			TemplateID string `path:"template_id" maxLength:"100"`
		}) (*templateRenderOutput, error) {
			body, err := h.Desk.RenderTemplate(ctx, actorOf(ctx), in.ID, in.TemplateID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &templateRenderOutput{}
			out.Body.Body = body
			return out, nil
		})
}

func (h *handlers) saveTemplate(ctx context.Context, id string, in templateBody) (*templateOutput, error) {
	est, code, err := h.establishment(ctx, in.EstablishmentCode)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	active := in.Active == nil || *in.Active
	t, err := h.Desk.SaveTemplate(ctx, actorOf(ctx), desk.Template{ID: id, EstablishmentID: est, Name: in.Name,
		Body: in.Body, Position: in.Position, Active: active})
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &templateOutput{Body: templateView(t, code)}, nil
}

// establishment returns the ID and code of the establishment of code, or
// of the caller's when code is empty.
func (h *handlers) establishment(ctx context.Context, code string) (string, string, error) {
	if code == "" {
		u, err := h.Orgs.UnitByID(ctx, actorOf(ctx).UnitID)
		if err != nil {
			return "", "", err
		}
		root, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		if root == u.ID {
			return u.ID, u.Code, nil
		}
		est, err := h.Orgs.UnitByID(ctx, root)
		return est.ID, est.Code, err
	}
	f := core.Fields{}
	if !core.CheckText(f, "establishment_code", code, core.MaxCode) {
		return "", "", f.Err()
	}
	u, err := h.Orgs.UnitByCode(ctx, code)
	if err != nil || u.ParentID != "" {
		return "", "", core.Fields{"establishment_code": core.Because("unknown_unit")}.Err()
	}
	return u.ID, u.Code, nil
}

func templateView(t desk.Template, establishmentCode string) templateOut {
	return templateOut{ID: t.ID, EstablishmentCode: establishmentCode, Name: t.Name, Body: t.Body, Position: t.Position, Active: t.Active}
}
