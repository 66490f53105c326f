package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
)

// leadDraft is a refused form of the lead page, shown again with what was typed.
type leadDraft struct {
	Form        string // "assign" or "activity"
	Agent       string
	Kind        string
	CompletedAt string
}

// leadPage is a lead with how it was routed and assigned, its activities
// and the forms that reassign it and log an activity.
type leadPage struct {
	page
	leadFormat
	Lead       leads.Lead
	Activities []leads.Activity
	Kinds      []string
	Draft      leadDraft
}

// RouteText says how the lead found its unit, in the page's language.
func (p leadPage) RouteText() string {
	l := p.Lead
	switch l.Route {
	case leads.RouteRule:
		return p.T("lead.route.rule", "N", l.RouteRule, "Criteria", l.RouteLabel)
	case leads.RouteUnit:
		return p.T("lead.route.unit")
	default:
		return p.T("lead.route.default")
	}
}

// ClockDiffers reports whether the response time is counted from a later
// moment than the receipt (received while the unit was closed).
func (p leadPage) ClockDiffers() bool { return p.Lead.ClockStartAt.After(p.Lead.ReceivedAt) }

// leadView shows a lead of the agent's scope.
func (s *server) leadView(w http.ResponseWriter, r *http.Request) {
	s.showLead(w, r, http.StatusOK, leadDraft{}, "", nil)
}

// showLead renders the lead page with status, a refused form shown again
// (draft) with its message and the reasons of its fields.
func (s *server) showLead(w http.ResponseWriter, r *http.Request, status int, draft leadDraft, msg string, fields core.Fields) {
	ctx, actor := r.Context(), core.ActorFrom(r.Context())
	l, err := s.Leads.Get(ctx, actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, err := s.Leads.Activities(ctx, actor, l.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := leadPage{page: s.newPage(r, "lead.title"), Lead: l, Activities: acts, Kinds: leads.ActivityKinds, Draft: draft}
	p.Current = "leads"
	p.Title = p.T("lead.title_of", "Name", leadFormat{}.Name(l))
	p.Error, p.Fields = msg, fields
	now := s.Clock.Now()
	p.leadFormat = leadFormat{page: &p.page, now: now, waits: s.waitingMinutes(ctx, []leads.Lead{l}, now)}
	s.render(w, r, status, "lead", "", p)
}

// leadRefused shows the lead page again with the refusal of a form, or
// the error page when the refusal is not about the form's fields.
func (s *server) leadRefused(w http.ResponseWriter, r *http.Request, err error, draft leadDraft) {
	s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
		s.showLead(w, r, status, draft, msg, fields)
	})
}

// leadAssign gives the lead to the agent typed in the picker (lead.assign).
func (s *server) leadAssign(w http.ResponseWriter, r *http.Request) {
	login := strings.TrimSpace(r.FormValue("agent"))
	id := r.PathValue("id")
	if login == "" {
		s.leadRefused(w, r, core.Fields{"agent": core.Required()}.Err(), leadDraft{Form: "assign"})
		return
	}
	l, err := s.Leads.Assign(r.Context(), core.ActorFrom(r.Context()), id, login)
	if err != nil {
		s.leadRefused(w, r, err, leadDraft{Form: "assign", Agent: login})
		return
	}
	p := s.newPage(r, "lead.title")
	name := login
	if l.Assignee != nil {
		name = l.Assignee.Name
	}
	s.redirect(w, r, "/leads/"+l.ID, p.T("lead.reassigned", "Name", name))
}

// leadActivity logs a completed activity on the lead: the first one is its
// response.
func (s *server) leadActivity(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "lead.title")
	draft := leadDraft{Form: "activity", Kind: r.FormValue("kind"), CompletedAt: r.FormValue("completed_at")}
	in := leads.ActivityInput{Kind: draft.Kind}
	if typed := strings.TrimSpace(draft.CompletedAt); typed != "" {
		at, ok := parseDateTime(typed, p.leadZone())
		if !ok {
			s.leadRefused(w, r, core.Fields{"completed_at": core.Because("date_time")}.Err(), draft)
			return
		}
		in.CompletedAt = &at
	}
	_, l, err := s.Leads.RecordActivity(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), in)
	if err != nil {
		s.leadRefused(w, r, err, draft)
		return
	}
	flash := p.T("lead.activity_logged")
	if l.ResponseMinutes != nil {
		flash = p.T("lead.activity_logged_response", "Delay", leadFormat{page: &p}.Response(l))
	}
	s.redirect(w, r, "/leads/"+l.ID+"#activities", flash)
}
