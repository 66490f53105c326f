package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
)

type tokenCreateInput struct {
	Body struct {
		Name       string     `json:"name" maxLength:"200" doc:"What the token is for, e.g. telephony"`
		AgentLogin string     `json:"agent_login" maxLength:"100" doc:"The agent whose roles and scope the token carries"`
		ExpiresAt  *time.Time `json:"expires_at,omitempty" doc:"When the token stops working; never when omitted (see expires_in)"`
		ExpiresIn  string     `json:"expires_in,omitempty" maxLength:"100" doc:"A lifetime instead of a date: 90d, 12h"`
	}
}

type tokenCreateOutput struct {
	Body struct {
		Token  string     `json:"token" doc:"The secret, shown this once: only its hash is stored"`
		Detail auth.Token `json:"detail"`
	}
}

type tokenListOutput struct {
	Body struct {
		Items []auth.Token `json:"items"`
	}
}

func (h *handlers) registerTokens(a huma.API) {
	tags := []string{"Organisation"}
	huma.Register(a, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/tokens", Tags: tags,
		Summary: "API tokens, newest first, with their last use (written at most once a minute) and expiry. Requires admin"},
		func(ctx context.Context, _ *struct{}) (*tokenListOutput, error) {
			list, err := h.Auth.ListTokens(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &tokenListOutput{}
			out.Body.Items = list
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/tokens", Tags: tags,
		DefaultStatus: http.StatusCreated,
		Summary:       "Create an API token, optionally expiring; its secret is in this answer only. Audited; requires admin"},
		func(ctx context.Context, in *tokenCreateInput) (*tokenCreateOutput, error) {
			actor := actorOf(ctx)
			until := time.Time{}
			if in.Body.ExpiresAt != nil {
				until = *in.Body.ExpiresAt
			}
			if in.Body.ExpiresIn != "" {
				if in.Body.ExpiresAt != nil {
					return nil, h.fail(ctx, core.Fields{"expires_in": core.Because("one_of", "values", []string{"expires_at", "expires_in"})}.Err())
				}
				var err error
				if until, err = h.Auth.ExpiryIn(in.Body.ExpiresIn); err != nil {
					return nil, h.fail(ctx, core.Fields{"expires_in": auth.ReasonExpiryFormat()}.Err())
				}
			}
			secret, token, err := h.Auth.CreateTokenUntil(ctx, actor, in.Body.Name, in.Body.AgentLogin, until)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &tokenCreateOutput{}
			out.Body.Token, out.Body.Detail = secret, token
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "revoke-token", Method: http.MethodPost, Path: "/tokens/{id}/revoke", Tags: tags,
		DefaultStatus: http.StatusNoContent, Summary: "Revoke an API token, at once and for good. Audited; requires admin"},
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"100"`
		}) (*struct{}, error) {
			if err := h.Auth.RevokeToken(ctx, actorOf(ctx), in.ID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return nil, nil
		})
}
