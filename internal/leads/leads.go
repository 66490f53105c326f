package leads

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/outbox"
	"github.com/rapport-crm/rapport/internal/party"
)

// The statuses of a lead.
const (
	StatusNew      = "new"      // not assigned yet: no agent of its unit was available
	StatusAssigned = "assigned" // an agent has it and has not answered yet
	StatusAnswered = "answered" // its first response is recorded
	StatusClosed   = "closed"   // finished (won, lost or dropped)
)

// Statuses lists them in display order.
var Statuses = []string{StatusNew, StatusAssigned, StatusAnswered, StatusClosed}

// The channels a lead arrives by.
const (
	ChannelAPI    = "api"
	ChannelForm   = "form"
	ChannelManual = "manual"
)

// How a lead found its unit.
const (
	RouteRule    = "rule"    // a distribution rule matched (Lead.RouteRule is its position)
	RouteUnit    = "unit"    // the sender named the unit (unit_code)
	RouteDefault = "default" // nothing matched: the establishment itself
)

// How a lead found its agent.
const (
	AssignedRoundRobin = "round_robin"
	AssignedManual     = "manual"
)

// The kinds of activity that answer a lead.
const (
	KindEmail       = "email"
	KindCall        = "call"
	KindMailing     = "mailing"
	KindAppointment = "appointment"
	KindTask        = "task"
	KindSMS         = "sms"
)

// ActivityKinds lists them in display order.
var ActivityKinds = []string{KindEmail, KindCall, KindMailing, KindAppointment, KindTask, KindSMS}

// Where a recorded activity comes from.
const (
	OriginAPI     = "api"     // POST /api/v1/leads/{id}/activities
	OriginDesk    = "desk"    // a desk reply sent on a request associated with the lead
	OriginHistory = "history" // an interaction (a call captured or logged) of the lead's party
	OriginTask    = "task"    // a task associated with the lead, completed
	OriginManual  = "manual"  // logged by an agent on the lead's page
)

// AgentRef is an agent as a lead names them.
type AgentRef struct {
	ID    string `json:"-"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// Lead is a prospect's request for a product.
type Lead struct {
	ID              string     `json:"id"`
	EstablishmentID string     `json:"-"`
	UnitID          string     `json:"-"`
	UnitCode        string     `json:"unit_code"`
	UnitName        string     `json:"unit_name"`
	PartyID         string     `json:"party_id"`
	PartyName       string     `json:"party_name"`
	Channel         string     `json:"channel"`
	Source          string     `json:"source"`
	SourceGroup     string     `json:"source_group"`
	ExternalID      string     `json:"external_id"`
	ReceivedAt      time.Time  `json:"received_at"`
	ClockStartAt    time.Time  `json:"clock_start_at"` // receipt, or the unit's next opening
	FirstName       string     `json:"first_name"`
	LastName        string     `json:"last_name"`
	Email           string     `json:"email"`
	Phone           string     `json:"phone"`
	PostalCode      string     `json:"postal_code"`
	Product         string     `json:"product"`
	Message         string     `json:"message"`
	Status          string     `json:"status"`
	Route           string     `json:"route"`
	RouteRule       int        `json:"route_rule,omitempty"` // position of the rule when Route is "rule"
	RouteLabel      string     `json:"route_label"`          // the rule's criteria when it routed
	Assignee        *AgentRef  `json:"assignee"`
	AssignedAt      *time.Time `json:"assigned_at"`
	AssignedBy      string     `json:"assigned_by"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	ResponseMinutes *int64     `json:"response_minutes"` // business minutes from ClockStartAt
	ResponseKind    string     `json:"response_kind"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Rule is one distribution rule of an establishment: a lead matching every
// non-empty criterion goes to Unit. Rules are tried in order.
type Rule struct {
	Position         int    `json:"position"`
	Source           string `json:"source"`
	Product          string `json:"product"`
	PostalCodePrefix string `json:"postal_code_prefix"`
	UnitID           string `json:"-"`
	UnitCode         string `json:"unit_code"`
}

// Activity is a completed activity recorded on a lead.
type Activity struct {
	ID          string    `json:"id"`
	LeadID      string    `json:"lead_id"`
	Kind        string    `json:"kind"`
	Automatic   bool      `json:"automatic"`
	Origin      string    `json:"origin"`
	RefID       string    `json:"ref_id"`
	Agent       *AgentRef `json:"agent"`
	CompletedAt time.Time `json:"completed_at"`
}

// Assigned is the event of a lead given to an agent, by round-robin or by a
// manager: the one moment its agent is alerted. Subscribers run inside the
// assignment's transaction, so an alert is queued with it or not at all.
type Assigned struct {
	Lead     Lead
	AgentID  string
	Previous string      // the agent it was taken from on a reassignment; "" otherwise
	By       *core.Actor // who reassigned; nil for round-robin
}

// Store keeps leads, their rules and activities.
type Store struct {
	db      *db.DB
	clock   core.Clock
	log     *audit.Log
	orgs    *org.Store
	parties *party.Store
	outbox  *outbox.Outbox
	bus     *events.Bus
	logger  *slog.Logger

	// OnAssigned is told of every assignment, inside its transaction (the
	// alerts subscribe).
	OnAssigned core.Subscribers[func(ctx context.Context, tx *db.Tx, a Assigned) error]
}

// Deps are what the store needs from the rest of the application.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Audit   *audit.Log
	Orgs    *org.Store
	Parties *party.Store
	Outbox  *outbox.Outbox // alert emails and SMS
	Events  *events.Bus    // live pop-ups
	Logger  *slog.Logger
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, parties: d.Parties, outbox: d.Outbox,
		bus: d.Events, logger: d.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}
