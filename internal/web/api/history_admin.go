package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// historyRulesJSON documents the JSON form of history.Rules; an absent
// field takes the default.
type historyRulesJSON struct {
	MinOutboundCallSeconds *int               `json:"min_outbound_call_seconds,omitempty" minimum:"0" maximum:"3600" doc:"Outbound calls shorter than this are not shown (40 by default)"`
	PrivateKeywords        *[]string          `json:"private_keywords,omitempty" doc:"An email whose subject's first word is one of these is not stored (case and accents ignored)"`
	SpamTags               *[]string          `json:"spam_tags,omitempty" doc:"An email whose subject starts with one of these in brackets is not stored"`
	NotificationCategories *[]string          `json:"notification_categories,omitempty" doc:"The notification categories shown"`
	LetterTypes            *map[string]string `json:"letter_types,omitempty" doc:"The letter types shown: code → label"`
	ReportWindowMinutes    *int               `json:"report_window_minutes,omitempty" minimum:"0" maximum:"240" doc:"A meeting report written this soon after an exchange describes it (15 by default)"`
}

// keepDaysJSON documents the JSON form of history.KeepDays.
type keepDaysJSON struct {
	SubjectDays     *int `json:"subject_days,omitempty" doc:"Then the interaction is deleted"`
	BodyDays        *int `json:"body_days,omitempty" doc:"Then its body is purged; at most subject_days"`
	AttachmentsDays *int `json:"attachments_days,omitempty" doc:"Then its attachments' content is purged; 0: none kept"`
	InlineDays      *int `json:"inline_days,omitempty" doc:"Then its inline images' content is purged; 0: none kept"`
}

// retentionJSON documents the JSON form of history.Retention: the rows of
// the retention table.
type retentionJSON struct {
	AgentMailbox  *keepDaysJSON `json:"agent_mailbox,omitempty"`
	SharedMailbox *keepDaysJSON `json:"shared_mailbox,omitempty"`
	CRMMessage    *keepDaysJSON `json:"crm_message,omitempty"`
	Notification  *keepDaysJSON `json:"notification,omitempty"`
	Other         *keepDaysJSON `json:"other,omitempty" doc:"Every other source"`
}

// historySettingsJSON is an establishment's settings as the API shows them.
type historySettingsJSON struct {
	EstablishmentCode string           `json:"establishment_code"`
	EstablishmentName string           `json:"establishment_name"`
	Custom            bool             `json:"custom" doc:"False while the establishment uses the defaults"`
	UpdatedAt         *time.Time       `json:"updated_at,omitempty"`
	Rules             historyRulesJSON `json:"rules"`
	Retention         retentionJSON    `json:"retention"`
}

// toHistorySettingsJSON converts through the domain's own JSON form, which
// the types above describe field for field.
func toHistorySettingsJSON(e history.EstablishmentSettings) (historySettingsJSON, error) {
	out := historySettingsJSON{EstablishmentCode: e.EstablishmentCode, EstablishmentName: e.EstablishmentName, Custom: e.Custom}
	if !e.UpdatedAt.IsZero() {
		out.UpdatedAt = &e.UpdatedAt
	}
	raw, err := json.Marshal(e.Settings)
	if err != nil {
		return out, err
	}
	return out, json.Unmarshal(raw, &out)
}

type historySettingsInput struct {
	Code string `path:"establishment_code" doc:"The establishment's unit code"`
}

type historySettingsPutInput struct {
	Code string `path:"establishment_code" doc:"The establishment's unit code"`
	Body struct {
		Rules     *historyRulesJSON `json:"rules,omitempty"`
		Retention *retentionJSON    `json:"retention,omitempty"`
	}
}

type historySettingsOutput struct{ Body historySettingsJSON }

type historySourceInput struct {
	Body struct {
		Code      string `json:"code" doc:"2 to 40 lower-case letters, digits or _, not a built-in source"`
		Name      string `json:"name"`
		Retention string `json:"retention,omitempty" enum:"agent_mailbox,shared_mailbox,crm_message,notification,other" doc:"The retention row its interactions follow; other by default"`
	}
}

type historySourceOutput struct{ Body history.Source }

type historySourceListOutput struct {
	Body struct {
		Items []history.Source `json:"items"`
	}
}

func (h *handlers) registerHistoryAdmin(a huma.API) {
	tags := []string{"History administration"}
	huma.Register(a, huma.Operation{OperationID: "get-history-settings", Method: http.MethodGet,
		Path: "/admin/history-settings/{establishment_code}", Tags: tags,
		Summary: "An establishment's restitution rules and retention (the defaults until saved). Requires admin"},
		func(ctx context.Context, in *historySettingsInput) (*historySettingsOutput, error) {
			e, err := h.History.EstablishmentSettings(ctx, actorOf(ctx), in.Code)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			body, err := toHistorySettingsJSON(e)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &historySettingsOutput{Body: body}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "put-history-settings", Method: http.MethodPut,
		Path: "/admin/history-settings/{establishment_code}", Tags: tags,
		Summary: "Replace an establishment's restitution rules and retention; absent fields take the defaults. Audited; requires admin"},
		func(ctx context.Context, in *historySettingsPutInput) (*historySettingsOutput, error) {
			// The body has the domain's JSON form: merged onto the defaults.
			raw, err := json.Marshal(in.Body)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			st := h.History.DefaultSettings()
			if err := json.Unmarshal(raw, &st); err != nil {
				return nil, h.fail(ctx, core.Errorf(core.BadRequest, "settings: %v", err))
			}
			e, err := h.History.SaveSettings(ctx, actorOf(ctx), in.Code, st)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			body, err := toHistorySettingsJSON(e)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &historySettingsOutput{Body: body}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-history-sources", Method: http.MethodGet,
		Path: "/admin/history-sources", Tags: tags,
		Summary: "The sources integrations may push interactions from: built-in, then added by administrators. Requires admin"},
		func(ctx context.Context, _ *struct{}) (*historySourceListOutput, error) {
			list, err := h.History.ListSources(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &historySourceListOutput{}
			out.Body.Items = list
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-history-source", Method: http.MethodPost,
		Path: "/admin/history-sources", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Add a source integrations may push interactions from. Audited; requires admin"},
		func(ctx context.Context, in *historySourceInput) (*historySourceOutput, error) {
			src, err := h.History.AddSource(ctx, actorOf(ctx), history.SourceInput{Code: in.Body.Code, Name: in.Body.Name,
				Retention: in.Body.Retention})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &historySourceOutput{Body: src}, nil
		})
}
