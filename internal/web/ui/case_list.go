package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// caseFilters are the case list's filters, from its query.
type caseFilters struct {
	Status, Classification, Unit, Party, Open, Cursor string
}

// URL is the case list with the filters and cursor set to the given one
// (a whole URL: a query string written after "?" in a template would be
// escaped as one value).
func (f caseFilters) URL(cursor string) template.URL {
	q := f.query(cursor)
	if q == "" {
		return "/cases"
	}
	return template.URL("/cases?" + q) // every value encoded by url.Values
}

func (f caseFilters) query(cursor string) string {
	v := url.Values{}
	for k, x := range map[string]string{"status": f.Status, "classification": f.Classification, "unit": f.Unit,
		"party_id": f.Party, "open": f.Open, "cursor": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

// caseListPage is a page of the cases in the agent's scope.
type caseListPage struct {
	page
	caseLabels
	Filters         caseFilters
	Cases           []cases.Case
	Next            string
	Statuses        []cases.Choice
	Classifications []cases.Choice
	Units           []org.Unit
}

// caseList lists the cases of the agent's scope, last updated first,
// filtered by status, classification, unit and party, a page at a time.
func (s *server) caseList(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	q := r.URL.Query()
	f := caseFilters{Status: strings.TrimSpace(q.Get("status")), Classification: strings.TrimSpace(q.Get("classification")),
		Unit: q.Get("unit"), Party: q.Get("party_id"), Open: q.Get("open"), Cursor: q.Get("cursor")}
	p := caseListPage{page: s.newPage(r, "case.list_title"), Filters: f}
	p.Current = "cases"
	p.caseLabels = s.caseLabelsFor(r, p.Lang)
	p.Statuses = p.caseLabels.statuses
	var err error
	if p.Classifications, err = s.Cases.ClassificationChoices(r.Context(), actor); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Units, err = s.scopeUnits(r); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.Cases.Cases(r.Context(), actor, cases.CaseFilter{Status: f.Status, Classification: f.Classification,
		UnitID: f.Unit, PartyID: f.Party, Open: f.Open != "", Cursor: f.Cursor, Limit: 50})
	if core.ErrorCode(err) == core.Invalid { // a cursor from elsewhere: the first page
		f.Cursor = ""
		page, err = s.Cases.Cases(r.Context(), actor, cases.CaseFilter{Status: f.Status, Classification: f.Classification,
			UnitID: f.Unit, PartyID: f.Party, Open: f.Open != "", Limit: 50})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Cases, p.Next = page.Cases, page.Next
	s.render(w, r, http.StatusOK, "case_list", "", p)
}

// caseOpen opens a case by hand from a party's page (the classification
// and the party posted), then shows it; a refusal goes back to the party.
func (s *server) caseOpen(w http.ResponseWriter, r *http.Request) {
	partyID := strings.TrimSpace(r.FormValue("party_id"))
	c, _, err := s.Cases.OpenCase(r.Context(), core.ActorFrom(r.Context()), cases.NewCase{
		Classification: r.FormValue("classification"), PartyID: partyID, Title: r.FormValue("title")})
	p := s.newPage(r, "case.title")
	if err != nil {
		if core.ErrorCode(err) != core.Invalid || !core.ValidID(partyID) {
			s.fail(w, r, err)
			return
		}
		s.redirect(w, r, "/parties/"+partyID+"#cases", p.T("case.open_refused", "Why", p.formMessage(err)))
		return
	}
	s.redirect(w, r, "/cases/"+c.ID, p.T("case.opened", "Reference", c.Reference))
}
