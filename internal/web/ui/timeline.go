package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// timelinePage is how many timeline lines a page loads at a time.
const timelinePage = 30

type timelineRows struct {
	page
	PartyID string
	Items   []history.Entry
	Next    string
	Filters timelineFilters
	More    bool // a page after the first: no empty state
}

// MoreURL is the address of the next rows, with the filters.
func (t timelineRows) MoreURL() string { return rowsURL(t.PartyID, t.Filters, t.Next) }

// timelineMore answers lines of a party's timeline as rows: the next ones
// for the infinite scroll of the 360° page, or the first ones when the
// filters change (the address bar then shows the filtered page, which
// works without JavaScript too).
func (s *server) timelineMore(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f := filtersOf(r.URL.Query())
	cursor := r.URL.Query().Get("cursor")
	if r.Header.Get("HX-Request") != "true" { // opened in a tab of its own: the 360° page at these lines
		s.partyView(w, r)
		return
	}
	actor := core.ActorFrom(r.Context())
	tl, err := s.History.Timeline(r.Context(), actor, id, f.filter(cursor, s.zones.location(actor)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cursor == "" && r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Push-Url", pageURL(id, f))
	}
	p := timelineRows{page: s.newPage(r, "party.timeline"), PartyID: id, Items: tl.Items, Next: tl.NextCursor,
		Filters: f, More: cursor != ""}
	s.render(w, r, http.StatusOK, "party", "timeline_rows", p)
}

// pictogram is the CSS class and glyph of a timeline line: channel,
// direction and, for calls, outcome.
func pictogram(e history.Entry) string {
	class := "pict-" + e.Channel + "-" + e.Direction
	if e.Outcome != "" {
		class += "-" + e.Outcome
	}
	return class
}
