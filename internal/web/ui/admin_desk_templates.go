package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
)

// deskTemplatesIndexPage lists the establishments whose templates the
// administrator may edit.
type deskTemplatesIndexPage struct {
	adminBase
	Establishments []org.Unit
}

// deskTemplatesPage is an establishment's reply templates, the form that
// adds or changes one, and the placeholders documented.
type deskTemplatesPage struct {
	adminBase
	Establishment org.Unit
	Templates     []desk.Template
	Form          desk.Template
	Placeholders  []string
}

func (s *server) adminDeskTemplatesIndex(w http.ResponseWriter, r *http.Request) {
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := deskTemplatesIndexPage{adminBase: s.adminPage(r, "deskadmin.templates", "desk_templates")}
	for _, u := range units {
		if u.ParentID == "" {
			p.Establishments = append(p.Establishments, u)
		}
	}
	if len(p.Establishments) == 1 {
		http.Redirect(w, r, "/admin/desk/templates/"+p.Establishments[0].Code, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "admin_desk_templates_index", "", p)
}

func (s *server) adminDeskTemplates(w http.ResponseWriter, r *http.Request) {
	form := desk.Template{Active: true}
	if id := r.URL.Query().Get("edit"); id != "" {
		t, err := s.Desk.Template(r.Context(), core.ActorFrom(r.Context()), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form = t
	}
	s.showDeskTemplates(w, r, http.StatusOK, form, "", nil)
}

// deskEstablishment returns the establishment of the path's code when it
// is in the agent's scope.
func (s *server) deskEstablishment(r *http.Request) (org.Unit, error) {
	u, err := s.Orgs.UnitByCode(r.Context(), r.PathValue("code"))
	if err != nil || u.ParentID != "" || !core.ActorFrom(r.Context()).Scope.Contains(u.ID) {
		return org.Unit{}, core.Errorf(core.NotFound, "establishment %s not found", r.PathValue("code"))
	}
	return u, nil
}

func (s *server) showDeskTemplates(w http.ResponseWriter, r *http.Request, status int, form desk.Template, msg string, fields core.Fields) {
	est, err := s.deskEstablishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Desk.EstablishmentTemplates(r.Context(), core.ActorFrom(r.Context()), est.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := deskTemplatesPage{adminBase: s.adminPage(r, "deskadmin.templates", "desk_templates"), Establishment: est,
		Templates: list, Form: form, Placeholders: desk.Placeholders}
	p.Title = p.T("deskadmin.templates") + " · " + est.Name
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_desk_templates", "", p)
}

func (s *server) adminDeskTemplateSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	est, err := s.deskEstablishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	local := core.Fields{}
	in := desk.Template{ID: r.FormValue("id"), EstablishmentID: est.ID, Name: r.FormValue("name"), Body: r.FormValue("body"),
		Position: formInt(r, "position", local), Active: r.FormValue("active") == "on"}
	if err := local.Err(); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) { s.showDeskTemplates(w, r, status, in, msg, fields) })
		return
	}
	if _, err := s.Desk.SaveTemplate(ctx, core.ActorFrom(ctx), in); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) { s.showDeskTemplates(w, r, status, in, msg, fields) })
		return
	}
	p := s.newPage(r, "deskadmin.templates")
	s.redirect(w, r, "/admin/desk/templates/"+est.Code, p.T("admin.saved"))
}

func (s *server) adminDeskTemplateDelete(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	est, err := s.deskEstablishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Desk.DeleteTemplate(ctx, core.ActorFrom(ctx), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "deskadmin.templates")
	s.redirect(w, r, "/admin/desk/templates/"+est.Code, p.T("deskadmin.template_deleted"))
}

// placeholderText writes a placeholder as an agent types it.
func placeholderText(name string) string { return "{{" + strings.TrimSpace(name) + "}}" }

func init() { funcs["placeholder"] = placeholderText }
