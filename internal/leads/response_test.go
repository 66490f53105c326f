package leads_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
	"github.com/rapport-crm/rapport/internal/leads"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func wall(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func calendar(t *testing.T, loc *time.Location, hours bizhours.WeeklyHours, holidays ...string) *bizhours.Calendar {
	t.Helper()
	c, err := bizhours.New(loc, hours, holidays)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// allDay is a unit open around the clock, every day: its business time is
// wall time, so a DST change shows in the count.
func allDay() bizhours.WeeklyHours {
	var h bizhours.WeeklyHours
	for d := range h {
		h[d] = []bizhours.Span{{Start: "00:00", End: "24:00"}}
	}
	return h
}

func TestResponseTimeRunsFromReceiptOrNextOpeningInBusinessMinutes(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	martinique := mustZone(t, "America/Martinique")
	// 1 May 2026 (Fête du travail) is a Friday; 14 July 2026 a Tuesday.
	office := calendar(t, paris, bizhours.OfficeHours(), "2026-05-01", "2026-07-14")
	antilles := calendar(t, martinique, bizhours.OfficeHours())
	roundTheClock := calendar(t, paris, allDay())
	never := calendar(t, paris, bizhours.WeeklyHours{})

	for _, tc := range []struct {
		name                       string
		cal                        *bizhours.Calendar
		loc                        *time.Location
		received, start, responded string
		minutes                    int64
	}{
		{"Friday 19:00 lead answered Monday 9:10 is 10 minutes", office, paris,
			"2026-03-06 19:00", "2026-03-09 09:00", "2026-03-09 09:10", 10},
		{"a lead received while open starts at once", office, paris,
			"2026-03-10 10:00", "2026-03-10 10:00", "2026-03-10 10:45", 45},
		{"a lead received at opening time starts at once", office, paris,
			"2026-03-10 09:00", "2026-03-10 09:00", "2026-03-10 09:01", 1},
		{"a lead received at closing time waits for the next morning", office, paris,
			"2026-03-10 18:00", "2026-03-11 09:00", "2026-03-11 09:30", 30},
		{"the lunch break does not count", office, paris,
			"2026-03-10 12:00", "2026-03-10 12:00", "2026-03-10 14:00", 60},
		{"a lead received during lunch starts at 13:30", office, paris,
			"2026-03-10 12:45", "2026-03-10 13:30", "2026-03-10 13:50", 20},
		{"the night does not count", office, paris,
			"2026-03-10 17:30", "2026-03-10 17:30", "2026-03-11 09:30", 60},
		{"the weekend does not count", office, paris,
			"2026-03-06 17:00", "2026-03-06 17:00", "2026-03-09 10:00", 120},
		{"a holiday is skipped: Thursday evening lead waits for Monday", office, paris,
			"2026-04-30 19:00", "2026-05-04 09:00", "2026-05-04 09:10", 10},
		{"a holiday inside the delay does not count", office, paris,
			"2026-07-13 17:00", "2026-07-13 17:00", "2026-07-15 09:15", 75},
		{"a response before the clock starts is 0", office, paris,
			"2026-03-07 10:00", "2026-03-09 09:00", "2026-03-07 11:00", 0},
		{"a response at night to a lead of the day counts the day's end only", office, paris,
			"2026-03-10 17:00", "2026-03-10 17:00", "2026-03-10 22:00", 60},
		{"the spring DST change makes a 23-hour Sunday", roundTheClock, paris,
			"2026-03-28 12:00", "2026-03-28 12:00", "2026-03-29 12:00", 23 * 60},
		{"the autumn DST change makes a 25-hour Sunday", roundTheClock, paris,
			"2026-10-24 12:00", "2026-10-24 12:00", "2026-10-25 12:00", 25 * 60},
		{"office hours across the DST weekend are the usual ones", office, paris,
			"2026-03-27 17:00", "2026-03-27 17:00", "2026-03-30 10:00", 120},
		{"a Martinique unit's Friday evening lead answered Monday 9:10 is 10 minutes", antilles, martinique,
			"2026-03-06 18:30", "2026-03-09 09:00", "2026-03-09 09:10", 10},
		{"a Martinique unit opens at 9:00 in Martinique, not in Paris", antilles, martinique,
			"2026-03-09 08:30", "2026-03-09 09:00", "2026-03-09 09:45", 45},
		{"a calendar that never opens leaves the receipt and counts nothing", never, paris,
			"2026-03-10 10:00", "2026-03-10 10:00", "2026-03-10 11:00", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			received := wall(t, tc.loc, tc.received)
			start := leads.ClockStart(tc.cal, received)
			if want := wall(t, tc.loc, tc.start); !start.Equal(want) {
				t.Fatalf("ClockStart(%s) = %s, want %s", tc.received, start.In(tc.loc), want)
			}
			// The clock start is computed once and stored; the response is
			// measured from it, in UTC as read back from the database.
			responded := wall(t, tc.loc, tc.responded).UTC()
			if got := leads.ResponseMinutes(tc.cal, start.UTC(), responded); got != tc.minutes {
				t.Fatalf("ResponseMinutes(%s, %s) = %d, want %d", tc.start, tc.responded, got, tc.minutes)
			}
		})
	}
}

func TestResponseMinutesAreWholeMinutesRoundedDown(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	office := calendar(t, paris, bizhours.OfficeHours())
	start := wall(t, paris, "2026-03-10 10:00")
	if got := leads.ResponseMinutes(office, start, start.Add(59*time.Second)); got != 0 {
		t.Fatalf("59 seconds = %d minutes, want 0", got)
	}
	if got := leads.ResponseMinutes(office, start, start.Add(90*time.Second)); got != 1 {
		t.Fatalf("90 seconds = %d minutes, want 1", got)
	}
}
