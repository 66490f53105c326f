package ui

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
)

// deskFormsPage lists the web forms and holds the form that adds one or
// changes one (Editing), with its public address and snippets.
type deskFormsPage struct {
	adminBase
	Forms      []desk.Form
	Units      []org.Unit
	Form       desk.Form
	Editing    bool
	FormFields []string
	Base       string // this server's address, for the public URLs
	Script     string // the embeddable snippet of the edited form
	PlainHTML  string // the plain HTML snippet of the edited form
}

func (s *server) adminDeskForms(w http.ResponseWriter, r *http.Request) {
	form := desk.Form{Active: true, Fields: []string{desk.FieldPhone, desk.FieldAttachments}}
	editing := false
	if id := r.URL.Query().Get("edit"); id != "" {
		f, err := s.Desk.Form(r.Context(), core.ActorFrom(r.Context()), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form, editing = f, true
	}
	s.showDeskForms(w, r, http.StatusOK, form, editing, "", nil)
}

func (s *server) showDeskForms(w http.ResponseWriter, r *http.Request, status int, form desk.Form, editing bool, msg string, fields core.Fields) {
	ctx := r.Context()
	list, err := s.Desk.Forms(ctx, core.ActorFrom(ctx))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := deskFormsPage{adminBase: s.adminPage(r, "deskadmin.forms", "desk_forms"), Forms: list, Units: units, Form: form,
		Editing: editing, FormFields: desk.FormFields, Base: s.baseURL(r)}
	if editing {
		p.Script = fmt.Sprintf("<div id=\"rapport-form-%s\"></div>\n<script src=\"%s/forms/%s/embed.js\" defer></script>",
			form.Code, p.Base, form.Code)
		p.PlainHTML = plainFormSnippet(p.page, p.Base, form)
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_desk_forms", "", p)
}

// baseURL is the address browsers reach this server at.
func (s *server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// plainFormSnippet is a web form as plain HTML for another site: it posts
// to the public address, which answers with the confirmation page.
func plainFormSnippet(p page, base string, f desk.Form) string {
	var b strings.Builder
	field := func(name, typ, label string, required bool) {
		req := ""
		if required {
			req = " required"
		}
		fmt.Fprintf(&b, "  <p><label for=\"rf-%s\">%s</label><br>\n    <input id=\"rf-%s\" name=\"%s\" type=\"%s\"%s></p>\n",
			name, html.EscapeString(label), name, name, typ, req)
	}
	fmt.Fprintf(&b, "<form action=\"%s/forms/%s\" method=\"post\" enctype=\"multipart/form-data\">\n", base, f.Code)
	field("name", "text", p.T("webform.name"), true)
	field("email", "email", p.T("webform.email"), true)
	if f.Has(desk.FieldPhone) {
		field("phone", "tel", p.T("webform.phone"), false)
	}
	field("subject", "text", p.T("webform.subject"), true)
	fmt.Fprintf(&b, "  <p><label for=\"rf-message\">%s</label><br>\n    <textarea id=\"rf-message\" name=\"message\" rows=\"6\" required></textarea></p>\n",
		html.EscapeString(p.T("webform.message")))
	if f.Has(desk.FieldAttachments) {
		fmt.Fprintf(&b, "  <p><label for=\"rf-attachments\">%s</label><br>\n    <input id=\"rf-attachments\" name=\"attachments\" type=\"file\" multiple></p>\n",
			html.EscapeString(p.T("webform.attachments")))
	}
	b.WriteString("  <p aria-hidden=\"true\" style=\"position:absolute;left:-10000px\"><input name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></p>\n")
	fmt.Fprintf(&b, "  <p><button type=\"submit\">%s</button></p>\n</form>", html.EscapeString(p.T("webform.send")))
	return b.String()
}

func (s *server) adminDeskFormSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.BadRequest, "unreadable form"))
		return
	}
	in := desk.Form{ID: r.FormValue("id"), Code: r.FormValue("code"), UnitCode: r.FormValue("unit_code"), Name: r.FormValue("name"),
		Confirmation: r.FormValue("confirmation"), Fields: r.Form["fields"], Active: r.FormValue("active") == "on"}
	if in.Fields == nil {
		in.Fields = []string{}
	}
	saved, err := s.Desk.SaveForm(ctx, core.ActorFrom(ctx), in)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			if u, err := s.Orgs.UnitByCode(ctx, in.UnitCode); err == nil {
				in.UnitID = u.ID
			}
			s.showDeskForms(w, r, status, in, in.ID != "", msg, fields)
		})
		return
	}
	p := s.newPage(r, "deskadmin.forms")
	s.redirect(w, r, "/admin/desk/forms?edit="+saved.ID, p.T("admin.saved"))
}
