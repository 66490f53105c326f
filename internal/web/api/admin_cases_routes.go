package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

type contactTypeSaveInput struct {
	Body struct {
		Code              string `json:"code" maxLength:"100" doc:"2 to 40 lower-case letters, digits or _; an existing code is replaced"`
		EstablishmentCode string `json:"establishment_code" maxLength:"100" doc:"The establishment it belongs to, in the caller's scope"`
		Name              string `json:"name" maxLength:"200" doc:"In French"`
		NameEN            string `json:"name_en,omitempty" maxLength:"200" doc:"name by default"`
		Medium            string `json:"medium,omitempty" enum:"phone,face_to_face,email,letter,sms,video,chat," doc:"The contact's medium by default"`
		Reason            string `json:"reason,omitempty" maxLength:"100" doc:"A report reason's code, the contact's by default"`
		Classification    string `json:"classification,omitempty" maxLength:"100" doc:"The classification a case from such a contact is proposed"`
		Position          int    `json:"position,omitempty" minimum:"0" maximum:"100000" doc:"Pickers list by position, then name"`
		TemplateFields
	}
}

type contactTypeOutput struct{ Body contactTypeJSON }

type contactTypeListOutput struct {
	Body struct {
		Items []contactTypeJSON `json:"items"`
	}
}

type classificationSaveInput struct {
	Body struct {
		Code              string        `json:"code" maxLength:"100" doc:"2 to 40 lower-case letters, digits or _; an existing code is replaced"`
		EstablishmentCode string        `json:"establishment_code" maxLength:"100"`
		Name              string        `json:"name" maxLength:"200"`
		NameEN            string        `json:"name_en,omitempty" maxLength:"200"`
		Statuses          []statusJSON  `json:"statuses" maxItems:"50" doc:"At least one; the first is where a case starts"`
		Steps             []stepDefJSON `json:"steps,omitempty" maxItems:"100"`
		Position          int           `json:"position,omitempty" minimum:"0" maximum:"100000"`
		TemplateFields
	}
}

type classificationOutput struct{ Body classificationJSON }

type classificationListOutput struct {
	Body struct {
		Items []classificationJSON `json:"items"`
	}
}

type planSaveInput struct {
	Body struct {
		Code              string         `json:"code" maxLength:"100" doc:"2 to 40 lower-case letters, digits or _; an existing code is replaced"`
		EstablishmentCode string         `json:"establishment_code" maxLength:"100"`
		Name              string         `json:"name" maxLength:"200"`
		NameEN            string         `json:"name_en,omitempty" maxLength:"200"`
		Steps             []planStepJSON `json:"steps" maxItems:"100" doc:"At least one"`
	}
}

type planOutput struct{ Body actionPlanJSON }

type planListOutput struct {
	Body struct {
		Items []actionPlanJSON `json:"items"`
	}
}

type establishmentInput struct {
	EstablishmentCode string `query:"establishment_code" maxLength:"100" doc:"The caller's establishment by default"`
}

