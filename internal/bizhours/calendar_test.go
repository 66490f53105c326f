package bizhours_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/bizhours"
)

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// local reads "2006-01-02 15:04" in Paris.
func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func parisOffice(t *testing.T) *bizhours.Calendar {
	t.Helper()
	// 14 July 2025 (Fête nationale) is a Monday.
	c, err := bizhours.New(paris, bizhours.OfficeHours(), []string{"2025-07-14"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsOpenFollowsHoursLunchWeekendsAndHolidays(t *testing.T) {
	c := parisOffice(t)
	for _, tc := range []struct {
		name string
		at   string
		open bool
	}{
		{"Friday at opening time", "2025-07-11 09:00", true},
		{"Friday one minute before opening", "2025-07-11 08:59", false},
		{"Friday late morning", "2025-07-11 12:29", true},
		{"Friday lunch break starts at 12:30", "2025-07-11 12:30", false},
		{"Friday during lunch", "2025-07-11 13:00", false},
		{"Friday after lunch", "2025-07-11 13:30", true},
		{"Friday at closing time", "2025-07-11 18:00", false},
		{"Saturday", "2025-07-12 10:00", false},
		{"Sunday", "2025-07-13 10:00", false},
		{"Monday 14 July, a public holiday", "2025-07-14 10:00", false},
		{"Tuesday 15 July", "2025-07-15 10:00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.IsOpen(local(tc.at)); got != tc.open {
				t.Fatalf("IsOpen(%s) = %v, want %v", tc.at, got, tc.open)
			}
		})
	}
}

func TestIsOpenUsesTheCalendarsTimeZoneWhateverTheInstantsZone(t *testing.T) {
	c := parisOffice(t)
	// 07:30 UTC on a summer Friday is 09:30 in Paris.
	if !c.IsOpen(time.Date(2025, 7, 11, 7, 30, 0, 0, time.UTC)) {
		t.Fatal("07:30 UTC (09:30 Paris) should be open")
	}
	if c.IsOpen(time.Date(2025, 7, 11, 6, 30, 0, 0, time.UTC)) {
		t.Fatal("06:30 UTC (08:30 Paris) should be closed")
	}
}

func TestNextOpening(t *testing.T) {
	c := parisOffice(t)
	for _, tc := range []struct {
		name, from, want string
	}{
		{"open now returns the same instant", "2025-07-11 10:17", "2025-07-11 10:17"},
		{"early morning waits for 09:00", "2025-07-11 07:00", "2025-07-11 09:00"},
		{"lunch break waits for 13:30", "2025-07-11 12:45", "2025-07-11 13:30"},
		{"Friday evening skips the weekend and the 14 July holiday", "2025-07-11 18:00", "2025-07-15 09:00"},
		{"Saturday skips to Monday", "2025-07-05 11:00", "2025-07-07 09:00"},
		{"across the new year", "2025-12-31 19:00", "2026-01-01 09:00"},
		// Clocks go forward on Sunday 30 March 2025: Monday 09:00 is 07:00 UTC, not 08:00.
		{"spring DST change", "2025-03-28 18:30", "2025-03-31 09:00"},
		// Clocks go back on Sunday 26 October 2025: Monday 09:00 is 08:00 UTC, not 07:00.
		{"autumn DST change", "2025-10-24 18:30", "2025-10-27 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.NextOpening(local(tc.from))
			if want := local(tc.want); !got.Equal(want) {
				t.Fatalf("NextOpening(%s) = %s, want %s", tc.from, got.In(paris), want)
			}
		})
	}
}

func TestNextOpeningAfterDSTChangeIsAtLocalWallClockTime(t *testing.T) {
	c := parisOffice(t)
	got := c.NextOpening(time.Date(2025, 3, 28, 17, 30, 0, 0, time.UTC))
	if want := time.Date(2025, 3, 31, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("got %s, want %s (09:00 CEST)", got.UTC(), want)
	}
}

