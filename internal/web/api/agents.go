package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/org"
)

// agentJSON is an agent as the API shows it; never any password material.
type agentJSON struct {
	ID             string     `json:"id"`
	Login          string     `json:"login"`
	Name           string     `json:"name"`
	Initials       string     `json:"initials"`
	Email          string     `json:"email"`
	UnitCode       string     `json:"unit_code"`
	Roles          []string   `json:"roles"`
	ScopeUnitCodes []string   `json:"scope_unit_codes"`
	Locale         string     `json:"locale"`
	Active         bool       `json:"active"`
	CreatedAt      time.Time  `json:"created_at"`
	DeactivatedAt  *time.Time `json:"deactivated_at,omitempty"`
}

func toAgentJSON(a org.Agent) agentJSON {
	return agentJSON{ID: a.ID, Login: a.Login, Name: a.Name, Initials: a.Initials, Email: a.Email,
		UnitCode: a.UnitCode, Roles: nonNil(a.Roles), ScopeUnitCodes: nonNil(a.ScopeUnitCodes), Locale: a.Locale,
		Active: a.Active, CreatedAt: a.CreatedAt, DeactivatedAt: a.DeactivatedAt}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type agentCreateInput struct {
	Body struct {
		Login          string   `json:"login" maxLength:"100"`
		Name           string   `json:"name" maxLength:"200"`
		Initials       string   `json:"initials,omitempty" doc:"Derived from the name when omitted" maxLength:"100"`
		Email          string   `json:"email,omitempty" maxLength:"320"`
		UnitCode       string   `json:"unit_code" maxLength:"100"`
		Roles          []string `json:"roles,omitempty"`
		ScopeUnitCodes []string `json:"scope_unit_codes,omitempty" doc:"Units whose parties the agent sees, with their subtrees; own unit when empty"`
		Password       string   `json:"password,omitempty" doc:"At least 8 characters; without one the agent cannot sign in by password" maxLength:"200"`
		Locale         string   `json:"locale,omitempty" enum:"fr,en"`
	}
}

type agentPatchInput struct {
	Login string `path:"login"`
	Body  struct {
		Name           *string   `json:"name,omitempty" maxLength:"200"`
		Initials       *string   `json:"initials,omitempty" maxLength:"100"`
		Email          *string   `json:"email,omitempty" maxLength:"320"`
		UnitCode       *string   `json:"unit_code,omitempty" maxLength:"100"`
		Roles          *[]string `json:"roles,omitempty"`
		ScopeUnitCodes *[]string `json:"scope_unit_codes,omitempty"`
		Password       *string   `json:"password,omitempty" maxLength:"200"`
		Locale         *string   `json:"locale,omitempty"`
		Active         *bool     `json:"active,omitempty" doc:"false deactivates: the agent keeps their name everywhere but can no longer sign in"`
	}
}

type agentOutput struct{ Body agentJSON }

func (h *handlers) registerAgents(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "create-agent", Method: http.MethodPost, Path: "/agents",
		Summary: "Create an agent", Tags: []string{"Organisation"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *agentCreateInput) (*agentOutput, error) {
			b := in.Body
			ag, err := h.Orgs.CreateAgent(ctx, actorOf(ctx), org.AgentInput{Login: b.Login, Name: b.Name,
				Initials: b.Initials, Email: b.Email, UnitCode: b.UnitCode, Roles: b.Roles,
				ScopeUnitCodes: b.ScopeUnitCodes, Password: b.Password, Locale: b.Locale})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &agentOutput{Body: toAgentJSON(ag)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-agent", Method: http.MethodGet, Path: "/agents/{login}",
		Summary: "Get an agent", Description: "An agent reads their own details; anyone else's need the admin permission.",
		Tags: []string{"Organisation"}},
		func(ctx context.Context, in *struct {
			Login string `path:"login"`
		}) (*agentOutput, error) {
			ag, err := h.Orgs.Agent(ctx, actorOf(ctx), in.Login)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &agentOutput{Body: toAgentJSON(ag)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-agent", Method: http.MethodPatch, Path: "/agents/{login}",
		Summary: "Update or deactivate an agent", Tags: []string{"Organisation"}},
		func(ctx context.Context, in *agentPatchInput) (*agentOutput, error) {
			b := in.Body
			ag, err := h.Orgs.UpdateAgent(ctx, actorOf(ctx), in.Login, org.AgentUpdate{Name: b.Name,
				Initials: b.Initials, Email: b.Email, UnitCode: b.UnitCode, Roles: b.Roles,
				ScopeUnitCodes: b.ScopeUnitCodes, Password: b.Password, Locale: b.Locale, Active: b.Active})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &agentOutput{Body: toAgentJSON(ag)}, nil
		})
}