func (h *handlers) registerAdminCases(a huma.API) {
	tags := []string{"Cases administration"}
	writeErrors := []int{http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusConflict}
	readErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "save-contact-type", Method: http.MethodPost, Path: "/admin/contact-types",
		Tags: tags, Summary: "Add or replace a contact type of an establishment with its template (interlocutors, agents, " +
			"objects). A saved type keeps its active flag; a new one is active. Audited. Requires admin",
		Errors: writeErrors},
		func(ctx context.Context, in *contactTypeSaveInput) (*contactTypeOutput, error) {
			b := in.Body
			t, err := h.Cases.SaveContactType(ctx, actorOf(ctx), b.EstablishmentCode, cases.ContactType{Code: b.Code,
				NameFR: b.Name, NameEN: b.NameEN, Medium: b.Medium, Reason: b.Reason, Classification: b.Classification,
				Position: b.Position, Template: b.TemplateFields.template()})
			if err != nil {
				return nil, h.fail(ctx, flatTemplate(err))
			}
			return &contactTypeOutput{Body: toContactTypeJSON(t)}, nil
		})
	list := func(path, id, summary string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: path, Tags: tags, Summary: summary, Errors: readErrors}
	}
	huma.Register(a, list("/admin/contact-types", "list-contact-types-admin", "An establishment's contact types, "+
		"inactive ones included. Requires case.manage or admin"),
		func(ctx context.Context, in *establishmentInput) (*contactTypeListOutput, error) {
			return h.contactTypes(ctx, in.EstablishmentCode, false)
		})
	huma.Register(a, huma.Operation{OperationID: "list-contact-types", Method: http.MethodGet, Path: "/contact-types",
		Tags: []string{"Contacts"}, Summary: "The active contact types of the caller's establishment, for a picker. " +
			"Requires case.manage", Errors: []int{http.StatusForbidden}},
		func(ctx context.Context, _ *struct{}) (*contactTypeListOutput, error) {
			return h.contactTypes(ctx, "", true)
		})
	huma.Register(a, huma.Operation{OperationID: "save-case-classification", Method: http.MethodPost,
		Path: "/admin/case-classifications", Tags: tags,
		Summary: "Add or replace a case classification: its process (statuses, the steps between them with their " +
			"fields and the document they generate) and its template. Audited. Requires admin",
		Errors: writeErrors},
		func(ctx context.Context, in *classificationSaveInput) (*classificationOutput, error) {
			b := in.Body
			c, err := h.Cases.SaveClassification(ctx, actorOf(ctx), b.EstablishmentCode, cases.Classification{Code: b.Code,
				NameFR: b.Name, NameEN: b.NameEN, Process: processOf(b.Statuses, b.Steps), Template: b.TemplateFields.template(),
				Position: b.Position})
			if err != nil {
				return nil, h.fail(ctx, flatTemplate(err))
			}
			return &classificationOutput{Body: toClassificationJSON(c)}, nil
		})
	huma.Register(a, list("/admin/case-classifications", "list-case-classifications", "An establishment's case "+
		"classifications with their processes, inactive ones included. Requires case.manage or admin"),
		func(ctx context.Context, in *establishmentInput) (*classificationListOutput, error) {
			est, _, err := h.establishment(ctx, in.EstablishmentCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			list, err := h.Cases.Classifications(ctx, actorOf(ctx), est)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &classificationListOutput{}
			out.Body.Items = make([]classificationJSON, 0, len(list))
			for _, c := range list {
				out.Body.Items = append(out.Body.Items, toClassificationJSON(c))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "save-action-plan", Method: http.MethodPost, Path: "/admin/action-plans",
		Tags: tags, Summary: "Add or replace an action plan: its steps become tasks, each due its day in business days " +
			"after the launch. Audited. Requires admin",
		Errors: writeErrors},
		func(ctx context.Context, in *planSaveInput) (*planOutput, error) {
			b := in.Body
			p := cases.ActionPlan{Code: b.Code, NameFR: b.Name, NameEN: b.NameEN, Steps: []cases.PlanStep{}}
			for _, s := range b.Steps {
				p.Steps = append(p.Steps, cases.PlanStep{Day: s.Day, Title: s.Title, Description: s.Description, Kind: s.Kind,
					Assignee: s.Assignee, UnitCode: s.UnitCode, MovesCaseTo: s.MovesCaseTo})
			}
			saved, err := h.Cases.SavePlan(ctx, actorOf(ctx), b.EstablishmentCode, p)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &planOutput{Body: toActionPlanJSON(saved)}, nil
		})
	huma.Register(a, list("/admin/action-plans", "list-action-plans", "An establishment's action plans, inactive ones "+
		"included. Requires case.manage or admin"),
		func(ctx context.Context, in *establishmentInput) (*planListOutput, error) {
			est, _, err := h.establishment(ctx, in.EstablishmentCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			list, err := h.Cases.Plans(ctx, actorOf(ctx), est)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &planListOutput{}
			out.Body.Items = make([]actionPlanJSON, 0, len(list))
			for _, p := range list {
				out.Body.Items = append(out.Body.Items, toActionPlanJSON(p))
			}
			return out, nil
		})
}

// contactTypes lists the contact types of an establishment (the caller's
// when code is ""), only the active ones when picking.
func (h *handlers) contactTypes(ctx context.Context, code string, picking bool) (*contactTypeListOutput, error) {
	est, _, err := h.establishment(ctx, code)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	actor := actorOf(ctx)
	list, err := h.Cases.ContactTypes(ctx, actor, est, actor.Locale)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &contactTypeListOutput{}
	out.Body.Items = make([]contactTypeJSON, 0, len(list))
	for _, t := range list {
		if picking && !t.Active {
			continue
		}
		out.Body.Items = append(out.Body.Items, toContactTypeJSON(t))
	}
	return out, nil
}

// flatTemplate names a template's fields as the API sends them, flat in
// the definition: the store's template.agents[0].role is agents[0].role.
func flatTemplate(err error) error {
	var ce *core.Error
	if !errors.As(err, &ce) {
		return err
	}
	for k, why := range ce.Fields {
		if rest, ok := strings.CutPrefix(k, "template."); ok {
			delete(ce.Fields, k)
			ce.Fields[rest] = why
		}
	}
	return err
}
