// Package bizhours answers when a unit is open: weekly business hours in the
// unit's time zone, minus its holidays. It is pure: no database, no clock.
package bizhours

import (
	"fmt"
	"slices"
	"time"
)

// Span is one opening period of a day in local wall-clock time, "09:00" to
// "12:30"; End is exclusive and may be "24:00".
type Span struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// WeeklyHours lists each day's opening spans, indexed by time.Weekday.
type WeeklyHours [7][]Span

// OfficeHours returns the usual hours of a French branch: Monday to Friday,
// 09:00–12:30 and 13:30–18:00.
func OfficeHours() WeeklyHours {
	var h WeeklyHours
	for d := time.Monday; d <= time.Friday; d++ {
		h[d] = []Span{{"09:00", "12:30"}, {"13:30", "18:00"}}
	}
	return h
}

// Validate checks that every span reads "HH:MM", starts before it ends and
// does not overlap another span of the same day. Its message is meant for
// users.
func (h WeeklyHours) Validate() error {
	_, err := h.windows()
	return err
}

// window is a span in minutes since local midnight.
type window struct{ start, end int }

func (h WeeklyHours) windows() ([7][]window, error) {
	var out [7][]window
	for day, spans := range h {
		for _, s := range spans {
			start, okStart := parseClock(s.Start)
			end, okEnd := parseClock(s.End)
			switch {
			case !okStart || !okEnd || start == 24*60:
				return out, fmt.Errorf("%s: times must read HH:MM, got %q–%q", time.Weekday(day), s.Start, s.End)
			case start >= end:
				return out, fmt.Errorf("%s: %s–%s ends before it starts", time.Weekday(day), s.Start, s.End)
			}
			out[day] = append(out[day], window{start, end})
		}
		slices.SortFunc(out[day], func(a, b window) int { return a.start - b.start })
		for i := 1; i < len(out[day]); i++ {
			if out[day][i].start < out[day][i-1].end {
				return out, fmt.Errorf("%s: spans overlap", time.Weekday(day))
			}
		}
	}
	return out, nil
}

// parseClock reads "HH:MM" (00:00 to 24:00) as minutes since midnight.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	digit := func(c byte) (int, bool) { return int(c - '0'), c >= '0' && c <= '9' }
	h1, ok1 := digit(s[0])
	h2, ok2 := digit(s[1])
	m1, ok3 := digit(s[3])
	m2, ok4 := digit(s[4])
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return 0, false
	}
	h, m := h1*10+h2, m1*10+m2
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}
