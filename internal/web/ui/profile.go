package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
)

// profilePage is the signed-in agent's own page: their language and how
// they are alerted of the leads assigned to them.
type profilePage struct {
	page
	Alerts    *leads.AlertSettings // nil without lead.work
	AlertKeys []string             // the choices in display order
}

// Chosen reports whether the alert choice key (popup, sound, …) is on.
func (p profilePage) Chosen(key string) bool {
	if p.Alerts == nil {
		return false
	}
	c := p.Alerts.AlertChoices
	return map[string]bool{"popup": c.Popup, "sound": c.Sound, "flash": c.Flash, "email": c.Email, "sms": c.SMS}[key]
}

var alertKeys = []string{"popup", "sound", "flash", "email", "sms"}

// profileRoutes lists the agent's own pages.
func (s *server) profileRoutes(mux *http.ServeMux) {
	mux.Handle("GET /profile", s.signedIn("", s.profile))
	mux.Handle("POST /profile/lead-alerts", s.signedIn(core.PermLeadWork, s.profileAlertsSave))
}

func (s *server) profile(w http.ResponseWriter, r *http.Request) {
	s.showProfile(w, r, http.StatusOK, nil, "", nil)
}

// showProfile renders the profile; chosen, when set, are the choices the
// agent posted (shown again with their refusal).
func (s *server) showProfile(w http.ResponseWriter, r *http.Request, status int, chosen *leads.AlertChoices, msg string, fields core.Fields) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	p := profilePage{page: s.newPage(r, "profile.title"), AlertKeys: alertKeys}
	p.Current = "profile"
	if actor.Can(core.PermLeadWork) && actor.AgentID != "" {
		st, err := s.Leads.MyAlerts(ctx, actor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if chosen != nil {
			st.AlertChoices = *chosen
		}
		p.Alerts = &st
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "profile", "", p)
}

func (s *server) profileAlertsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c := leads.AlertChoices{Popup: r.FormValue("popup") == "on", Sound: r.FormValue("sound") == "on",
		Flash: r.FormValue("flash") == "on", Email: r.FormValue("email") == "on", SMS: r.FormValue("sms") == "on"}
	if _, err := s.Leads.SaveMyAlerts(ctx, core.ActorFrom(ctx), c); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showProfile(w, r, status, &c, msg, fields)
		})
		return
	}
	p := s.newPage(r, "profile.title")
	s.redirect(w, r, "/profile", p.T("profile.alerts_saved"))
}
