package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// planBlankRows is how many empty step rows the plan form offers to add
// steps without JavaScript; a row left empty is no step.
const planBlankRows = 3

// planPage is the form of an action plan: its names and its steps as
// repeated rows (day, title, kind, assignee, unit, status moved to).
type planPage struct {
	adminBase
	Establishment org.Unit
	Form          cases.ActionPlan
	Rows          []planRow
	Editing       bool
}

// planRow is one step row of the form, as typed.
type planRow struct {
	Index                                                     int
	Day, Title, Description, Kind, Assignee, UnitCode, MoveTo string
}

// Key is the name of a row's field, as the store names its reasons.
func (r planRow) Key(field string) string { return fmt.Sprintf("steps[%d].%s", r.Index, field) }

// Kinds and Assignees are the choices of a row's selects.
func (planPage) Kinds() []string { return cases.TaskKinds }

// Assignees are who a step's task goes to.
func (planPage) Assignees() []string {
	return []string{cases.AssignCaseAgent, cases.AssignQueue, cases.AssignLauncher}
}

// rowsOf are the rows of a plan's steps, then the blank ones.
func rowsOf(steps []cases.PlanStep) []planRow {
	rows := make([]planRow, 0, len(steps)+planBlankRows)
	for i, st := range steps {
		rows = append(rows, planRow{Index: i, Day: strconv.Itoa(st.Day), Title: st.Title, Description: st.Description,
			Kind: st.Kind, Assignee: st.Assignee, UnitCode: st.UnitCode, MoveTo: st.MovesCaseTo})
	}
	for i := 0; i < planBlankRows; i++ {
		rows = append(rows, planRow{Index: len(steps) + i, Kind: cases.TaskTask, Assignee: cases.AssignCaseAgent})
	}
	return rows
}

func (s *server) adminPlanNew(w http.ResponseWriter, r *http.Request) {
	s.showPlan(w, r, http.StatusOK, planPage{Rows: rowsOf(nil)}, "", nil)
}

func (s *server) adminPlan(w http.ResponseWriter, r *http.Request) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Cases.Plans(r.Context(), core.ActorFrom(r.Context()), est.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range list {
		if p.Code == r.PathValue("def") {
			s.showPlan(w, r, http.StatusOK, planPage{Form: p, Editing: true, Rows: rowsOf(p.Steps)}, "", nil)
			return
		}
	}
	s.fail(w, r, core.Errorf(core.NotFound, "action plan %s not found", r.PathValue("def")))
}

// showPlan renders the form, with a refusal's message and reasons when
// msg is set.
func (s *server) showPlan(w http.ResponseWriter, r *http.Request, status int, p planPage, msg string, fields core.Fields) {
	est, err := s.establishment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.adminBase, p.Establishment = s.adminPage(r, "casesadmin.plan", "cases"), est
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_cases_plan", "", p)
}

// maxPlanRows bounds the rows a posted form is read for.
const maxPlanRows = 200

func (s *server) adminPlanSave(w http.ResponseWriter, r *http.Request) {
	p := planPage{Form: cases.ActionPlan{Code: strings.TrimSpace(r.FormValue("code")), NameFR: r.FormValue("name"),
		NameEN: r.FormValue("name_en")}, Editing: r.FormValue("editing") == "1"}
	f := core.Fields{}
	var rows []planRow
	for i := 0; i < maxPlanRows; i++ {
		key := func(field string) string { return fmt.Sprintf("steps[%d].%s", i, field) }
		if _, ok := r.Form[key("title")]; !ok {
			break
		}
		row := planRow{Day: strings.TrimSpace(r.FormValue(key("day"))), Title: r.FormValue(key("title")),
			Description: r.FormValue(key("description")), Kind: r.FormValue(key("kind")), Assignee: r.FormValue(key("assignee")),
			UnitCode: r.FormValue(key("unit_code")), MoveTo: r.FormValue(key("moves_case_to"))}
		if row.Day == "" && strings.TrimSpace(row.Title) == "" && strings.TrimSpace(row.Description) == "" {
			continue // a blank row: no step
		}
		row.Index = len(rows)
		rows = append(rows, row)
		p.Form.Steps = append(p.Form.Steps, cases.PlanStep{Day: readInt(f, row.Key("day"), row.Day), Title: row.Title,
			Description: row.Description, Kind: row.Kind, Assignee: row.Assignee, UnitCode: row.UnitCode, MovesCaseTo: row.MoveTo})
	}
	p.Rows = rowsOf(nil)
	for i := range p.Rows {
		p.Rows[i].Index += len(rows)
	}
	p.Rows = append(rows, p.Rows...)
	err := f.Err()
	if err == nil {
		_, err = s.Cases.SavePlan(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"), p.Form)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showPlan(w, r, status, p, msg, fields)
		})
		return
	}
	s.redirect(w, r, "/admin/cases/"+r.PathValue("code")+"#plans", s.newPage(r, "").T("admin.saved"))
}
