package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/smsgw"
)

// alertChoicesJSON are an agent's lead alert choices as they write them.
type alertChoicesJSON struct {
	Popup bool `json:"popup" doc:"A pop-up on the agent's open pages"`
	Sound bool `json:"sound" doc:"A short beep with it"`
	Flash bool `json:"flash" doc:"The browser tab's title flashes until the agent looks"`
	Email bool `json:"email" doc:"An email with the lead's details and its link; needs an address"`
	SMS   bool `json:"sms" doc:"A text message; needs a mobile number and the establishment's active SMS gateway"`
}

// alertSettingsJSON are an agent's choices with where the alerts go.
type alertSettingsJSON struct {
	Popup        bool   `json:"popup" doc:"A pop-up on the agent's open pages"`
	Sound        bool   `json:"sound" doc:"A short beep with it"`
	Flash        bool   `json:"flash" doc:"The browser tab's title flashes until the agent looks"`
	Email        bool   `json:"email" doc:"An email with the lead's details and its link"`
	SMS          bool   `json:"sms" doc:"A text message to the agent's mobile"`
	ForwardEmail string `json:"forward_email" doc:"The personal address an administrator set; email alerts go there instead of the work address"`
	Mobile       string `json:"mobile" doc:"The mobile number (E.164) an administrator set, where SMS alerts go"`
	EmailTo      string `json:"email_to" doc:"Where an email alert goes: the forward address, else the agent's own; \"\" none"`
}

func toAlertSettingsJSON(s leads.AlertSettings) alertSettingsJSON {
	c := s.AlertChoices
	return alertSettingsJSON{Popup: c.Popup, Sound: c.Sound, Flash: c.Flash, Email: c.Email, SMS: c.SMS,
		ForwardEmail: s.ForwardEmail, Mobile: s.Mobile, EmailTo: s.EmailTo}
}

type alertSettingsOutput struct{ Body alertSettingsJSON }

type alertChoicesInput struct{ Body alertChoicesJSON }

// alertContactsJSON are where an agent's alerts go, as an administrator
// writes them.
type alertContactsJSON struct {
	ForwardEmail string `json:"forward_email" maxLength:"320" doc:"A personal address email alerts go to instead of the work one; \"\" none"`
	Mobile       string `json:"mobile" maxLength:"320" doc:"The mobile number SMS alerts go to (stored in E.164; national numbers read as French); \"\" none"`
}

type agentAlertsInput struct {
	Login string `path:"login" maxLength:"100" doc:"The agent's login"`
}

type agentAlertsPutInput struct {
	Login string `path:"login" maxLength:"100" doc:"The agent's login"`
	Body  alertContactsJSON
}

// gatewayBody is an SMS gateway as an administrator writes it.
type gatewayBody struct {
	URL          string `json:"url" maxLength:"1000" doc:"The gateway's http(s) address the body is POSTed to"`
	Username     string `json:"username,omitempty" maxLength:"320" doc:"Basic authentication's user"`
	Password     string `json:"password,omitempty" maxLength:"200" doc:"Write-only: absent or \"\" keeps the stored one"`
	Sender       string `json:"sender,omitempty" maxLength:"100" doc:"The sender name or number, for {{sender}}"`
	BodyTemplate string `json:"body_template,omitempty" maxLength:"10000" doc:"The JSON body with {{to}}, {{text}} and {{sender}} inside quotes, filled JSON-escaped; a default when absent"`
	Active       bool   `json:"active" doc:"Off: no SMS alert is queued and queued ones fail"`
}

// gatewayJSON is an SMS gateway as it is read: never its password.
type gatewayJSON struct {
	EstablishmentCode string    `json:"establishment_code"`
	URL               string    `json:"url"`
	Username          string    `json:"username"`
	HasPassword       bool      `json:"has_password"`
	Sender            string    `json:"sender"`
	BodyTemplate      string    `json:"body_template"`
	Active            bool      `json:"active"`
	UpdatedAt         time.Time `json:"updated_at"`
}

func toGatewayJSON(g smsgw.Gateway) gatewayJSON {
	return gatewayJSON{EstablishmentCode: g.EstablishmentCode, URL: g.URL, Username: g.Username, HasPassword: g.HasPassword,
		Sender: g.Sender, BodyTemplate: g.BodyTemplate, Active: g.Active, UpdatedAt: g.UpdatedAt}
}

