package ui

import (
	"net/http"
	"slices"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// partyCases is the "Cases" section of a party's page: its cases, newest
// first, and the form that opens one by hand.
type partyCases struct {
	caseLabels
	PartyID         string
	Cases           []cases.Case
	More            bool // more than the page shows: the case list has them all
	Classifications []cases.Choice
}

// partyCasesShown is how many cases the party's page lists.
const partyCasesShown = 10

// partyCases reads the section for the party's page.
func (s *server) partyCases(r *http.Request, partyID, lang string) (*partyCases, error) {
	actor := core.ActorFrom(r.Context())
	page, err := s.Cases.Cases(r.Context(), actor, cases.CaseFilter{PartyID: partyID, Limit: 50})
	if err != nil {
		return nil, err
	}
	out := &partyCases{caseLabels: s.caseLabelsFor(r, lang), PartyID: partyID, Cases: page.Cases, More: page.Next != ""}
	slices.SortStableFunc(out.Cases, func(a, b cases.Case) int { return b.CreatedAt.Compare(a.CreatedAt) })
	if len(out.Cases) > partyCasesShown {
		out.Cases, out.More = out.Cases[:partyCasesShown], true
	}
	if out.Classifications, err = s.Cases.ClassificationChoices(r.Context(), actor); err != nil {
		return nil, err
	}
	return out, nil
}
