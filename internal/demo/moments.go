package demo

import (
	"math/rand/v2"
	"time"
)

// A span is a daily opening window, in minutes after midnight, local time.
type span struct{ from, to int }

// Opening hours the demo's exchanges keep to, in the bank's time zone.
var (
	// agencyHours: branches open Monday to Friday with a lunch break, and
	// Saturday morning.
	agencyHours = map[time.Weekday][]span{
		time.Monday: {{9 * 60, 12*60 + 30}, {13*60 + 45, 18 * 60}}, time.Tuesday: {{9 * 60, 12*60 + 30}, {13*60 + 45, 18 * 60}},
		time.Wednesday: {{9 * 60, 12*60 + 30}, {13*60 + 45, 18 * 60}}, time.Thursday: {{9 * 60, 12*60 + 30}, {13*60 + 45, 18 * 60}},
		time.Friday: {{9 * 60, 12*60 + 30}, {13*60 + 45, 17*60 + 30}}, time.Saturday: {{9 * 60, 12*60 + 30}},
	}
	// customerHours: when customers write, any day from breakfast to late evening.
	customerHours = map[time.Weekday][]span{
		time.Monday: {{7 * 60, 23 * 60}}, time.Tuesday: {{7 * 60, 23 * 60}}, time.Wednesday: {{7 * 60, 23 * 60}},
		time.Thursday: {{7 * 60, 23 * 60}}, time.Friday: {{7 * 60, 23 * 60}}, time.Saturday: {{8 * 60, 22 * 60}},
		time.Sunday: {{9 * 60, 21 * 60}},
	}
	// mailRoomHours: letters leave the print shop early on working days.
	mailRoomHours = map[time.Weekday][]span{
		time.Monday: {{6 * 60, 7 * 60}}, time.Tuesday: {{6 * 60, 7 * 60}}, time.Wednesday: {{6 * 60, 7 * 60}},
		time.Thursday: {{6 * 60, 7 * 60}}, time.Friday: {{6 * 60, 7 * 60}},
	}
	// notificationHours: automated messages are sent in the daytime, every day.
	notificationHours = map[time.Weekday][]span{
		time.Monday: {{8 * 60, 20 * 60}}, time.Tuesday: {{8 * 60, 20 * 60}}, time.Wednesday: {{8 * 60, 20 * 60}},
		time.Thursday: {{8 * 60, 20 * 60}}, time.Friday: {{8 * 60, 20 * 60}}, time.Saturday: {{9 * 60, 18 * 60}},
		time.Sunday: {{10 * 60, 18 * 60}},
	}
)

// moment draws a minute within hours on one of the days days before now
// (local time in loc), never later than an hour before now.
func moment(r *rand.Rand, now time.Time, loc *time.Location, days int, hours map[time.Weekday][]span) time.Time {
	local := now.In(loc)
	latest := now.Add(-time.Hour)
	for range 50 {
		day := local.AddDate(0, 0, -r.IntN(days))
		spans := hours[day.Weekday()]
		if len(spans) == 0 {
			continue
		}
		total := 0
		for _, s := range spans {
			total += s.to - s.from
		}
		m := r.IntN(total)
		for _, s := range spans {
			if m < s.to-s.from {
				m += s.from
				break
			}
			m -= s.to - s.from
		}
		t := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
		if t.Before(latest) {
			return t
		}
	}
	return latest.Truncate(time.Minute)
}

// within reports whether t falls in hours.
func within(t time.Time, hours map[time.Weekday][]span) bool {
	m := t.Hour()*60 + t.Minute()
	for _, s := range hours[t.Weekday()] {
		if m >= s.from && m < s.to {
			return true
		}
	}
	return false
}

// bankZone is the bank's time zone; UTC if the system has no zone data.
func bankZone() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}
