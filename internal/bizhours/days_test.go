package bizhours_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
)

func TestAddBusinessDaysSkipsWeekendsAndHolidays(t *testing.T) {
	// Friday 25 December 2026 is Christmas; 1 January 2027 a Friday too.
	c, err := bizhours.New(paris, bizhours.OfficeHours(), []string{"2026-12-25", "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		from string
		n    int
		want string
	}{
		{"day 0 on a business day is that day", "2026-11-23 16:00", 0, "2026-11-23"},
		{"day 0 on a Saturday is the Monday", "2026-11-28 10:00", 0, "2026-11-30"},
		{"day 0 on a Sunday evening is the Monday", "2026-11-29 23:30", 0, "2026-11-30"},
		{"day 2 from a Thursday crosses the weekend", "2026-11-26 09:00", 2, "2026-11-30"},
		{"day 1 from a Friday is the Monday", "2026-11-27 17:00", 1, "2026-11-30"},
		{"day 10 from a Monday is two weeks later", "2026-11-23 09:00", 10, "2026-12-07"},
		{"day 1 from Thursday 24 December skips Christmas and the weekend", "2026-12-24 10:00", 1, "2026-12-28"},
		{"day 0 on Christmas is the next Monday", "2026-12-25 10:00", 0, "2026-12-28"},
		{"day 6 across Christmas and New Year", "2026-12-23 10:00", 6, "2027-01-04"},
		{"a negative count is day 0", "2026-11-28 10:00", -3, "2026-11-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.AddBusinessDays(local(tc.from), tc.n)
			if got.Format(time.DateOnly) != tc.want {
				t.Fatalf("AddBusinessDays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format(time.DateOnly), tc.want)
			}
			if got.Location() != paris || got.Hour() != 0 {
				t.Fatalf("AddBusinessDays(%s, %d) = %v, want local midnight in Paris", tc.from, tc.n, got)
			}
		})
	}
}

func TestAddBusinessDaysCountsInTheCalendarsZone(t *testing.T) {
	c, err := bizhours.New(paris, bizhours.OfficeHours(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on Friday is already Saturday in Paris: day 0 is Monday.
	from := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	if got := c.AddBusinessDays(from, 0).Format(time.DateOnly); got != "2026-11-30" {
		t.Fatalf("AddBusinessDays = %s, want 2026-11-30", got)
	}
}

func TestAddBusinessDaysOfACalendarThatNeverOpensIsZero(t *testing.T) {
	c, err := bizhours.New(paris, bizhours.WeeklyHours{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.AddBusinessDays(local("2026-11-23 09:00"), 1); !got.IsZero() {
		t.Fatalf("AddBusinessDays = %v, want the zero time", got)
	}
}
