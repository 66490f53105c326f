package org_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestUnitRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.unit(t, "BANK", org.KindEstablishment, "")
		e.unit(t, "IDF", org.KindRegion, "BANK")
		bad := org.WeeklyHours{}
		bad[time.Monday] = []org.Span{{Start: "18:00", End: "09:00"}}
		for _, tc := range []struct {
			name  string
			in    org.UnitInput
			field string // "" when valid
		}{
			{"agency under a region", org.UnitInput{Code: "PARIS-1", Name: "Paris 1", Kind: org.KindAgency, ParentCode: "IDF"}, ""},
			{"second establishment", org.UnitInput{Code: "INSUR", Name: "Insurer", Kind: org.KindEstablishment}, ""},
			{"code missing", org.UnitInput{Name: "X", Kind: org.KindAgency, ParentCode: "IDF"}, "code"},
			{"code with a space", org.UnitInput{Code: "PA RIS", Name: "X", Kind: org.KindAgency, ParentCode: "IDF"}, "code"},
			{"code too long", org.UnitInput{Code: strings.Repeat("A", 33), Name: "X", Kind: org.KindAgency, ParentCode: "IDF"}, "code"},
			{"name missing", org.UnitInput{Code: "X1", Kind: org.KindAgency, ParentCode: "IDF"}, "name"},
			{"unknown kind", org.UnitInput{Code: "X2", Name: "X", Kind: "branch", ParentCode: "IDF"}, "kind"},
			{"establishment with a parent", org.UnitInput{Code: "X3", Name: "X", Kind: org.KindEstablishment, ParentCode: "BANK"}, "parent_code"},
			{"agency without a parent", org.UnitInput{Code: "X4", Name: "X", Kind: org.KindAgency}, "parent_code"},
			{"unknown parent", org.UnitInput{Code: "X5", Name: "X", Kind: org.KindAgency, ParentCode: "NOPE"}, "parent_code"},
			{"unknown time zone", org.UnitInput{Code: "X6", Name: "X", Kind: org.KindAgency, ParentCode: "IDF", TimeZone: "Europe/Atlantis"}, "time_zone"},
			{"hours ending before they start", org.UnitInput{Code: "X7", Name: "X", Kind: org.KindAgency, ParentCode: "IDF", Hours: &bad}, "hours"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.store.CreateUnit(ctx, e.admin, tc.in)
				if tc.field == "" {
					if err != nil {
						t.Fatalf("CreateUnit: %v", err)
					}
					return
				}
				wantCode(t, err, core.Invalid)
				wantField(t, err, tc.field)
			})
		}
	})
}

func TestDuplicateUnitCodeIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.unit(t, "BANK", org.KindEstablishment, "")
		_, err := e.store.CreateUnit(ctx, e.admin, org.UnitInput{Code: "BANK", Name: "Other", Kind: org.KindEstablishment})
		wantCode(t, err, core.Conflict)
		wantField(t, err, "code")
	})
}

func TestOnlyAdministratorsChangeUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.unit(t, "BANK", org.KindEstablishment, "")
		advisor := &core.Actor{AgentID: core.NewID(), Login: "advisor", Permissions: []core.Permission{core.PermPartyRead}}
		_, err := e.store.CreateUnit(ctx, advisor, org.UnitInput{Code: "X", Name: "X", Kind: org.KindRegion, ParentCode: "BANK"})
		wantCode(t, err, core.Forbidden)
		_, err = e.store.UpdateUnit(ctx, advisor, "BANK", org.UnitInput{Name: "Renamed"})
		wantCode(t, err, core.Forbidden)
		wantCode(t, e.store.AddHoliday(ctx, advisor, "BANK", "2025-08-16", "Bridge"), core.Forbidden)
	})
}

func TestUnitsListDepthFirstWithPathsAndParents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		list, err := e.store.ListUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range list {
			got = append(got, strings.Repeat(".", u.Depth)+u.Code)
		}
		want := []string{"BANK", ".IDF", "..PARIS1", "..PARIS2", ".SUD", "..MARS", ".CC", ".SUPPORT", "INSUR", ".INSAG"}
		if !slices.Equal(got, want) {
			t.Fatalf("tree = %v\nwant   %v", got, want)
		}
		p := units["PARIS1"]
		if want := "/" + units["BANK"].ID + "/" + units["IDF"].ID + "/" + p.ID + "/"; p.Path != want {
			t.Fatalf("path = %q, want %q", p.Path, want)
		}
		if p.ParentCode != "IDF" || p.ParentID != units["IDF"].ID {
			t.Fatalf("parent = %s %s, want IDF", p.ParentCode, p.ParentID)
		}
	})
}

func TestAgencyGetsOfficeHoursInParisByDefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.unit(t, "BANK", org.KindEstablishment, "")
		ag := e.unit(t, "AG", org.KindAgency, "BANK")
		if ag.TimeZone != "Europe/Paris" {
			t.Fatalf("time zone = %q", ag.TimeZone)
		}
		if got := ag.Hours[time.Tuesday]; !slices.Equal(got, []org.Span{{Start: "09:00", End: "12:30"}, {Start: "13:30", End: "18:00"}}) {
			t.Fatalf("Tuesday hours = %v", got)
		}
		if len(ag.Hours[time.Saturday]) != 0 || len(ag.Hours[time.Sunday]) != 0 {
			t.Fatal("an agency is closed at the weekend by default")
		}
		again, err := e.store.UnitByCode(ctx, "AG")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Hours[time.Friday], ag.Hours[time.Friday]) {
			t.Fatalf("stored hours %v differ from returned %v", again.Hours, ag.Hours)
		}
	})
}

func TestUpdateUnitChangesNameTimeZoneSupportAndHoursAndIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.unit(t, "BANK", org.KindEstablishment, "")
		e.unit(t, "CC", org.KindService, "BANK")
		var h org.WeeklyHours
		h[time.Saturday] = []org.Span{{Start: "09:00", End: "12:00"}}
		u, err := e.store.UpdateUnit(ctx, e.admin, "CC", org.UnitInput{Name: "Contact centre", TimeZone: "America/Martinique", Support: true, Hours: &h})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.store.UnitByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Contact centre" || got.TimeZone != "America/Martinique" || !got.Support ||
			len(got.Hours[time.Saturday]) != 1 || len(got.Hours[time.Monday]) != 0 {
			t.Fatalf("unit after update = %+v", got)
		}
		if !hasAction(auditDetails(t, d), "unit.update") {
			t.Fatal("no unit.update audit entry")
		}
		_, err = e.store.UpdateUnit(ctx, e.admin, "CC", org.UnitInput{Name: "CC", Kind: org.KindAgency})
		wantField(t, err, "kind")
		_, err = e.store.UpdateUnit(ctx, e.admin, "NOPE", org.UnitInput{Name: "X"})
		wantCode(t, err, core.NotFound)
	})
}

func TestUnknownUnitIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, err := e.store.UnitByCode(ctx, "NOPE")
		wantCode(t, err, core.NotFound)
		_, err = e.store.UnitByID(ctx, core.NewID())
		wantCode(t, err, core.NotFound)
		_, err = e.store.UnitByID(ctx, "garbage")
		wantCode(t, err, core.NotFound)
	})
}
