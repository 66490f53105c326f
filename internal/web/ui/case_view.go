package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// casePage is a case: its head, its people, agents and objects, its
// elements grouped by kind, the steps its status offers and its history.
type casePage struct {
	page
	Case    cases.Case
	Process cases.Process
	Steps   []cases.Step // the steps from the current status
	Events  []cases.Event
	Plans   []cases.Choice // the action plans that can be launched on it
	Draft   caseDraft
}

// caseDraft is a refused form shown again with its input.
type caseDraft struct {
	Form      string // step, note, document
	Step      string
	Values    map[string]string
	NoteTitle string
	NoteBody  string
}

// caseView shows a case.
func (s *server) caseView(w http.ResponseWriter, r *http.Request) {
	s.showCase(w, r, http.StatusOK, caseDraft{}, nil)
}

// showCase renders the case page with status, a refused form's input and why.
func (s *server) showCase(w http.ResponseWriter, r *http.Request, status int, draft caseDraft, refused error) {
	actor := core.ActorFrom(r.Context())
	ctx := r.Context()
	c, err := s.Cases.Get(ctx, actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := casePage{page: s.newPage(r, "case.title"), Case: c, Draft: draft}
	p.Title = c.Reference + " · " + c.Title
	p.Current = "cases"
	p.Here = contactContext{PartyID: c.PartyID}
	p.Process, p.Steps = c.Process, c.NextSteps()
	if p.Events, err = s.Cases.Events(ctx, actor, c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Plans, err = s.Cases.PlanChoices(ctx, actor); err != nil {
		s.fail(w, r, err)
		return
	}
	if refused != nil {
		p.Fields = fieldsOf(refused)
		p.Error = p.formMessage(refused)
	}
	s.render(w, r, status, "case", "", p)
}

// StatusName names a status of the case's process in the page's language.
func (p casePage) StatusName(code string) string {
	if st, ok := p.Process.Status(code); ok {
		return st.Name(p.Lang)
	}
	return code
}

// StepName names a step of the case's process in the page's language.
func (p casePage) StepName(code string) string {
	if st, ok := p.Process.Step(code); ok {
		return st.Name(p.Lang)
	}
	return code
}

// Value is what a step's field holds: the refused input, else what the
// step was last run with.
func (p casePage) Value(step cases.Step, f cases.Field) string {
	if p.Draft.Form == "step" && p.Draft.Step == step.Code {
		return p.Draft.Values[f.Code]
	}
	v := p.Case.StepData[step.Code][f.Code]
	if f.Type == cases.FieldDate {
		return p.DateInput(v)
	}
	return v
}

// StepError is why a step's field was refused, if it was.
func (p casePage) StepError(step cases.Step, f cases.Field) string {
	if p.Draft.Form != "step" || p.Draft.Step != step.Code {
		return ""
	}
	return p.FieldError("field." + f.Code)
}

// FieldID is the id of a step's field input.
func (casePage) FieldID(step cases.Step, f cases.Field) string {
	return "f-" + step.Code + "-" + f.Code
}

// Size writes a file size for people.
func (p casePage) Size(n int64) string { return interactionPage{page: p.page}.Size(n) }

// EventText says what a line of the case's history did.
func (p casePage) EventText(e cases.Event) string {
	detail := func(k string) string {
		if v, ok := e.Detail[k]; ok {
			return fmt.Sprint(v)
		}
		return ""
	}
	switch e.Action {
	case cases.EventOpened:
		return p.T("case.event.opened", "Status", p.StatusName(e.ToStatus), "Origin", p.T(prefixed("case.origin.", detail("origin"))))
	case cases.EventStep:
		return p.T("case.event.step", "Step", p.StepName(e.Step), "From", p.StatusName(e.FromStatus), "To", p.StatusName(e.ToStatus))
	case cases.EventStatus:
		return p.T("case.event.status", "From", p.StatusName(e.FromStatus), "To", p.StatusName(e.ToStatus))
	case cases.EventElement:
		return p.T("case.event.element", "Kind", p.T(prefixed("case.added.", detail("kind"))), "Title", detail("title"))
	case cases.EventContactMoved:
		return p.T("case.event.contact_moved")
	case cases.EventPlanLaunched, cases.EventPlanCancelled:
		return p.T(prefixed("case.event.", e.Action), "Plan", detail("plan"))
	}
	return e.Action
}

// caseStep runs a step with the fields posted ("field.CODE"; a checkbox
// posts a hidden "false" then "true" when ticked: the last value counts).
func (s *server) caseStep(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.Invalid, "the form could not be read: %v", err))
		return
	}
	values := map[string]string{}
	for k, v := range r.PostForm {
		if code, ok := strings.CutPrefix(k, "field."); ok && len(v) > 0 {
			values[code] = v[len(v)-1]
		}
	}
	step := r.PathValue("step")
	p := s.newPage(r, "case.title")
	actor := core.ActorFrom(r.Context())
	proc, err := s.Cases.ProcessOf(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cleaned := map[string]string{}
	for k, v := range values {
		cleaned[k] = v
	}
	if st, ok := proc.Step(step); ok {
		for _, f := range st.Fields {
			if v, ok := values[f.Code]; ok && f.Type == cases.FieldDate {
				cleaned[f.Code] = isoDate(v) // typed the page language's way
			}
		}
	}
	res, err := s.Cases.RunStep(r.Context(), actor, r.PathValue("id"), step, cleaned, p.Lang)
	if err != nil {
		s.caseRefused(w, r, err, caseDraft{Form: "step", Step: step, Values: values})
		return
	}
	s.redirect(w, r, "/cases/"+res.CaseID, p.T("case.step_done"))
}

