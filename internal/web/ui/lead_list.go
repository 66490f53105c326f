package ui

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
)

// The tabs of the lead list.
const (
	leadTabMine    = "mine"    // assigned to the agent
	leadTabUnits   = "units"   // routed to the agent's unit
	leadTabWaiting = "waiting" // no agent yet
	leadTabAll     = "all"     // every lead of the agent's scope
)

var leadTabs = []string{leadTabMine, leadTabUnits, leadTabWaiting, leadTabAll}

// leadFilters are the lead list's tab and filters, from its query.
type leadFilters struct {
	Tab, Status, Source, Product, Cursor string
}

// URL is the lead list with these filters, on tab, at cursor (a whole URL:
// every value encoded by url.Values).
func (f leadFilters) URL(tab, cursor string) template.URL {
	v := url.Values{}
	for k, x := range map[string]string{"tab": tab, "status": f.Status, "source": f.Source, "product": f.Product,
		"cursor": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if len(v) == 0 {
		return "/leads"
	}
	return template.URL("/leads?" + v.Encode())
}

// Reset is the tab without its filters.
func (f leadFilters) Reset() template.URL { return leadFilters{}.URL(f.Tab, "") }

// Any reports whether a filter is set, for the reset link.
func (f leadFilters) Any() bool { return f.Status != "" || f.Source != "" || f.Product != "" }

// leadListPage is a page of the leads of the agent's scope.
type leadListPage struct {
	page
	leadFormat
	Filters  leadFilters
	Tabs     []string
	Statuses []string
	Leads    []leads.Lead
	Next     string
}

// leadList lists the leads of a tab, newest received first, filtered by
// status, source and product, a page at a time.
func (s *server) leadList(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	q := r.URL.Query()
	f := leadFilters{Tab: q.Get("tab"), Status: q.Get("status"), Source: strings.TrimSpace(q.Get("source")),
		Product: q.Get("product"), Cursor: q.Get("cursor")}
	if !slices.Contains(leadTabs, f.Tab) {
		f.Tab = leadTabMine
	}
	if !slices.Contains(leads.Statuses, f.Status) {
		f.Status = ""
	}
	p := leadListPage{page: s.newPage(r, "lead.list_title"), Filters: f, Tabs: leadTabs, Statuses: leads.Statuses}
	p.Current = "leads"
	p.leadFormat = leadFormat{page: &p.page, now: s.Clock.Now()}
	filter := leads.Filter{Status: f.Status, Source: f.Source, Product: f.Product, Cursor: f.Cursor, Limit: 50}
	switch f.Tab {
	case leadTabMine:
		filter.AssigneeLogin = actor.Login
	case leadTabWaiting:
		filter.Unassigned = true
	case leadTabUnits:
		u, err := s.Orgs.UnitByID(r.Context(), actor.UnitID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		filter.UnitCode = u.Code
	}
	page, err := s.Leads.List(r.Context(), actor, filter)
	if core.ErrorCode(err) == core.Invalid && filter.Cursor != "" { // a cursor from elsewhere: the first page
		p.Filters.Cursor, filter.Cursor = "", ""
		page, err = s.Leads.List(r.Context(), actor, filter)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Leads, p.Next = page.Leads, page.Next
	p.leadFormat.waits = s.waitingMinutes(r.Context(), p.Leads, p.leadFormat.now)
	s.render(w, r, http.StatusOK, "lead_list", "", p)
}

// leadFormat writes a lead's delays and names on the lead pages.
type leadFormat struct {
	page  *page
	now   time.Time
	waits map[string]int64 // business minutes each unanswered lead has waited, by id
}

// Name is the lead's customer: the party's name, else the name the sender gave.
func (f leadFormat) Name(l leads.Lead) string {
	if l.PartyName != "" {
		return l.PartyName
	}
	if n := strings.TrimSpace(l.FirstName + " " + l.LastName); n != "" {
		return n
	}
	return l.Email
}

// Response is the lead's response time (business time), once answered.
func (f leadFormat) Response(l leads.Lead) string {
	if l.ResponseMinutes == nil {
		return ""
	}
	return f.minutes(*l.ResponseMinutes)
}

// Waiting is how long the lead has waited for its response since its
// clock started, in its unit's business time like the response time; ""
// before it started (received while closed) or once answered.
func (f leadFormat) Waiting(l leads.Lead) string {
	m, ok := f.waits[l.ID]
	if !ok {
		return ""
	}
	return f.minutes(m)
}

// waitingMinutes counts, for each lead not answered nor closed whose clock
// has started, the business minutes it has waited until now, in its
// unit's calendar (read once per unit).
func (s *server) waitingMinutes(ctx context.Context, list []leads.Lead, now time.Time) map[string]int64 {
	out := map[string]int64{}
	cals := map[string]*bizhours.Calendar{}
	for _, l := range list {
		if l.FirstResponseAt != nil || l.Status == leads.StatusClosed || now.Before(l.ClockStartAt) {
			continue
		}
		key := fmt.Sprint(l.UnitID, l.ClockStartAt.Year())
		cal, ok := cals[key]
		if !ok {
			var err error
			if cal, err = s.Orgs.Calendar(ctx, l.UnitID, l.ClockStartAt.Year()); err != nil {
				s.Logger.WarnContext(ctx, "lead waiting time: no calendar", "unit", l.UnitID, "err", err)
			}
			cals[key] = cal
		}
		if cal != nil {
			out[l.ID] = int64(cal.OpenDuration(l.ClockStartAt, now) / time.Minute)
		}
	}
	return out
}

// minutes writes a delay in minutes, or hours and minutes (business
// hours: 26 h is more than three working days, not one day and two hours).
func (f leadFormat) minutes(m int64) string {
	if m < 60 {
		return f.page.T("lead.dur.m", "M", m)
	}
	return f.page.T("lead.dur.hm", "H", m/60, "M", fmt.Sprintf("%02d", m%60))
}

// Phone writes a French E.164 number the way people write it
// ("06 12 34 56 78"); other numbers as they are.
func (f leadFormat) Phone(e164 string) string {
	if len(e164) != 12 || !strings.HasPrefix(e164, "+33") {
		return e164
	}
	n := "0" + e164[3:]
	return n[0:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:10]
}

// StatusLabel is a lead status in the page's language.
func (f leadFormat) StatusLabel(status string) string {
	key := "lead.status." + status
	return f.page.T(key)
}
