package bizhours

import "time"

// IsBusinessDay reports whether the local date of t (in the calendar's
// zone) has opening hours and is not a holiday.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	lt := t.In(c.loc)
	return len(c.week[lt.Weekday()]) > 0 && !c.closed[lt.Format(time.DateOnly)]
}

// AddBusinessDays returns the local midnight of the date n business days
// after from's date in the calendar's zone: day 0 is from's date when it is
// a business day, else the next business day; days without opening hours
// and holidays are skipped. It returns the zero time when the calendar has
// no business day within about two years of the answer (no hours at all).
func (c *Calendar) AddBusinessDays(from time.Time, n int) time.Time {
	y, m, d := from.In(c.loc).Date()
	left := max(n, 0)
	for i := 0; i < 2*searchDays+left*7; i++ {
		// Noon, so that time.Date's normalisation never lands on a DST gap.
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.loc)
		if !c.IsBusinessDay(day) {
			continue
		}
		if left == 0 {
			dy, dm, dd := day.Date()
			return time.Date(dy, dm, dd, 0, 0, 0, 0, c.loc)
		}
		left--
	}
	return time.Time{}
}