type gatewayCodeInput struct {
	Code string `path:"establishment_code" maxLength:"100" doc:"The establishment's code"`
}

type gatewayPutInput struct {
	Code string `path:"establishment_code" maxLength:"100" doc:"The establishment's code"`
	Body gatewayBody
}

type gatewayTestInput struct {
	Code string `path:"establishment_code" maxLength:"100" doc:"The establishment's code"`
	Body struct {
		To   string `json:"to" maxLength:"320" doc:"The number to send the test to"`
		Text string `json:"text,omitempty" maxLength:"10000" doc:"The text; a default when absent"`
	}
}

type gatewayOutput struct{ Body gatewayJSON }

type gatewayTestOutput struct {
	Body struct {
		Error string `json:"error" doc:"\"\" when the gateway accepted the SMS, else what it answered"`
	}
}

func (h *handlers) registerLeadAlerts(a huma.API) {
	tags := []string{"Lead alerts"}
	huma.Register(a, huma.Operation{OperationID: "get-my-lead-alerts", Method: http.MethodGet, Path: "/me/lead-alerts", Tags: tags,
		Summary: "How the caller is alerted when a lead is assigned to them (pop-up and flash until they choose). Requires lead.work",
		Errors:  []int{http.StatusForbidden}},
		func(ctx context.Context, _ *struct{}) (*alertSettingsOutput, error) {
			s, err := h.Leads.MyAlerts(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &alertSettingsOutput{Body: toAlertSettingsJSON(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "set-my-lead-alerts", Method: http.MethodPut, Path: "/me/lead-alerts", Tags: tags,
		Summary: "Choose how the caller is alerted at each lead assigned to them, and only then. Email needs an address and SMS a " +
			"mobile number (422 otherwise). Audited; requires lead.work",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *alertChoicesInput) (*alertSettingsOutput, error) {
			s, err := h.Leads.SaveMyAlerts(ctx, actorOf(ctx), leads.AlertChoices(in.Body))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &alertSettingsOutput{Body: toAlertSettingsJSON(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-agent-lead-alerts", Method: http.MethodGet, Path: "/admin/agents/{login}/lead-alerts",
		Tags: tags, Summary: "An agent's lead alert choices and where they go. Requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *agentAlertsInput) (*alertSettingsOutput, error) {
			s, err := h.Leads.AgentAlerts(ctx, actorOf(ctx), in.Login)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &alertSettingsOutput{Body: toAlertSettingsJSON(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "set-agent-lead-alerts", Method: http.MethodPut, Path: "/admin/agents/{login}/lead-alerts",
		Tags: tags, Summary: "Set where an agent's email and SMS alerts go: a personal address, a mobile number. Audited; requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *agentAlertsPutInput) (*alertSettingsOutput, error) {
			s, err := h.Leads.SaveAgentAlertContacts(ctx, actorOf(ctx), in.Login, leads.AlertContacts(in.Body))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &alertSettingsOutput{Body: toAlertSettingsJSON(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-sms-gateway", Method: http.MethodGet, Path: "/admin/sms-gateways/{establishment_code}",
		Tags: tags, Summary: "An establishment's SMS gateway, never its password; 404 when it has none. Requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *gatewayCodeInput) (*gatewayOutput, error) {
			g, err := h.SMSGateways.Gateway(ctx, actorOf(ctx), in.Code)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &gatewayOutput{Body: toGatewayJSON(g)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "set-sms-gateway", Method: http.MethodPut, Path: "/admin/sms-gateways/{establishment_code}",
		Tags: tags, Summary: "Set an establishment's SMS gateway; the password is sealed with the server's secret key and never read back. " +
			"Audited; requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *gatewayPutInput) (*gatewayOutput, error) {
			g, err := h.SMSGateways.Save(ctx, actorOf(ctx), in.Code, smsgw.Input(in.Body))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &gatewayOutput{Body: toGatewayJSON(g)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "test-sms-gateway", Method: http.MethodPost, Path: "/admin/sms-gateways/{establishment_code}/test",
		Tags: tags, Summary: "Send a test SMS through the establishment's gateway now and say what it answered. Audited; requires admin",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *gatewayTestInput) (*gatewayTestOutput, error) {
			r, err := h.SMSGateways.SendTest(ctx, actorOf(ctx), in.Code, in.Body.To, in.Body.Text)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &gatewayTestOutput{}
			out.Body.Error = r.Error
			return out, nil
		})
}
