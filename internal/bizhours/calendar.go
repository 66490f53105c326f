package bizhours

import (
	"errors"
	"fmt"
	"time"
)

// searchDays bounds how far ahead NextOpening looks before giving up on a
// calendar that never opens.
const searchDays = 400

// Calendar tells when business hours are open: weekly hours in a time zone,
// closed on the listed holidays.
type Calendar struct {
	loc    *time.Location
	week   [7][]window
	closed map[string]bool // "YYYY-MM-DD"
}

// New builds a calendar for hours in loc, closed on holidays ("YYYY-MM-DD"
// local dates). Holidays outside the years the caller listed are not known:
// list every year the calendar will be asked about.
func New(loc *time.Location, hours WeeklyHours, holidays []string) (*Calendar, error) {
	if loc == nil {
		return nil, errors.New("bizhours: nil time zone")
	}
	week, err := hours.windows()
	if err != nil {
		return nil, fmt.Errorf("bizhours: %w", err)
	}
	c := &Calendar{loc: loc, week: week, closed: make(map[string]bool, len(holidays))}
	for _, d := range holidays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, fmt.Errorf("bizhours: holiday %q: %w", d, err)
		}
		c.closed[d] = true
	}
	return c, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsOpen reports whether business hours are open at t.
func (c *Calendar) IsOpen(t time.Time) bool {
	lt := t.In(c.loc)
	y, m, d := lt.Date()
	if c.closed[lt.Format(time.DateOnly)] {
		return false
	}
	for _, w := range c.week[lt.Weekday()] {
		if !t.Before(c.at(y, m, d, w.start)) && t.Before(c.at(y, m, d, w.end)) {
			return true
		}
	}
	return false
}

// NextOpening returns t itself when open, otherwise the instant business hours
// next open after t. It returns the zero time when the calendar does not open
// within about a year (no hours at all).
func (c *Calendar) NextOpening(t time.Time) time.Time {
	var next time.Time
	c.eachOpenSpan(t, searchDays, func(start, end time.Time) bool {
		next = later(start, t)
		return false
	})
	return next
}

// OpenDuration returns how long business hours are open between from and to,
// for measuring response times in business time (lunch breaks, nights,
// weekends and holidays do not count).
func (c *Calendar) OpenDuration(from, to time.Time) time.Duration {
	var total time.Duration
	if !to.After(from) {
		return 0
	}
	days := int(to.Sub(from).Hours()/24) + 2
	c.eachOpenSpan(from, days, func(start, end time.Time) bool {
		if !start.Before(to) {
			return false
		}
		total += earlier(end, to).Sub(later(start, from))
		return true
	})
	return total
}

// eachOpenSpan calls fn with each open span that ends after t, in order,
// until fn returns false or the given number of days have been looked at.
func (c *Calendar) eachOpenSpan(t time.Time, days int, fn func(start, end time.Time) bool) {
	y, m, d := t.In(c.loc).Date()
	for i := 0; i < days; i++ {
		// time.Date normalises d+i across months, years and DST changes.
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.loc)
		if c.closed[day.Format(time.DateOnly)] {
			continue
		}
		dy, dm, dd := day.Date()
		for _, w := range c.week[day.Weekday()] {
			start, end := c.at(dy, dm, dd, w.start), c.at(dy, dm, dd, w.end)
			if !end.After(t) {
				continue
			}
			if !fn(start, end) {
				return
			}
		}
	}
}

// at returns the instant of minute min of a local day.
func (c *Calendar) at(y int, m time.Month, d, min int) time.Time {
	return time.Date(y, m, d, min/60, min%60, 0, 0, c.loc)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// AddOpen returns the instant when d of business time has passed after
// from — a due time counted in the unit's hours: nights, weekends, lunch
// breaks and holidays do not count. It returns the zero time when the
// calendar does not hold d of open time within about two years.
func (c *Calendar) AddOpen(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return c.NextOpening(from)
	}
	var due time.Time
	left := d
	c.eachOpenSpan(from, 2*searchDays, func(start, end time.Time) bool {
		start = later(start, from)
		if span := end.Sub(start); span < left {
			left -= span
			return true
		}
		due = start.Add(left)
		return false
	})
	return due
}
