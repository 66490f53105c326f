package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
)

// deskFilters are the list's filters as the GET form sends them.
type deskFilters struct {
	View, Channel, Status, Priority, Assignee, Unit, Party, Cursor string
}

// Any reports whether a filter other than the view is set.
func (f deskFilters) Any() bool {
	return f.Channel != "" || f.Status != "" || f.Priority != "" || f.Assignee != "" || f.Unit != "" || f.Party != ""
}

// URL is the desk list's address with the filters, view and cursor set to
// the given ones: a whole URL, since html/template escapes a query string
// written after "?" in an href as one value ("=" and "&" encoded).
func (f deskFilters) URL(view, cursor string) template.URL {
	v := url.Values{}
	for k, x := range map[string]string{"view": view, "channel": f.Channel, "status": f.Status, "priority": f.Priority,
		"assignee": f.Assignee, "unit": f.Unit, "party": f.Party, "cursor": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return template.URL("/desk?" + v.Encode())
}

// deskListPage is the agent's desk: the requests of a view, filtered.
type deskListPage struct {
	page
	Filters  deskFilters
	Counts   map[string]int
	Requests []desk.Request
	Next     string
	Units    []org.Unit
	Now      time.Time
	Views    []string
}

// Channels, Statuses and Priorities are the filters' choices.
func (deskListPage) Channels() []string   { return desk.Channels }
func (deskListPage) Statuses() []string   { return desk.Statuses }
func (deskListPage) Priorities() []string { return desk.Priorities }

// Count writes a view's count, "999+" once it reaches the store's cap.
func (p deskListPage) Count(view string) string {
	n := p.Counts[view]
	if n >= desk.MaxCount {
		return strconv.Itoa(desk.MaxCount-1) + "+"
	}
	return strconv.Itoa(n)
}

// deskList shows the requests of a view (open by default) with the
// counts of every view; htmx and the live refresh ask for the list alone.
func (s *server) deskList(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	q := r.URL.Query()
	f := deskFilters{View: q.Get("view"), Channel: q.Get("channel"), Status: q.Get("status"), Priority: q.Get("priority"),
		Assignee: q.Get("assignee"), Unit: q.Get("unit"), Party: q.Get("party"), Cursor: q.Get("cursor")}
	if f.View == "" {
		f.View = desk.ViewOpen
	}
	p := deskListPage{page: s.newPage(r, "desk.title"), Filters: f, Now: s.Clock.Now(), Views: desk.Views}
	p.Current = "desk"
	filter := desk.Filter{View: f.View, Channel: f.Channel, Status: f.Status, Priority: f.Priority, UnitID: f.Unit, PartyID: f.Party, Cursor: f.Cursor}
	if f.Assignee != "" {
		a, err := s.Orgs.AgentByLogin(r.Context(), f.Assignee)
		if err != nil {
			p.Fields = core.Fields{"assignee": core.Because("unknown_agent")}
			filter.AssigneeID = core.NewID() // an agent nobody is: no request, rather than every one
		} else {
			filter.AssigneeID = a.ID
		}
	}
	page, err := s.Desk.List(r.Context(), actor, filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Requests, p.Next = page.Requests, page.Next
	if p.Counts, err = s.Desk.Counts(r.Context(), actor, filter); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Units, err = s.scopeUnits(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Target") == "desk-list" || q.Get("fragment") == "list" {
		s.render(w, r, http.StatusOK, "desk_list", "desk_list_body", p)
		return
	}
	s.render(w, r, http.StatusOK, "desk_list", "", p)
}
