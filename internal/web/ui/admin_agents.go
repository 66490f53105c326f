package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

type agentsPage struct {
	adminBase
	Filter    org.AgentFilter
	Agents    []org.Agent
	Units     []org.Unit
	NextQuery string
}

type agentFormPage struct {
	adminBase
	Agent org.Agent
	IsNew bool
	Units []org.Unit
	Roles []org.Role
	// Alerts are where the agent's lead alerts go (admin_agent_alerts.go).
	Alerts *leads.AlertSettings
}

// HasRole reports whether the agent on the form holds role, for checkboxes.
func (p agentFormPage) HasRole(code string) bool { return slices.Contains(p.Agent.Roles, code) }

// InScope reports whether the unit is one of the agent's extra scope units.
func (p agentFormPage) InScope(code string) bool {
	return slices.Contains(p.Agent.ScopeUnitCodes, code)
}

func (s *server) adminAgents(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := org.AgentFilter{Query: strings.TrimSpace(r.FormValue("q")), UnitCode: r.FormValue("unit"),
		IncludeInactive: r.FormValue("inactive") == "on", Cursor: r.FormValue("cursor")}
	agents, next, err := s.Orgs.ListAgents(ctx, core.ActorFrom(ctx), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Orgs.ListUnits(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := agentsPage{adminBase: s.adminPage(r, "admin.agents", "agents"), Filter: f, Agents: agents, Units: units}
	p.NextQuery = nextQuery(r, next)
	s.render(w, r, http.StatusOK, "admin_agents", "", p)
}

func (s *server) adminAgentNew(w http.ResponseWriter, r *http.Request) {
	s.showAgentForm(w, r, http.StatusOK, org.Agent{Roles: []string{"advisor"}, Locale: "fr", Active: true}, true, "", nil)
}

func (s *server) adminAgent(w http.ResponseWriter, r *http.Request) {
	a, err := s.Orgs.AgentByLogin(r.Context(), r.PathValue("login"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showAgentForm(w, r, http.StatusOK, a, false, "", nil)
}

func (s *server) showAgentForm(w http.ResponseWriter, r *http.Request, status int, a org.Agent, isNew bool, msg string, fields core.Fields) {
	units, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	roles, err := s.Orgs.ListRoles(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "admin.agent"
	if isNew {
		title = "admin.new_agent"
	}
	p := agentFormPage{adminBase: s.adminPage(r, title, "agents"), Agent: a, IsNew: isNew, Units: units, Roles: roles}
	p.Alerts = s.agentAlertsFor(r, a, isNew)
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_agent", "", p)
}

// agentFromForm reads the agent form; the password is returned apart as it
// is never shown again.
func agentFromForm(r *http.Request) (org.Agent, string) {
	r.ParseForm()
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	a := org.Agent{Login: f("login"), Name: f("name"), Initials: f("initials"), Email: f("email"),
		UnitCode: f("unit_code"), Locale: f("locale"), Roles: r.Form["roles"], ScopeUnitCodes: r.Form["scope"]}
	if a.Roles == nil {
		a.Roles = []string{}
	}
	if a.ScopeUnitCodes == nil {
		a.ScopeUnitCodes = []string{}
	}
	return a, r.FormValue("password")
}

func (s *server) adminAgentCreate(w http.ResponseWriter, r *http.Request) {
	a, password := agentFromForm(r)
	a.Active = true
	_, err := s.Orgs.CreateAgent(r.Context(), core.ActorFrom(r.Context()), org.AgentInput{Login: a.Login, Name: a.Name,
		Initials: a.Initials, Email: a.Email, UnitCode: a.UnitCode, Roles: a.Roles, ScopeUnitCodes: a.ScopeUnitCodes,
		Password: password, Locale: a.Locale})
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showAgentForm(w, r, status, a, true, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.agents")
	s.redirect(w, r, "/admin/agents/"+a.Login, p.T("admin.agent_created"))
}

func (s *server) adminAgentUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	login := r.PathValue("login")
	old, err := s.Orgs.AgentByLogin(ctx, login)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, password := agentFromForm(r)
	a.Login, a.Active, a.ID = login, old.Active, old.ID
	up := org.AgentUpdate{Name: &a.Name, Initials: &a.Initials, Email: &a.Email, UnitCode: &a.UnitCode,
		Locale: &a.Locale, Roles: &a.Roles, ScopeUnitCodes: &a.ScopeUnitCodes}
	if password != "" {
		up.Password = &password
	}
	if _, err := s.Orgs.UpdateAgent(ctx, core.ActorFrom(ctx), login, up); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showAgentForm(w, r, status, a, false, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.agent")
	s.redirect(w, r, "/admin/agents/"+login, p.T("admin.saved"))
}

// adminAgentActive deactivates an agent (who keeps their name on what they
// did but can no longer sign in) or reactivates them.
func (s *server) adminAgentActive(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	login := r.PathValue("login")
	active := r.FormValue("active") == "true"
	if _, err := s.Orgs.UpdateAgent(ctx, core.ActorFrom(ctx), login, org.AgentUpdate{Active: &active}); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.agent")
	msg := p.T("admin.agent_deactivated")
	if active {
		msg = p.T("admin.agent_reactivated")
	}
	s.redirect(w, r, "/admin/agents/"+login, msg)
}
