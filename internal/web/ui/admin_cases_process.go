package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// A classification's process is edited as repeated rows: its statuses
// (code, names, closed), then its steps (code, names, the statuses they
// leave from, the one they lead to, a document to generate), each step's
// fields as a small JSON list. Empty rows are ignored; the form offers
// processBlankRows more of each.

// processBlankRows is how many empty rows of each list the form offers.
const processBlankRows = 2

// statusRow is one status row of the process form, as typed.
type statusRow struct {
	Index              int
	Code, Name, NameEN string
	Closed             bool
}

// Key is the name of a status row's field, as the store names its reasons.
func (r statusRow) Key(field string) string { return fmt.Sprintf("statuses[%d].%s", r.Index, field) }

// stepRow is one step row of the process form, as typed.
type stepRow struct {
	Index                                       int
	Code, Name, NameEN, From, To, FieldsJSON    string
	DocumentKind, DocumentSubject, DocumentBody string
}

// Key is the name of a step row's field, as the store names its reasons.
func (r stepRow) Key(field string) string { return fmt.Sprintf("steps[%d].%s", r.Index, field) }

// processRows are the rows of a process, then the blank ones.
func processRows(p cases.Process) ([]statusRow, []stepRow) {
	var statuses []statusRow
	for i, st := range p.Statuses {
		statuses = append(statuses, statusRow{Index: i, Code: st.Code, Name: st.NameFR, NameEN: st.NameEN, Closed: st.Closed})
	}
	var steps []stepRow
	for i, st := range p.Steps {
		row := stepRow{Index: i, Code: st.Code, Name: st.NameFR, NameEN: st.NameEN, From: strings.Join(st.From, ", "), To: st.To}
		if len(st.Fields) > 0 {
			row.FieldsJSON = prettyJSON(st.Fields)
		}
		if d := st.Document; d != nil {
			row.DocumentKind, row.DocumentSubject, row.DocumentBody = d.Kind, d.Subject, d.Body
		}
		steps = append(steps, row)
	}
	return withBlankRows(statuses, steps)
}

// withBlankRows adds the blank rows after the typed ones.
func withBlankRows(statuses []statusRow, steps []stepRow) ([]statusRow, []stepRow) {
	for i := 0; i < processBlankRows; i++ {
		statuses = append(statuses, statusRow{Index: len(statuses)})
		steps = append(steps, stepRow{Index: len(steps)})
	}
	return statuses, steps
}

// readProcess reads the posted rows into a process; blank rows are no
// status or step. The rows are returned renumbered as the process holds
// them, so the store's reasons land on the right row.
func readProcess(r *http.Request, f core.Fields) (cases.Process, []statusRow, []stepRow) {
	var p cases.Process
	var statuses []statusRow
	var steps []stepRow
	for i := 0; i < maxPlanRows; i++ {
		key := func(field string) string { return fmt.Sprintf("statuses[%d].%s", i, field) }
		if _, ok := r.Form[key("code")]; !ok {
			break
		}
		row := statusRow{Code: strings.TrimSpace(r.FormValue(key("code"))), Name: r.FormValue(key("name")),
			NameEN: r.FormValue(key("name_en")), Closed: r.FormValue(key("closed")) == "on"}
		if row.Code == "" && strings.TrimSpace(row.Name) == "" && strings.TrimSpace(row.NameEN) == "" {
			continue
		}
		row.Index = len(statuses)
		statuses = append(statuses, row)
		p.Statuses = append(p.Statuses, cases.Status{Code: row.Code, NameFR: row.Name, NameEN: row.NameEN, Closed: row.Closed})
	}
	for i := 0; i < maxPlanRows; i++ {
		key := func(field string) string { return fmt.Sprintf("steps[%d].%s", i, field) }
		if _, ok := r.Form[key("code")]; !ok {
			break
		}
		row := stepRow{Code: strings.TrimSpace(r.FormValue(key("code"))), Name: r.FormValue(key("name")),
			NameEN: r.FormValue(key("name_en")), From: r.FormValue(key("from")), To: strings.TrimSpace(r.FormValue(key("to"))),
			FieldsJSON: r.FormValue(key("fields")), DocumentKind: r.FormValue(key("document_kind")),
			DocumentSubject: r.FormValue(key("document_subject")), DocumentBody: r.FormValue(key("document_body"))}
		if row.Code == "" && strings.TrimSpace(row.Name) == "" && row.To == "" && strings.TrimSpace(row.FieldsJSON) == "" &&
			row.DocumentKind == "" {
			continue
		}
		row.Index = len(steps)
		steps = append(steps, row)
		st := cases.Step{Code: row.Code, NameFR: row.Name, NameEN: row.NameEN, To: row.To, Fields: []cases.Field{}}
		for _, from := range strings.Split(row.From, ",") {
			if from = strings.TrimSpace(from); from != "" {
				st.From = append(st.From, from)
			}
		}
		readJSON(f, row.Key("fields"), row.FieldsJSON, &st.Fields)
		if row.DocumentKind != "" {
			st.Document = &cases.DocumentTemplate{Kind: row.DocumentKind, Subject: row.DocumentSubject, Body: row.DocumentBody}
		}
		p.Steps = append(p.Steps, st)
	}
	statuses, steps = withBlankRows(statuses, steps)
	return p, statuses, steps
}