func TestCalendarWithNoHoursNeverOpens(t *testing.T) {
	c, err := bizhours.New(paris, bizhours.WeeklyHours{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.NextOpening(local("2025-07-11 10:00")); !got.IsZero() {
		t.Fatalf("NextOpening = %s, want zero time", got)
	}
}

func TestOpenDurationCountsOnlyBusinessTime(t *testing.T) {
	c := parisOffice(t)
	for _, tc := range []struct {
		name, from, to string
		want           time.Duration
	}{
		{"within a morning", "2025-07-11 09:30", "2025-07-11 10:00", 30 * time.Minute},
		{"across lunch", "2025-07-11 12:00", "2025-07-11 14:00", time.Hour},
		{"Friday 17:00 to Tuesday 10:00 across weekend and holiday", "2025-07-11 17:00", "2025-07-15 10:00", 2 * time.Hour},
		{"entirely at night", "2025-07-11 20:00", "2025-07-11 23:00", 0},
		{"backwards", "2025-07-11 11:00", "2025-07-11 10:00", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.OpenDuration(local(tc.from), local(tc.to)); got != tc.want {
				t.Fatalf("OpenDuration = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestOpenDurationOnTheNightClocksGoForwardIsAnHourShorter(t *testing.T) {
	var h bizhours.WeeklyHours
	h[time.Sunday] = []bizhours.Span{{"01:00", "04:00"}}
	c, err := bizhours.New(paris, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := c.OpenDuration(local("2025-03-30 00:00"), local("2025-03-30 12:00"))
	if got != 2*time.Hour {
		t.Fatalf("01:00–04:00 on 30 March 2025 lasted %s, want 2h", got)
	}
}

func TestWeeklyHoursValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spans []bizhours.Span
		valid bool
	}{
		{"office day", []bizhours.Span{{"09:00", "12:30"}, {"13:30", "18:00"}}, true},
		{"until midnight", []bizhours.Span{{"20:00", "24:00"}}, true},
		{"unsorted but disjoint", []bizhours.Span{{"13:30", "18:00"}, {"09:00", "12:30"}}, true},
		{"ends before it starts", []bizhours.Span{{"18:00", "09:00"}}, false},
		{"empty span", []bizhours.Span{{"09:00", "09:00"}}, false},
		{"overlap", []bizhours.Span{{"09:00", "12:30"}, {"12:00", "18:00"}}, false},
		{"bad format", []bizhours.Span{{"9:00", "12:00"}}, false},
		{"bad minutes", []bizhours.Span{{"09:60", "12:00"}}, false},
		{"past midnight", []bizhours.Span{{"09:00", "24:30"}}, false},
		{"starting at 24:00", []bizhours.Span{{"24:00", "24:00"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h bizhours.WeeklyHours
			h[time.Wednesday] = tc.spans
			err := h.Validate()
			if (err == nil) != tc.valid {
				t.Fatalf("Validate() = %v, valid want %v", err, tc.valid)
			}
			if _, err := bizhours.New(paris, h, nil); (err == nil) != tc.valid {
				t.Fatalf("New() = %v, valid want %v", err, tc.valid)
			}
		})
	}
}

func TestMalformedHolidayIsRefused(t *testing.T) {
	if _, err := bizhours.New(paris, bizhours.OfficeHours(), []string{"14/07/2025"}); err == nil {
		t.Fatal("New accepted a holiday that is not YYYY-MM-DD")
	}
}

func TestAddOpenCountsOnlyBusinessTime(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	c, err := bizhours.New(paris, bizhours.OfficeHours(), []string{"2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2026-12-01 10:00", time.Hour, "2026-12-01 11:00"},
		{"2026-12-04 17:30", time.Hour, "2026-12-07 09:30"}, // Friday evening → Monday
		{"2026-12-05 11:00", 10 * time.Minute, "2026-12-07 09:10"},
		{"2026-12-24 17:00", 2 * time.Hour, "2026-12-28 10:00"}, // Christmas is closed
		{"2026-12-05 11:00", 0, "2026-12-07 09:00"},
	} {
		got := c.AddOpen(at(tc.from), tc.d)
		if want := at(tc.want); !got.Equal(want) {
			t.Errorf("AddOpen(%s, %s) = %s, want %s", tc.from, tc.d, got.In(paris).Format("2006-01-02 15:04"), tc.want)
		}
		if tc.d > 0 {
			if back := c.OpenDuration(at(tc.from), got); back != tc.d {
				t.Errorf("OpenDuration back from %s = %s, want %s", tc.from, back, tc.d)
			}
		}
	}
}
