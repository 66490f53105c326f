package api

import (
	"time"

	"github.com/rapport-crm/rapport/internal/leads"
)

// leadAgentJSON is the agent a lead is assigned to; null while it waits.
type leadAgentJSON struct {
	_     struct{} `nullable:"true"`
	Login string   `json:"login"`
	Name  string   `json:"name"`
}

// leadJSON is a lead as the API shows it.
type leadJSON struct {
	ID              string         `json:"id"`
	UnitCode        string         `json:"unit_code" doc:"The unit it was routed to: its scope"`
	UnitName        string         `json:"unit_name"`
	PartyID         string         `json:"party_id" doc:"The party matched by email or phone, or the prospect created"`
	PartyName       string         `json:"party_name"`
	Channel         string         `json:"channel" enum:"api,form,manual"`
	Source          string         `json:"source"`
	SourceGroup     string         `json:"source_group"`
	ExternalID      string         `json:"external_id"`
	ReceivedAt      time.Time      `json:"received_at"`
	ClockStartAt    time.Time      `json:"clock_start_at" doc:"The receipt, or the unit's next opening when it arrived outside business hours"`
	FirstName       string         `json:"first_name"`
	LastName        string         `json:"last_name"`
	Email           string         `json:"email"`
	Phone           string         `json:"phone" doc:"E.164"`
	PostalCode      string         `json:"postal_code"`
	Product         string         `json:"product"`
	Message         string         `json:"message"`
	Status          string         `json:"status" enum:"new,assigned,answered,closed" doc:"new: waiting for an available agent"`
	Route           string         `json:"route" enum:"rule,unit,default"`
	Rule            string         `json:"rule" doc:"How it was routed: \"rule 2: source=… product=…\", \"unit\" or \"default\""`
	Assignee        *leadAgentJSON `json:"assignee"`
	AssignedAt      *time.Time     `json:"assigned_at"`
	AssignedBy      string         `json:"assigned_by" doc:"round_robin, manual, or \"\" while waiting"`
	FirstResponseAt *time.Time     `json:"first_response_at"`
	ResponseMinutes *int64         `json:"response_minutes" doc:"Business minutes from clock_start_at to the first response"`
	ResponseKind    string         `json:"response_kind"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

func toLeadJSON(l leads.Lead) leadJSON {
	out := leadJSON{ID: l.ID, UnitCode: l.UnitCode, UnitName: l.UnitName, PartyID: l.PartyID, PartyName: l.PartyName,
		Channel: l.Channel, Source: l.Source, SourceGroup: l.SourceGroup, ExternalID: l.ExternalID,
		ReceivedAt: l.ReceivedAt, ClockStartAt: l.ClockStartAt, FirstName: l.FirstName, LastName: l.LastName,
		Email: l.Email, Phone: l.Phone, PostalCode: l.PostalCode, Product: l.Product, Message: l.Message,
		Status: l.Status, Route: l.Route, Rule: l.RouteName(), Assignee: leadAgent(l.Assignee), AssignedAt: l.AssignedAt,
		AssignedBy: l.AssignedBy, FirstResponseAt: l.FirstResponseAt, ResponseMinutes: l.ResponseMinutes,
		ResponseKind: l.ResponseKind, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
	return out
}

func leadAgent(a *leads.AgentRef) *leadAgentJSON {
	if a == nil {
		return nil
	}
	return &leadAgentJSON{Login: a.Login, Name: a.Name}
}

// leadCreatedJSON is the answer to a lead posted: where it went.
type leadCreatedJSON struct {
	ID       string         `json:"id"`
	PartyID  string         `json:"party_id"`
	Assignee *leadAgentJSON `json:"assignee" doc:"null when no agent of the unit is available: the lead waits and is assigned when one is"`
	Rule     string         `json:"rule" doc:"\"rule 2: source=… product=…\", \"unit\" (the unit_code sent) or \"default\" (the establishment)"`
}

// leadRuleJSON is one distribution rule as stored.
type leadRuleJSON struct {
	Position         int    `json:"position" doc:"1, 2, …: the first rule whose criteria all match wins"`
	Source           string `json:"source"`
	Product          string `json:"product"`
	PostalCodePrefix string `json:"postal_code_prefix"`
	UnitCode         string `json:"unit_code"`
}

// leadRuleInputJSON is one distribution rule as an administrator writes it.
type leadRuleInputJSON struct {
	Source           string `json:"source,omitempty" maxLength:"100" doc:"Exact source; empty matches any"`
	Product          string `json:"product,omitempty" maxLength:"100" doc:"Exact product; empty matches any"`
	PostalCodePrefix string `json:"postal_code_prefix,omitempty" maxLength:"20" doc:"Prefix of the postal code; empty matches any"`
	UnitCode         string `json:"unit_code" maxLength:"100" doc:"A unit of the establishment"`
}

// absenceJSON is a period an agent receives no lead.
type absenceJSON struct {
	ID         string    `json:"id"`
	AgentLogin string    `json:"agent_login"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Note       string    `json:"note"`
}

func toAbsenceJSON(b leads.Absence) absenceJSON {
	return absenceJSON{ID: b.ID, AgentLogin: b.AgentLogin, StartsAt: b.StartsAt, EndsAt: b.EndsAt, Note: b.Note}
}
