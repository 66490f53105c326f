package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// contactTypePage is the form of a contact type.
type contactTypePage struct {
	adminBase
	Establishment   org.Unit
	Form            cases.ContactType
	Position        string
	TemplateJSON    string
	Editing         bool // an existing code, which stays as it is
	Classifications []cases.Classification
}

// Media are the media a contact type may name.
func (contactTypePage) Media() []string { return cases.Media }

// TemplateErrors are the refusal's reasons inside the template's JSON.
func (p contactTypePage) TemplateErrors() []string { return p.defErrors("template") }

func (s *server) adminContactTypeNew(w http.ResponseWriter, r *http.Request) {
	s.showContactType(w, r, http.StatusOK, contactTypePage{Form: cases.ContactType{Active: true}, Position: "0",
		TemplateJSON: prettyJSON(cases.Template{Interlocutors: []cases.TemplateParty{{From: cases.FromCurrentParty}},
			Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleEmitter}}, Objects: []cases.TemplateObject{}})}, "", nil)
}

func (s *server) adminContactType(w http.ResponseWriter, r *http.Request) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Cases.ContactTypes(r.Context(), core.ActorFrom(r.Context()), est.ID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range list {
		if t.Code == r.PathValue("def") {
			s.showContactType(w, r, http.StatusOK, contactTypePage{Form: t, Editing: true, Position: strconv.Itoa(t.Position),
				TemplateJSON: templateJSON(t.Template)}, "", nil)
			return
		}
	}
	s.fail(w, r, core.Errorf(core.NotFound, "contact type %s not found", r.PathValue("def")))
}

// showContactType renders the form, with a refusal's message and
// reasons when msg is set.
func (s *server) showContactType(w http.ResponseWriter, r *http.Request, status int, p contactTypePage, msg string, fields core.Fields) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.adminBase, p.Establishment = s.adminPage(r, "casesadmin.contact_type", "cases"), est
	p.Error, p.Fields = msg, fields
	if p.Classifications, err = s.Cases.Classifications(r.Context(), core.ActorFrom(r.Context()), est.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_cases_type", "", p)
}

func (s *server) adminContactTypeSave(w http.ResponseWriter, r *http.Request) {
	p := contactTypePage{Form: cases.ContactType{Code: strings.TrimSpace(r.FormValue("code")), NameFR: r.FormValue("name"),
		NameEN: r.FormValue("name_en"), Medium: r.FormValue("medium"), Reason: r.FormValue("reason"),
		Classification: r.FormValue("classification")}, Position: r.FormValue("position"),
		TemplateJSON: r.FormValue("template"), Editing: r.FormValue("editing") == "1"}
	f := core.Fields{}
	p.Form.Position = readInt(f, "position", p.Position)
	readJSON(f, "template", p.TemplateJSON, &p.Form.Template)
	err := f.Err()
	if err == nil {
		_, err = s.Cases.SaveContactType(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"), p.Form)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showContactType(w, r, status, p, msg, fields)
		})
		return
	}
	s.redirect(w, r, "/admin/cases/"+r.PathValue("code")+"#contact-types", s.newPage(r, "").T("admin.saved"))
}

// readInt reads a whole number typed in a form field ("" is 0).
func readInt(f core.Fields, field, typed string) int {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0
	}
	n, err := strconv.Atoi(typed)
	if err != nil {
		f.Add(field, core.Because("whole_number"))
	}
	return n
}
