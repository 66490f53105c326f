package org_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestFrenchPublicHolidaysOf2025(t *testing.T) {
	want := []string{"2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29", "2025-06-09",
		"2025-07-14", "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25"}
	got := org.PublicHolidays(2025)
	if len(got) != len(want) {
		t.Fatalf("got %d holidays, want %d: %v", len(got), len(want), got)
	}
	for i, h := range got {
		if h.Day != want[i] || !h.Builtin || h.Name == "" {
			t.Errorf("holiday %d = %+v, want builtin on %s", i, h, want[i])
		}
	}
}

func TestHolidaysMergePublicOnesWithThoseOfTheUnitAndItsAncestors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		for _, h := range []struct{ unit, day, name string }{
			{"IDF", "2025-08-16", "Regional bridge day"},
			{"PARIS1", "2025-12-26", "Boxing day"},
			{"PARIS2", "2025-06-20", "Other agency's day"},
			{"PARIS1", "2026-01-02", "Next year"},
			{"PARIS1", "2025-07-14", "Same day as a public holiday"},
		} {
			if err := e.store.AddHoliday(ctx, e.admin, h.unit, h.day, h.name); err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.store.Holidays(ctx, units["PARIS1"].ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		days := map[string]org.Holiday{}
		var prev string
		for _, h := range got {
			if h.Day <= prev {
				t.Fatalf("holidays not sorted or duplicated at %s: %v", h.Day, got)
			}
			prev = h.Day
			days[h.Day] = h
		}
		if len(got) != 11+2 {
			t.Fatalf("got %d holidays, want 11 public + 2 of the agency's own and its region's: %v", len(got), got)
		}
		if h := days["2025-08-16"]; h.Builtin || h.UnitCode != "IDF" {
			t.Fatalf("region's holiday = %+v", h)
		}
		if h := days["2025-12-26"]; h.UnitCode != "PARIS1" {
			t.Fatalf("agency's holiday = %+v", h)
		}
		if h := days["2025-07-14"]; !h.Builtin {
			t.Fatalf("14 July = %+v, want the public holiday", h)
		}
		if _, ok := days["2025-06-20"]; ok {
			t.Fatal("another agency's holiday leaked in")
		}
	})
}

func TestHolidayRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		wantField(t, e.store.AddHoliday(ctx, e.admin, "PARIS1", "16/08/2025", "X"), "day")
		wantField(t, e.store.AddHoliday(ctx, e.admin, "PARIS1", "2025-08-16", " "), "name")
		wantCode(t, e.store.AddHoliday(ctx, e.admin, "NOPE", "2025-08-16", "X"), core.NotFound)
		if err := e.store.AddHoliday(ctx, e.admin, "PARIS1", "2025-08-16", "Bridge"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.store.AddHoliday(ctx, e.admin, "PARIS1", "2025-08-16", "Again"), core.Conflict)
		wantCode(t, e.store.RemoveHoliday(ctx, e.admin, "PARIS1", "2025-07-14"), core.NotFound)
		if err := e.store.RemoveHoliday(ctx, e.admin, "PARIS1", "2025-08-16"); err != nil {
			t.Fatal(err)
		}
		entries := auditDetails(t, d)
		if !hasAction(entries, "unit.holiday_add") || !hasAction(entries, "unit.holiday_remove") {
			t.Fatalf("holiday changes not audited: %v", entries)
		}
	})
}

func TestUnitCalendarIsClosedOnBastilleDayAndOnTheUnitsOwnHolidays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		if err := e.store.AddHoliday(ctx, e.admin, "IDF", "2025-07-15", "Regional day"); err != nil {
			t.Fatal(err)
		}
		cal, err := e.store.Calendar(ctx, units["PARIS1"].ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		friday := time.Date(2025, 7, 11, 18, 0, 0, 0, paris)
		if got, want := cal.NextOpening(friday), time.Date(2025, 7, 16, 9, 0, 0, 0, paris); !got.Equal(want) {
			t.Fatalf("next opening after Friday 11 July 18:00 = %s, want Wednesday 16 July 09:00", got.In(paris))
		}
		newYearsEve := time.Date(2025, 12, 31, 18, 0, 0, 0, paris)
		if got, want := cal.NextOpening(newYearsEve), time.Date(2026, 1, 2, 9, 0, 0, 0, paris); !got.Equal(want) {
			t.Fatalf("next opening after 31 December = %s, want 2 January (1 January is a holiday)", got.In(paris))
		}
	})
}
