package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// absenceDraft is the add form as typed.
type absenceDraft struct{ StartsAt, EndsAt, Note string }

// absencesPage is an agent's current and future absences (no lead is
// given to them meanwhile) and the form that adds one.
type absencesPage struct {
	adminBase
	Login    string // the agent chosen, "" before
	Agent    org.Agent
	Absences []leads.Absence
	Draft    absenceDraft
}

// adminAbsences shows the agent picker, and the chosen agent's absences.
func (s *server) adminAbsences(w http.ResponseWriter, r *http.Request) {
	s.showAbsences(w, r, http.StatusOK, strings.TrimSpace(r.URL.Query().Get("agent")), absenceDraft{}, "", nil)
}

func (s *server) showAbsences(w http.ResponseWriter, r *http.Request, status int, login string, draft absenceDraft,
	msg string, fields core.Fields) {
	ctx, actor := r.Context(), core.ActorFrom(r.Context())
	p := absencesPage{adminBase: s.adminPage(r, "absence.title", "absences"), Login: login, Draft: draft}
	if login != "" {
		a, err := s.Orgs.AgentByLogin(ctx, login)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if p.Absences, err = s.Leads.Absences(ctx, actor, login); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Agent = a
		p.Title = p.T("absence.title_of", "Name", a.Name)
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "lead_admin_absences", "", p)
}

// absencesURL is the absences page of the agent with login.
func absencesURL(login string) string { return "/admin/absences?agent=" + url.QueryEscape(login) }

// adminAbsenceAdd records an absence of the agent, the times typed in the
// administrator's time zone.
func (s *server) adminAbsenceAdd(w http.ResponseWriter, r *http.Request) {
	login := r.PathValue("login")
	draft := absenceDraft{StartsAt: r.FormValue("starts_at"), EndsAt: r.FormValue("ends_at"), Note: r.FormValue("note")}
	p := s.newPage(r, "absence.title")
	in := leads.AbsenceInput{Note: draft.Note}
	bad := core.Fields{}
	var ok bool
	if in.StartsAt, ok = parseDateTime(draft.StartsAt, p.leadZone()); !ok {
		bad.Add("starts_at", core.Because("date_time"))
	}
	if in.EndsAt, ok = parseDateTime(draft.EndsAt, p.leadZone()); !ok {
		bad.Add("ends_at", core.Because("date_time"))
	}
	err := bad.Err()
	if err == nil {
		_, err = s.Leads.AddAbsence(r.Context(), core.ActorFrom(r.Context()), login, in)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showAbsences(w, r, status, login, draft, msg, fields)
		})
		return
	}
	s.redirect(w, r, absencesURL(login), p.T("absence.added"))
}

// adminAbsenceRemove deletes an absence of the agent.
func (s *server) adminAbsenceRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.Leads.RemoveAbsence(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "absence.title")
	s.redirect(w, r, absencesURL(r.PathValue("login")), p.T("absence.removed"))
}
