package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// deskAdminRoutes lists the desk's administration pages (desk.admin):
// mailboxes, web forms, reply templates and targets.
func (s *server) deskAdminRoutes(mux *http.ServeMux) {
	da := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermDeskAdmin, h) }
	mux.Handle("GET /admin/desk", da(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/desk/mailboxes", http.StatusSeeOther)
	}))
	mux.Handle("GET /admin/desk/mailboxes", da(s.adminDeskMailboxes))
	mux.Handle("GET /admin/desk/mailboxes/new", da(s.adminDeskMailboxNew))
	mux.Handle("POST /admin/desk/mailboxes", da(s.adminDeskMailboxSave))
	mux.Handle("GET /admin/desk/mailboxes/{id}", da(s.adminDeskMailbox))
	mux.Handle("POST /admin/desk/mailboxes/{id}", da(s.adminDeskMailboxSave))
	mux.Handle("POST /admin/desk/mailboxes/{id}/test", da(s.adminDeskMailboxTest))
	mux.Handle("GET /admin/desk/forms", da(s.adminDeskForms))
	mux.Handle("POST /admin/desk/forms", da(s.adminDeskFormSave))
	mux.Handle("GET /admin/desk/templates", da(s.adminDeskTemplatesIndex))
	mux.Handle("GET /admin/desk/templates/{code}", da(s.adminDeskTemplates))
	mux.Handle("POST /admin/desk/templates/{code}", da(s.adminDeskTemplateSave))
	mux.Handle("POST /admin/desk/templates/{code}/{id}/delete", da(s.adminDeskTemplateDelete))
	mux.Handle("GET /admin/desk/targets", da(s.adminDeskTargets))
	mux.Handle("POST /admin/desk/targets/{code}", da(s.adminDeskTargetsSave))
}

// scopeUnits lists the units in the agent's scope, in tree order.
func (s *server) scopeUnits(r *http.Request) ([]org.Unit, error) {
	all, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		return nil, err
	}
	actor := core.ActorFrom(r.Context())
	out := make([]org.Unit, 0, len(all))
	for _, u := range all {
		if actor.Scope.Contains(u.ID) {
			out = append(out, u)
		}
	}
	return out, nil
}

// unitByCodeIn returns the unit of code among units, ok false when absent.
func unitByCodeIn(units []org.Unit, code string) (org.Unit, bool) {
	for _, u := range units {
		if u.Code == code {
			return u, true
		}
	}
	return org.Unit{}, false
}

// formInt reads a whole number typed in a form field; a wrong one is
// named in fields and read as 0.
func formInt(r *http.Request, name string, fields core.Fields) int {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		fields.Add(name, core.Because("whole_number"))
		return 0
	}
	return n
}
