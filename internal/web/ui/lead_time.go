package ui

import (
	"strings"
	"time"
)

// dateTimeLayouts are the ways a date and time is typed on the lead pages:
// the French and English writings and the browser's datetime-local value.
var dateTimeLayouts = []string{"02/01/2006 15:04", "2/1/2006 15:04", "02/01/2006 15h04", "2006-01-02 15:04",
	"2006-01-02T15:04", "2 Jan 2006 15:04", "2 Jan 2006, 15:04"}

// parseDateTime reads a typed date and time in loc; ok is false for
// anything else (an empty text included).
func parseDateTime(typed string, loc *time.Location) (time.Time, bool) {
	s := strings.Join(strings.Fields(typed), " ")
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// DateTimeInput writes a moment for a date-and-time field of the page's
// language, in the agent's time zone.
func (p page) DateTimeInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p.Lang == "en" {
		return t.In(p.leadZone()).Format("2006-01-02 15:04")
	}
	return t.In(p.leadZone()).Format("02/01/2006 15:04")
}

// leadZone is the agent's time zone, Europe/Paris by default.
func (p page) leadZone() *time.Location {
	if p.loc == nil {
		return paris
	}
	return p.loc
}

// DayName names a moment's day of the week in the agent's time zone and
// the page's language.
func (p page) DayName(t time.Time) string {
	key := "lead.weekday." + strings.ToLower(t.In(p.leadZone()).Weekday().String())
	return p.T(key)
}
