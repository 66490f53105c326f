// Package dashboard is the agent's home page as a workspace: widgets each
// agent adds, orders, configures and removes (dashboard_widgets; the
// default set for their permissions until their first change), each
// counting in the agent's scope through the store of its list (leads, desk,
// cases, history), and the customers the agent consulted last
// (agent_recent_parties), read under the party scope so that a customer
// moved out of it disappears.
//
// The layout is personal: its writes run in transactions but leave no
// audit entry.
package dashboard

import (
	"log/slog"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// The kinds of widgets.
const (
	KindMyTasks         = "my_tasks"         // my tasks due today and overdue → /activity
	KindMyRequests      = "my_requests"      // my open requests on the desk, unread ones → /desk?view=mine
	KindMyLeads         = "my_leads"         // my leads not answered yet, the oldest → /leads?tab=mine
	KindLeadResponse    = "lead_response"    // leads received, answered, average response time → /leads/report
	KindOrphanReports   = "orphan_reports"   // meeting reports to attach → /reports/orphans
	KindRecentCustomers = "recent_customers" // the customers I consulted last → their 360° pages
	KindSatisfaction    = "satisfaction"     // survey response rate, average score, NPS over 90 days → /surveys/report
)

// SatisfactionWindow is the period the satisfaction widget counts.
const SatisfactionWindow = 90 * 24 * time.Hour

// Kinds lists them in the order the "add a widget" form offers them.
var Kinds = []string{KindMyTasks, KindMyRequests, KindMyLeads, KindLeadResponse, KindOrphanReports, KindRecentCustomers,
	KindSatisfaction}

// DefaultKinds is the dashboard of an agent who has not changed theirs,
// less the widgets their permissions do not offer.
var DefaultKinds = []string{KindMyTasks, KindMyRequests, KindMyLeads, KindLeadResponse, KindRecentCustomers}

// Repeatable kinds may be on a dashboard more than once, each with its own
// settings (the response time of two source groups side by side).
var Repeatable = []string{KindLeadResponse}

// The dashboard's sizes.
const (
	MaxWidgets     = 12 // widgets on one dashboard
	MaxRecent      = 50 // recent customers kept per agent
	ItemsPerWidget = 5  // lines a list widget shows
)

// Offered reports whether the actor's permissions offer a widget of kind.
func Offered(actor *core.Actor, kind string) bool {
	switch kind {
	case KindMyTasks:
		return actor.Can(core.PermCaseManage)
	case KindMyRequests:
		return actor.Can(core.PermRequestRead)
	case KindMyLeads, KindLeadResponse:
		return actor.Can(core.PermLeadWork)
	case KindOrphanReports:
		return actor.Can(core.PermReportWrite) || actor.Can(core.PermReportReview)
	case KindRecentCustomers:
		return actor.Can(core.PermPartyRead)
	case KindSatisfaction:
		return actor.Can(core.PermSurveyResults)
	}
	return false
}

// OfferedKinds lists the kinds the actor may have, in Kinds order.
func OfferedKinds(actor *core.Actor) []string {
	out := []string{}
	for _, k := range Kinds {
		if Offered(actor, k) {
			out = append(out, k)
		}
	}
	return out
}

// Widget is one widget of an agent's dashboard.
type Widget struct {
	ID       string   `json:"id"`   // the kind itself for a default widget not yet stored
	Kind     string   `json:"kind"` // one of Kinds
	Position int      `json:"position"`
	Settings Settings `json:"settings"`
}

// Layout is an agent's widgets in order, with the kinds they may still add.
type Layout struct {
	Widgets []Widget `json:"widgets"`
	Default bool     `json:"default"` // the default set: the agent has not changed it
	Addable []string `json:"addable"` // kinds offered and not present (repeatable ones always, below MaxWidgets)
}

// addable lists the kinds the actor may still add to widgets.
func addable(actor *core.Actor, widgets []Widget) []string {
	out := []string{}
	if len(widgets) >= MaxWidgets {
		return out
	}
	for _, k := range OfferedKinds(actor) {
		present := slices.ContainsFunc(widgets, func(w Widget) bool { return w.Kind == k })
		if !present || slices.Contains(Repeatable, k) {
			out = append(out, k)
		}
	}
	return out
}

// Store keeps the dashboards and reads their figures.
type Store struct {
	db      *db.DB
	clock   core.Clock
	orgs    *org.Store
	leads   *leads.Store
	desk    *desk.Store
	cases   *cases.Store
	history *history.Store
	surveys *surveys.Store
	logger  *slog.Logger
}

// Deps are what the store needs: the stores whose lists the widgets count.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Orgs    *org.Store
	Leads   *leads.Store
	Desk    *desk.Store
	Cases   *cases.Store
	History *history.Store
	Surveys *surveys.Store // the satisfaction widget's figures
	Logger  *slog.Logger
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, orgs: d.Orgs, leads: d.Leads, desk: d.Desk, cases: d.Cases,
		history: d.History, surveys: d.Surveys, logger: d.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}
