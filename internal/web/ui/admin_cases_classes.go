package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// classificationPage is the form of a case classification: its names,
// its process as rows and its template as JSON.
type classificationPage struct {
	adminBase
	Establishment org.Unit
	Form          cases.Classification
	Position      string
	Statuses      []statusRow
	Steps         []stepRow
	TemplateJSON  string
	Editing       bool
}

// RowErrors are the refusal's reasons on a row's field and what it holds
// (a step's from[0], fields[2].code…).
func (p classificationPage) RowErrors(key string) []string { return p.defErrors(key) }

// DocumentKinds are the documents a step may generate.
func (classificationPage) DocumentKinds() []string {
	return []string{cases.DocumentLetter, cases.DocumentEmail}
}

// TemplateErrors are the refusal's reasons inside the template's JSON.
func (p classificationPage) TemplateErrors() []string { return p.defErrors("template") }

// starterProcess is a new classification's process: open, then closed.
var starterProcess = cases.Process{
	Statuses: []cases.Status{{Code: "open", NameFR: "Ouvert", NameEN: "Open"},
		{Code: "closed", NameFR: "Clôturé", NameEN: "Closed", Closed: true}},
	Steps: []cases.Step{{Code: "close", NameFR: "Clôturer", NameEN: "Close", From: []string{"open"}, To: "closed",
		Fields: []cases.Field{}}},
}

func (s *server) adminClassificationNew(w http.ResponseWriter, r *http.Request) {
	statuses, steps := processRows(starterProcess)
	s.showClassification(w, r, http.StatusOK, classificationPage{Position: "0", Statuses: statuses, Steps: steps,
		TemplateJSON: prettyJSON(cases.Template{Interlocutors: []cases.TemplateParty{{From: cases.FromCurrentParty}},
			Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleResponsible}}, Objects: []cases.TemplateObject{}})}, "", nil)
}

func (s *server) adminClassification(w http.ResponseWriter, r *http.Request) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Cases.Classifications(r.Context(), core.ActorFrom(r.Context()), est.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range list {
		if c.Code == r.PathValue("def") {
			statuses, steps := processRows(c.Process)
			s.showClassification(w, r, http.StatusOK, classificationPage{Form: c, Editing: true, Position: strconv.Itoa(c.Position),
				Statuses: statuses, Steps: steps, TemplateJSON: templateJSON(c.Template)}, "", nil)
			return
		}
	}
	s.fail(w, r, core.Errorf(core.NotFound, "classification %s not found", r.PathValue("def")))
}

// showClassification renders the form, with a refusal's message and
// reasons when msg is set.
func (s *server) showClassification(w http.ResponseWriter, r *http.Request, status int, p classificationPage, msg string, fields core.Fields) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.adminBase, p.Establishment = s.adminPage(r, "casesadmin.classification", "cases"), est
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_cases_class", "", p)
}

func (s *server) adminClassificationSave(w http.ResponseWriter, r *http.Request) {
	p := classificationPage{Form: cases.Classification{Code: strings.TrimSpace(r.FormValue("code")), NameFR: r.FormValue("name"),
		NameEN: r.FormValue("name_en")}, Position: r.FormValue("position"),
		TemplateJSON: r.FormValue("template"), Editing: r.FormValue("editing") == "1"}
	f := core.Fields{}
	p.Form.Position = readInt(f, "position", p.Position)
	p.Form.Process, p.Statuses, p.Steps = readProcess(r, f)
	readJSON(f, "template", p.TemplateJSON, &p.Form.Template)
	err := f.Err()
	if err == nil {
		_, err = s.Cases.SaveClassification(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"), p.Form)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showClassification(w, r, status, p, msg, fields)
		})
		return
	}
	s.redirect(w, r, "/admin/cases/"+r.PathValue("code")+"#classifications", s.newPage(r, "").T("admin.saved"))
}