// caseRefused shows the case again with a refused form's input and why.
func (s *server) caseRefused(w http.ResponseWriter, r *http.Request, err error, draft caseDraft) {
	status := http.StatusUnprocessableEntity
	switch core.ErrorCode(err) {
	case core.Invalid:
	case core.Conflict:
		status = http.StatusConflict
	default:
		s.fail(w, r, err)
		return
	}
	s.showCase(w, r, status, draft, err)
}

// caseNote adds a note to the case.
func (s *server) caseNote(w http.ResponseWriter, r *http.Request) {
	title, body := r.FormValue("title"), r.FormValue("body")
	if _, err := s.Cases.AddNote(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), title, body); err != nil {
		s.caseRefused(w, r, err, caseDraft{Form: "note", NoteTitle: title, NoteBody: body})
		return
	}
	p := s.newPage(r, "case.title")
	s.redirect(w, r, "/cases/"+r.PathValue("id")+"#notes", p.T("case.note_added"))
}

// Reasons are the refused form's reasons, translated, in field order.
func (p casePage) Reasons() []string {
	keys := make([]string, 0, len(p.Fields))
	for k := range p.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, p.FieldError(k))
	}
	return out
}

// casePlan launches the action plan posted on the case: its tasks join
// the case's.
func (s *server) casePlan(w http.ResponseWriter, r *http.Request) {
	run, err := s.launchPlan(r, cases.PlanTarget{CaseID: r.PathValue("id")})
	if err != nil {
		s.caseRefused(w, r, err, caseDraft{Form: "plan"})
		return
	}
	p := s.newPage(r, "case.title")
	s.redirect(w, r, "/cases/"+r.PathValue("id")+"#tasks", p.T("contact.plan_launched", "N", len(run.Tasks)))
}

// recordedStep is what a step was last run with, for the case page.
type recordedStep struct {
	Name   string
	Values []recordedValue
}

// recordedValue is one field of a recorded step, labelled.
type recordedValue struct{ Label, Value string }

// Recorded lists the steps' data the case holds, in the process's order,
// each field labelled and written the page language's way.
func (p casePage) Recorded() []recordedStep {
	var out []recordedStep
	for _, st := range p.Process.Steps {
		data, ok := p.Case.StepData[st.Code]
		if !ok || len(data) == 0 {
			continue
		}
		r := recordedStep{Name: st.Name(p.Lang)}
		for _, f := range st.Fields {
			v, ok := data[f.Code]
			if !ok || v == "" {
				continue
			}
			switch f.Type {
			case cases.FieldDate:
				v = p.Date(v)
			case cases.FieldBoolean:
				v = p.T(prefixed("case.bool.", v))
			}
			r.Values = append(r.Values, recordedValue{Label: f.Label(p.Lang), Value: v})
		}
		if len(r.Values) > 0 {
			out = append(out, r)
		}
	}
	return out
}
