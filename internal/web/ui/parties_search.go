package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

type partiesPage struct {
	page
	Criteria  party.Criteria
	Searched  bool
	Results   []party.Summary
	Agencies  []org.Unit
	Products  []productOption
	NextQuery string
}

type productOption struct{ Code, Label string }

// partiesSearch is the advanced search: criteria combined, paginated.
func (s *server) partiesSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c := party.Criteria{Name: q.Get("name"), BirthDate: isoDate(q.Get("birth_date")), PostalCode: q.Get("postal_code"),
		City: q.Get("city"), AgencyCode: q.Get("agency_code"), AdvisorLogin: q.Get("advisor_login"),
		Status: q.Get("status"), Kind: q.Get("kind"), Product: q.Get("product"), Cursor: q.Get("cursor"), Limit: 25}
	p := partiesPage{page: s.newPage(r, "parties.title"), Criteria: c}
	p.Current = "parties"
	units, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range units {
		if u.Kind == org.UnitKind("agency") && p.Actor.Scope.Contains(u.ID) {
			p.Agencies = append(p.Agencies, u)
		}
	}
	for _, e := range p.book().Active(catalogue.Products) {
		p.Products = append(p.Products, productOption{Code: e.Code, Label: e.Label(p.Lang)})
	}
	if c.Name+c.BirthDate+c.PostalCode+c.City+c.AgencyCode+c.AdvisorLogin+c.Status+c.Kind+c.Product != "" {
		p.Searched = true
		res, err := s.Parties.Search(r.Context(), core.ActorFrom(r.Context()), c)
		if err != nil {
			if core.ErrorCode(err) == core.Invalid || core.ErrorCode(err) == core.BadRequest {
				p.Error = core.ErrorMessage(err)
				p.Fields = fieldsOf(err)
				s.render(w, r, http.StatusUnprocessableEntity, "parties", "", p)
				return
			}
			s.fail(w, r, err)
			return
		}
		p.Results = res.Items
		if res.NextCursor != "" {
			next := q
			next.Set("cursor", res.NextCursor)
			p.NextQuery = next.Encode()
		}
	}
	s.render(w, r, http.StatusOK, "parties", "", p)
}
