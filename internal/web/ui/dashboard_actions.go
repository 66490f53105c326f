package ui

import (
	"net/http"
	"strconv"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
)

// The dashboard's forms post here and go back to the home page with a
// message; a refused settings form is shown again, open, with its reasons.

// dashboardRoutes lists the dashboard's forms; any signed-in agent has a
// dashboard, each widget checking its own permission.
func (s *server) dashboardRoutes(mux *http.ServeMux) {
	mux.Handle("POST /dashboard/widgets", s.signedIn("", s.widgetAdd))
	mux.Handle("POST /dashboard/widgets/{id}/move", s.signedIn("", s.widgetMove))
	mux.Handle("POST /dashboard/widgets/{id}/settings", s.signedIn("", s.widgetConfigure))
	mux.Handle("POST /dashboard/widgets/{id}/remove", s.signedIn("", s.widgetRemove))
}

// formSettings reads the settings posted, under the names any kind takes
// (the store refuses those the widget's kind does not).
func formSettings(r *http.Request) dashboard.Settings {
	out := dashboard.Settings{}
	for _, names := range dashboard.SettingNames {
		for _, name := range names {
			if v, ok := r.PostForm[name]; ok && len(v) > 0 {
				out[name] = v[0]
			}
		}
	}
	return out
}

// widgetAdd adds a widget of the kind chosen, at the end.
func (s *server) widgetAdd(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.Invalid, "unreadable form"))
		return
	}
	wd, err := s.Dashboard.Add(r.Context(), core.ActorFrom(r.Context()), r.PostForm.Get("kind"), formSettings(r))
	if core.ErrorCode(err) == core.Invalid {
		s.showHome(w, r, http.StatusUnprocessableEntity, func(p *homePage) {
			p.Open, p.Fields, p.Error = "add", fieldsOf(err), p.formMessage(err)
		})
		return
	}
	s.widgetAnswer(w, r, err, "dash.added", wd)
}

// widgetMove puts a widget at the position posted (its neighbour's).
func (s *server) widgetMove(w http.ResponseWriter, r *http.Request) {
	position, err := strconv.Atoi(r.FormValue("position"))
	if err != nil {
		position = 0 // refused by the store as out of range
	}
	wd, err := s.Dashboard.Move(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), position)
	s.widgetAnswer(w, r, err, "dash.moved", wd)
}

// widgetConfigure saves a widget's settings.
func (s *server) widgetConfigure(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.Invalid, "unreadable form"))
		return
	}
	actor, id := core.ActorFrom(r.Context()), r.PathValue("id")
	settings := formSettings(r)
	wd, err := s.Dashboard.Configure(r.Context(), actor, id, settings)
	if core.ErrorCode(err) == core.Invalid {
		s.showHome(w, r, http.StatusUnprocessableEntity, func(p *homePage) {
			p.Open, p.Fields, p.Error, p.Typed = id, fieldsOf(err), p.formMessage(err), settings
		})
		return
	}
	s.widgetAnswer(w, r, err, "dash.configured", wd)
}

// widgetRemove takes a widget off the dashboard.
func (s *server) widgetRemove(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	id := r.PathValue("id")
	layout, err := s.Dashboard.Widgets(r.Context(), actor)
	var removed dashboard.Widget
	for _, wd := range layout.Widgets {
		if wd.ID == id {
			removed = wd
		}
	}
	if err == nil {
		err = s.Dashboard.Remove(r.Context(), actor, id)
	}
	s.widgetAnswer(w, r, err, "dash.removed", removed)
}

// widgetAnswer goes back to the home page, at the widget changed, with a
// message naming it; a widget gone meanwhile (another tab) is said so.
func (s *server) widgetAnswer(w http.ResponseWriter, r *http.Request, err error, flashID string, wd dashboard.Widget) {
	p := s.newPage(r, "home.title")
	switch code := core.ErrorCode(err); code {
	case "":
		to := "/"
		if flashID != "dash.removed" {
			to += "#w-" + wd.ID
		}
		s.redirect(w, r, to, p.T(flashID, "Widget", p.T(widgetKindKeys+wd.Kind)))
	case core.NotFound, core.Invalid:
		s.redirect(w, r, "/", p.T("dash.gone"))
	default:
		s.fail(w, r, err)
	}
}
