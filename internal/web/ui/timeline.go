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
}

// timelineMore answers the next lines of a party's timeline, as rows for
// the infinite scroll of the 360° page.
func (s *server) timelineMore(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	tl, err := s.History.Timeline(r.Context(), core.ActorFrom(r.Context()), id,
		history.Filter{Limit: timelinePage, Cursor: r.FormValue("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := timelineRows{page: s.newPage(r, "party.timeline"), PartyID: id, Items: tl.Items, Next: tl.NextCursor}
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
