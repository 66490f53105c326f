package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// The cases' administration (/admin/cases): per establishment, its
// contact types, case classifications and action plans, each listed and
// edited by code. Names, medium, reason and plan steps are form fields; a
// template and a process are JSON the store checks field by field.

// adminCasesRoutes lists the pages; all need the admin permission.
func (s *server) adminCasesRoutes(mux *http.ServeMux) {
	if s.Cases == nil {
		return
	}
	admin := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermAdmin, h) }
	mux.Handle("GET /admin/cases", admin(s.adminCasesIndex))
	mux.Handle("GET /admin/cases/{code}", admin(s.adminCases))
	mux.Handle("GET /admin/cases/{code}/contact-types/new", admin(s.adminContactTypeNew))
	mux.Handle("GET /admin/cases/{code}/contact-types/{def}", admin(s.adminContactType))
	mux.Handle("POST /admin/cases/{code}/contact-types", admin(s.adminContactTypeSave))
	mux.Handle("GET /admin/cases/{code}/classifications/new", admin(s.adminClassificationNew))
	mux.Handle("GET /admin/cases/{code}/classifications/{def}", admin(s.adminClassification))
	mux.Handle("POST /admin/cases/{code}/classifications", admin(s.adminClassificationSave))
	mux.Handle("GET /admin/cases/{code}/plans/new", admin(s.adminPlanNew))
	mux.Handle("GET /admin/cases/{code}/plans/{def}", admin(s.adminPlan))
	mux.Handle("POST /admin/cases/{code}/plans", admin(s.adminPlanSave))
}

// adminCasesIndexPage lists the establishments whose definitions an
// administrator may edit.
type adminCasesIndexPage struct {
	adminBase
	Establishments []org.Unit
}

func (s *server) adminCasesIndex(w http.ResponseWriter, r *http.Request) {
	ests, err := s.Orgs.AdministeredEstablishments(r.Context(), core.ActorFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := adminCasesIndexPage{adminBase: s.adminPage(r, "casesadmin.title", "cases"), Establishments: ests}
	if len(p.Establishments) == 1 {
		http.Redirect(w, r, "/admin/cases/"+p.Establishments[0].Code, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "admin_cases_index", "", p)
}

// establishment is the establishment of the path's code when the
// administrator's scope holds it; NotFound otherwise.
func (s *server) establishment(r *http.Request) (org.Unit, error) {
	return s.Orgs.AdministeredEstablishment(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"))
}

// prettyJSON writes v indented for a textarea.
func prettyJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// templateJSON writes a template for its textarea, its empty lists as [].
func templateJSON(t cases.Template) string {
	if t.Interlocutors == nil {
		t.Interlocutors = []cases.TemplateParty{}
	}
	if t.Agents == nil {
		t.Agents = []cases.TemplateAgent{}
	}
	if t.Objects == nil {
		t.Objects = []cases.TemplateObject{}
	}
	return prettyJSON(t)
}

// readJSON decodes a textarea's JSON into v (an empty one leaves v as
// it is); unknown keys and bad syntax are the field's reason.
func readJSON(f core.Fields, field, text string, v any) {
	if strings.TrimSpace(text) == "" {
		return
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		f.Add(field, core.Because("schema", "detail", err.Error()))
	}
}

// defErrors are a refusal's reasons on the fields a JSON text holds (the
// keys starting with one of prefixes), as "key: reason" lines.
func (p page) defErrors(prefixes ...string) []string {
	var out []string
	for k, why := range p.Fields {
		for _, prefix := range prefixes {
			if strings.HasPrefix(k, prefix) {
				out = append(out, k+" : "+p.tr.Reason(p.Lang, why))
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// adminCasesPage is an establishment's definitions: its contact types,
// case classifications and action plans.
type adminCasesPage struct {
	adminBase
	Establishment   org.Unit
	ContactTypes    []cases.ContactType
	Classifications []cases.Classification
	Plans           []cases.ActionPlan
}

// Name is a definition's name in the page's language.
func (p adminCasesPage) Name(fr, en string) string {
	if p.Lang == "en" && en != "" {
		return en
	}
	return fr
}

func (s *server) adminCases(w http.ResponseWriter, r *http.Request) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := core.ActorFrom(r.Context())
	p := adminCasesPage{adminBase: s.adminPage(r, "casesadmin.title", "cases"), Establishment: est}
	p.Title = p.T("casesadmin.title") + " · " + est.Name
	if p.ContactTypes, err = s.Cases.ContactTypes(r.Context(), actor, est.ID, p.Lang); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Classifications, err = s.Cases.Classifications(r.Context(), actor, est.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Plans, err = s.Cases.Plans(r.Context(), actor, est.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_cases", "", p)
}
