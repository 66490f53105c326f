package ui

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/history"
)

// timelineFilters are the filters above a party's timeline, as the GET form
// sends them: dates are days (YYYY-MM-DD), both included, in Paris time.
type timelineFilters struct {
	Channel, Direction, From, To, Agent, Source string
}

// filtersOf reads the filters of a request's query; unknown channels and
// directions and malformed dates are dropped rather than refused.
func filtersOf(q url.Values) timelineFilters {
	f := timelineFilters{Channel: q.Get("channel"), Direction: q.Get("direction"), From: isoDate(q.Get("from")), To: isoDate(q.Get("to")),
		Agent: strings.TrimSpace(q.Get("agent")), Source: strings.TrimSpace(q.Get("source"))}
	if !slices.Contains(history.Channels, f.Channel) {
		f.Channel = ""
	}
	if f.Direction != history.DirectionInbound && f.Direction != history.DirectionOutbound {
		f.Direction = ""
	}
	if _, ok := day(f.From, time.UTC); !ok {
		f.From = ""
	}
	if _, ok := day(f.To, time.UTC); !ok {
		f.To = ""
	}
	return f
}

// day parses a YYYY-MM-DD date as its midnight in loc.
func day(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// filter is the history filter for one page of lines after cursor, its
// days the days of loc (the agent's unit's time zone, in which the page
// shows times).
func (f timelineFilters) filter(cursor string, loc *time.Location) history.Filter {
	hf := history.Filter{Channel: f.Channel, Direction: f.Direction, Agent: f.Agent, Source: f.Source,
		Cursor: cursor, Limit: timelinePage}
	if t, ok := day(f.From, loc); ok {
		hf.From = t
	}
	if t, ok := day(f.To, loc); ok {
		hf.To = t.AddDate(0, 0, 1) // the whole last day
	}
	return hf
}

// Any reports whether a filter is set.
func (f timelineFilters) Any() bool { return f != timelineFilters{} }

// values are the filters set, for a URL's query.
func (f timelineFilters) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"channel": f.Channel, "direction": f.Direction, "from": f.From, "to": f.To,
		"agent": f.Agent, "source": f.Source} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Channels, Directions and Sources are the choices of the filter form; a
// source an administrator added is offered once it is the one filtered on.
func (f timelineFilters) Channels() []string { return history.Channels }

// Directions lists inbound and outbound.
func (f timelineFilters) Directions() []string {
	return []string{history.DirectionInbound, history.DirectionOutbound}
}

// Sources lists the built-in sources, and the one filtered on.
func (f timelineFilters) Sources() []string {
	if f.Source == "" || slices.Contains(history.Sources, f.Source) {
		return history.Sources
	}
	return append(slices.Clone(history.Sources), f.Source)
}

// rowsURL is the address of a page of timeline rows with the filters, after
// cursor when set.
func rowsURL(partyID string, f timelineFilters, cursor string) string {
	v := f.values()
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	u := "/parties/" + partyID + "/timeline"
	if q := v.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

// pageURL is the address of the 360° page showing the filtered timeline.
func pageURL(partyID string, f timelineFilters) string {
	u := "/parties/" + partyID
	if q := f.values().Encode(); q != "" {
		u += "?" + q
	}
	return u
}
