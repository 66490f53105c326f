package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/leads"
)

type leadRulesPathInput struct {
	Establishment string `path:"establishment_code" maxLength:"100" doc:"The establishment's code"`
}

type leadRulesInput struct {
	Establishment string `path:"establishment_code" maxLength:"100" doc:"The establishment's code"`
	Body          struct {
		Rules []leadRuleInputJSON `json:"rules" maxItems:"100" doc:"In order: the first whose non-empty criteria all match routes the lead"`
	}
}

type leadRulesOutput struct {
	Body struct {
		Rules []leadRuleJSON `json:"rules"`
	}
}

type agentAbsencesInput struct {
	Login string `path:"login" maxLength:"100" doc:"The agent's login"`
}

type absenceCreateInput struct {
	Login string `path:"login" maxLength:"100" doc:"The agent's login"`
	Body  struct {
		StartsAt time.Time `json:"starts_at"`
		EndsAt   time.Time `json:"ends_at" doc:"After starts_at, and not past"`
		Note     string    `json:"note,omitempty" maxLength:"5000"`
	}
}

type absenceOutput struct {
	Status int
	Body   absenceJSON
}

type absencesOutput struct {
	Body struct {
		Absences []absenceJSON `json:"absences" doc:"Current and future, soonest first"`
	}
}

type absenceIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The absence's ID"`
}

func (h *handlers) registerLeadsAdmin(a huma.API) {
	tags := []string{"Leads"}
	huma.Register(a, huma.Operation{OperationID: "get-lead-rules", Method: http.MethodGet,
		Path: "/admin/lead-rules/{establishment_code}", Tags: tags,
		Summary: "The distribution rules of an establishment, in order. Requires admin",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *leadRulesPathInput) (*leadRulesOutput, error) {
			rules, err := h.Leads.Rules(ctx, actorOf(ctx), in.Establishment)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return rulesOut(rules), nil
		})
	huma.Register(a, huma.Operation{OperationID: "put-lead-rules", Method: http.MethodPut,
		Path: "/admin/lead-rules/{establishment_code}", Tags: tags,
		Summary: "Replace the distribution rules of an establishment: each names a unit of the establishment and criteria " +
			"(source and product exact, postal code by prefix; empty matches any); the first match wins, then round-robin in " +
			"the unit. Audited. Requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadRulesInput) (*leadRulesOutput, error) {
			rules := make([]leads.RuleInput, len(in.Body.Rules))
			for i, r := range in.Body.Rules {
				rules[i] = leads.RuleInput{Source: r.Source, Product: r.Product, PostalCodePrefix: r.PostalCodePrefix,
					UnitCode: r.UnitCode}
			}
			saved, err := h.Leads.SaveRules(ctx, actorOf(ctx), in.Establishment, rules)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return rulesOut(saved), nil
		})

	const who = "Requires admin, or lead.assign with the agent's unit in the caller's scope"
	huma.Register(a, huma.Operation{OperationID: "list-agent-absences", Method: http.MethodGet,
		Path: "/admin/agents/{login}/absences", Tags: tags,
		Summary: "An agent's current and future absences, during which they receive no lead. " + who,
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *agentAbsencesInput) (*absencesOutput, error) {
			list, err := h.Leads.Absences(ctx, actorOf(ctx), in.Login)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &absencesOutput{}
			out.Body.Absences = make([]absenceJSON, 0, len(list))
			for _, b := range list {
				out.Body.Absences = append(out.Body.Absences, toAbsenceJSON(b))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-agent-absence", Method: http.MethodPost,
		Path: "/admin/agents/{login}/absences", Tags: tags,
		Summary:       "Record an absence of an agent: no lead is assigned to them from starts_at to ends_at. Audited. " + who,
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *absenceCreateInput) (*absenceOutput, error) {
			b, err := h.Leads.AddAbsence(ctx, actorOf(ctx), in.Login, leads.AbsenceInput{StartsAt: in.Body.StartsAt,
				EndsAt: in.Body.EndsAt, Note: in.Body.Note})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &absenceOutput{Status: http.StatusCreated, Body: toAbsenceJSON(b)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "remove-agent-absence", Method: http.MethodDelete,
		Path: "/admin/absences/{id}", Tags: tags,
		Summary:       "Delete an absence. Audited. " + who,
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *absenceIDInput) (*struct{}, error) {
			if err := h.Leads.RemoveAbsence(ctx, actorOf(ctx), in.ID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return nil, nil
		})
}

func rulesOut(rules []leads.Rule) *leadRulesOutput {
	out := &leadRulesOutput{}
	out.Body.Rules = make([]leadRuleJSON, 0, len(rules))
	for _, r := range rules {
		out.Body.Rules = append(out.Body.Rules, leadRuleJSON{Position: r.Position, Source: r.Source, Product: r.Product,
			PostalCodePrefix: r.PostalCodePrefix, UnitCode: r.UnitCode})
	}
	return out
}
