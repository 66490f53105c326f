package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// reportReasonsIndexPage lists the establishments whose report reasons an
// administrator may edit.
type reportReasonsIndexPage struct {
	adminBase
	Establishments []org.Unit
}

func (s *server) adminReportReasonsIndex(w http.ResponseWriter, r *http.Request) {
	units, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := reportReasonsIndexPage{adminBase: s.adminPage(r, "admin.reasons", "reasons")}
	for _, u := range units {
		if u.ParentCode == "" {
			p.Establishments = append(p.Establishments, u)
		}
	}
	s.render(w, r, http.StatusOK, "admin_report_reasons_index", "", p)
}

// reportReasonsPage is an establishment's report-reason catalogue and the
// form that adds a reason or changes one.
type reportReasonsPage struct {
	adminBase
	Establishment catalogue.Establishment
	Reasons       []catalogue.Term
	Form          catalogue.TermInput
	Editing       bool // the form changes an existing code, which stays as it is
}

func (s *server) adminReportReasons(w http.ResponseWriter, r *http.Request) {
	form := catalogue.TermInput{Active: true}
	editing := false
	if code := r.URL.Query().Get("edit"); code != "" {
		form.Code, editing = code, true
	}
	s.showReportReasons(w, r, http.StatusOK, form, editing, "", nil)
}

func (s *server) showReportReasons(w http.ResponseWriter, r *http.Request, status int, form catalogue.TermInput,
	editing bool, msg string, fields core.Fields) {
	ctx := r.Context()
	est, reasons, err := s.Catalogues.ReportReasons(ctx, core.ActorFrom(ctx), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if editing && msg == "" {
		for _, t := range reasons {
			if t.Code == form.Code {
				form = catalogue.TermInput{Code: t.Code, LabelFR: t.LabelFR, LabelEN: t.LabelEN, Active: t.Active}
			}
		}
	}
	p := reportReasonsPage{adminBase: s.adminPage(r, "admin.reasons", "reasons"), Establishment: est,
		Reasons: reasons, Form: form, Editing: editing}
	p.Title = p.T("admin.reasons") + " · " + est.Name
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_report_reasons", "", p)
}

func (s *server) adminReportReasonSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in := catalogue.TermInput{Code: strings.TrimSpace(r.FormValue("code")), LabelFR: r.FormValue("label_fr"),
		LabelEN: r.FormValue("label_en"), Active: r.FormValue("active") == "on"}
	editing := r.FormValue("editing") == "1"
	code := r.PathValue("code")
	if _, err := s.Catalogues.SaveReportReason(ctx, core.ActorFrom(ctx), code, in); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showReportReasons(w, r, status, in, editing, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.reasons")
	s.redirect(w, r, "/admin/report-reasons/"+code, p.T("admin.saved"))
}
