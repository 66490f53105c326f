package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

type searchPage struct {
	page
	Results []party.Summary
}

// searchPage is the quick search's full result page (Enter in the box, or
// no JavaScript). A single exact identifier match opens the party directly.
func (s *server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := searchPage{page: s.newPage(r, "search.title")}
	p.Query = q
	if q != "" {
		res, err := s.Parties.QuickSearch(r.Context(), core.ActorFrom(r.Context()), q, 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(res) == 1 && res[0].Match != "name" {
			http.Redirect(w, r, "/parties/"+res[0].ID, http.StatusSeeOther)
			return
		}
		p.Results = res
	}
	s.render(w, r, http.StatusOK, "search", "", p)
}

// searchSuggest is the fragment of suggestions shown under the box as the
// agent types (htmx).
func (s *server) searchSuggest(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if r.Header.Get("HX-Request") != "true" { // opened in a tab of its own: the search page
		s.searchPage(w, r)
		return
	}
	p := searchPage{page: s.newPage(r, "search.title")}
	p.Query = q
	if len([]rune(q)) >= 2 {
		res, err := s.Parties.QuickSearch(r.Context(), core.ActorFrom(r.Context()), q, 8)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Results = res
	}
	s.render(w, r, http.StatusOK, "search", "suggestions", p)
}
