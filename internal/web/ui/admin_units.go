package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// weekdays lists the days in the order a French week is shown, Monday first.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

type unitsPage struct {
	adminBase
	Units []org.Unit
	New   org.UnitInput
}

type dayHours struct {
	Day   time.Weekday
	Name  string // the form field: hours_1 for Monday
	Spans string // "09:00-12:30, 14:00-18:00"
}

type unitPage struct {
	adminBase
	Unit     org.Unit
	Hours    []dayHours
	Year     int
	Holidays []org.Holiday
}

func (s *server) adminUnits(w http.ResponseWriter, r *http.Request) {
	s.showUnits(w, r, http.StatusOK, org.UnitInput{Kind: org.KindAgency, TimeZone: org.DefaultTimeZone}, "", nil)
}

func (s *server) showUnits(w http.ResponseWriter, r *http.Request, status int, in org.UnitInput, msg string, fields core.Fields) {
	units, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := unitsPage{adminBase: s.adminPage(r, "admin.units", "units"), Units: units, New: in}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_units", "", p)
}

func (s *server) adminUnitCreate(w http.ResponseWriter, r *http.Request) {
	in := org.UnitInput{Code: strings.TrimSpace(r.FormValue("code")), Name: r.FormValue("name"),
		Kind: org.UnitKind(r.FormValue("kind")), ParentCode: r.FormValue("parent_code"),
		TimeZone: strings.TrimSpace(r.FormValue("time_zone")), Support: r.FormValue("support") == "on"}
	u, err := s.Orgs.CreateUnit(r.Context(), core.ActorFrom(r.Context()), in)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showUnits(w, r, status, in, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.units")
	s.redirect(w, r, "/admin/units/"+u.Code, p.T("admin.unit_created"))
}

func (s *server) adminUnit(w http.ResponseWriter, r *http.Request) {
	u, err := s.Orgs.UnitByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showUnit(w, r, http.StatusOK, u, nil, "", nil)
}

// showUnit renders a unit's page; typed holds the hours as the agent typed
// them when the form is shown again with errors.
func (s *server) showUnit(w http.ResponseWriter, r *http.Request, status int, u org.Unit, typed map[time.Weekday]string, msg string, fields core.Fields) {
	year := s.Clock.Now().Year()
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	holidays, err := s.Orgs.Holidays(r.Context(), u.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := unitPage{adminBase: s.adminPage(r, "admin.unit", "units"), Unit: u, Year: year, Holidays: holidays}
	p.Title = u.Name
	for _, d := range weekdays {
		spans := formatSpans(u.Hours[d])
		if t, ok := typed[d]; ok {
			spans = t
		}
		p.Hours = append(p.Hours, dayHours{Day: d, Name: fmt.Sprintf("hours_%d", d), Spans: spans})
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_unit", "", p)
}

func (s *server) adminUnitUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.Orgs.UnitByCode(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	typed := map[time.Weekday]string{}
	var hours org.WeeklyHours
	fields := core.Fields{}
	for _, d := range weekdays {
		raw := r.FormValue(fmt.Sprintf("hours_%d", d))
		typed[d] = raw
		spans, err := parseSpans(raw)
		if err != nil {
			fields.Add(fmt.Sprintf("hours_%d", d), core.Because("invalid_hours", "detail", err.Error()))
		}
		hours[d] = spans
	}
	in := org.UnitInput{Name: r.FormValue("name"), TimeZone: strings.TrimSpace(r.FormValue("time_zone")),
		Support: r.FormValue("support") == "on", Hours: &hours}
	show := func(status int, msg string, f core.Fields) {
		u.Name, u.TimeZone, u.Support = in.Name, in.TimeZone, in.Support
		s.showUnit(w, r, status, u, typed, msg, f)
	}
	if err := fields.Err(); err != nil {
		s.formFail(w, r, err, show)
		return
	}
	if _, err := s.Orgs.UpdateUnit(ctx, core.ActorFrom(ctx), u.Code, in); err != nil {
		s.formFail(w, r, err, show)
		return
	}
	p := s.newPage(r, "admin.unit")
	s.redirect(w, r, "/admin/units/"+u.Code, p.T("admin.saved"))
}

func (s *server) adminHolidayAdd(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code, day := r.PathValue("code"), isoDate(r.FormValue("day"))
	err := s.Orgs.AddHoliday(ctx, core.ActorFrom(ctx), code, day, r.FormValue("name"))
	if err != nil {
		u, uerr := s.Orgs.UnitByCode(ctx, code)
		if uerr != nil {
			s.fail(w, r, uerr)
			return
		}
		s.formFail(w, r, err, func(status int, msg string, f core.Fields) {
			s.showUnit(w, r, status, u, nil, msg, f)
		})
		return
	}
	p := s.newPage(r, "admin.unit")
	s.redirect(w, r, "/admin/units/"+code+"?year="+yearOf(day), p.T("admin.saved"))
}

func (s *server) adminHolidayRemove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code, day := r.PathValue("code"), r.PathValue("day")
	if err := s.Orgs.RemoveHoliday(ctx, core.ActorFrom(ctx), code, day); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.unit")
	s.redirect(w, r, "/admin/units/"+code+"?year="+yearOf(day), p.T("admin.saved"))
}

func yearOf(day string) string {
	if len(day) >= 4 {
		return day[:4]
	}
	return ""
}

// formatSpans writes a day's opening spans the way the form shows them.
func formatSpans(spans []org.Span) string {
	parts := make([]string, 0, len(spans))
	for _, sp := range spans {
		parts = append(parts, sp.Start+"-"+sp.End)
	}
	return strings.Join(parts, ", ")
}

// parseSpans reads "09:00-12:30, 14:00-18:00" (commas, semicolons or spaces
// between spans; empty means closed). The organisation store validates
// the times themselves.
func parseSpans(raw string) ([]org.Span, error) {
	fields := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
	spans := make([]org.Span, 0, len(fields))
	for _, f := range fields {
		start, end, ok := strings.Cut(f, "-")
		if !ok || start == "" || end == "" {
			return nil, fmt.Errorf("%q: write spans as 09:00-12:30", f)
		}
		spans = append(spans, org.Span{Start: start, End: end})
	}
	return spans, nil
}
