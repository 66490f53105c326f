package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2/fr"

	"github.com/rapport-crm/rapport/internal/bizhours"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Holiday is a day a unit is closed: a French public holiday (Builtin) or one
// set by an administrator on the unit or one of its ancestors (UnitCode).
type Holiday struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Name     string `json:"name"`
	Builtin  bool   `json:"builtin"`
	UnitCode string `json:"unit_code,omitempty"` // the unit that set it; empty when Builtin
}

// PublicHolidays returns the French public holidays (jours fériés) of year,
// sorted by day.
func PublicHolidays(year int) []Holiday {
	out := make([]Holiday, 0, len(fr.Holidays))
	for _, h := range fr.Holidays {
		actual, _ := h.Calc(year)
		if actual.IsZero() {
			continue
		}
		out = append(out, Holiday{Day: actual.Format(time.DateOnly), Name: h.Name, Builtin: true})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return strings.Compare(a.Day, b.Day) })
	return out
}

// Holidays returns the days unitID is closed in year: the French public
// holidays merged with the holidays set on the unit and on its ancestors (a
// region's holiday closes its agencies), one entry per day, sorted. A public
// holiday wins over a unit's holiday on the same day.
func (s *Store) Holidays(ctx context.Context, unitID string, year int) ([]Holiday, error) {
	if year < 1900 || year > 9999 {
		return nil, core.Errorf(core.Invalid, "year %d out of range", year)
	}
	u, err := s.UnitByID(ctx, unitID)
	if err != nil {
		return nil, err
	}
	ancestors := strings.Split(strings.Trim(u.Path, "/"), "/")
	args := []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)}
	for _, id := range ancestors {
		args = append(args, id)
	}
	rows, err := s.db.Query(ctx, `SELECT h.day, h.name, u.code FROM unit_holidays h JOIN units u ON u.id = h.unit_id
		WHERE h.day BETWEEN ? AND ? AND h.unit_id IN (`+db.Placeholders(len(ancestors))+`)
		ORDER BY h.day, u.path DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("holidays of unit %s: %w", u.Code, err)
	}
	defer rows.Close()
	holidays := PublicHolidays(year)
	seen := map[string]bool{}
	for _, h := range holidays {
		seen[h.Day] = true
	}
	for rows.Next() {
		var h Holiday
		if err := rows.Scan(&h.Day, &h.Name, &h.UnitCode); err != nil {
			return nil, fmt.Errorf("holidays of unit %s: %w", u.Code, err)
		}
		if !seen[h.Day] { // the nearest unit's name wins: rows come deepest first
			seen[h.Day] = true
			holidays = append(holidays, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("holidays of unit %s: %w", u.Code, err)
	}
	slices.SortFunc(holidays, func(a, b Holiday) int { return strings.Compare(a.Day, b.Day) })
	return holidays, nil
}

// AddHoliday closes the unit (and the units below it) on day. Adding the same
// day twice is a Conflict error.
func (s *Store) AddHoliday(ctx context.Context, actor *core.Actor, unitCode, day, name string) error {
	if err := actor.Require(core.PermAdmin); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	f := core.Fields{}
	core.CheckText(f, "name", name, core.MaxName)
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		f.Add("day", core.Because("date"))
	}
	if name == "" || len(name) > 100 {
		f.Add("name", core.RequiredUpTo(100))
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		u, err := unitWhere(ctx, tx, "u.code = ?", unitCode)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO unit_holidays (unit_id, day, name) VALUES (?, ?, ?)", u.ID, day, name)
		if db.IsUniqueViolation(err) {
			return &core.Error{Code: core.Conflict, Message: fmt.Sprintf("unit %s already has a holiday on %s", unitCode, day),
				Fields: core.Fields{"day": core.Because("holiday_exists")}}
		}
		if err != nil {
			return fmt.Errorf("add holiday to unit %s: %w", unitCode, err)
		}
		return s.log.Record(ctx, tx, actor, "unit.holiday_add", "unit", u.ID, "", map[string]any{"day": day, "name": name})
	})
}

// RemoveHoliday reopens the unit on a day it set as a holiday; public
// holidays and those set on ancestors cannot be removed here (NotFound).
func (s *Store) RemoveHoliday(ctx context.Context, actor *core.Actor, unitCode, day string) error {
	if err := actor.Require(core.PermAdmin); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		u, err := unitWhere(ctx, tx, "u.code = ?", unitCode)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM unit_holidays WHERE unit_id = ? AND day = ?", u.ID, day)
		if err != nil {
			return fmt.Errorf("remove holiday from unit %s: %w", unitCode, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("remove holiday from unit %s: %w", unitCode, err)
		} else if n == 0 {
			return core.Errorf(core.NotFound, "unit %s has no holiday of its own on %s", unitCode, day)
		}
		return s.log.Record(ctx, tx, actor, "unit.holiday_remove", "unit", u.ID, "", map[string]any{"day": day})
	})
}

// Calendar returns the business-hours calendar of unitID, knowing the
// holidays of year and the next one (so a question asked in late December
// finds January's holidays).
func (s *Store) Calendar(ctx context.Context, unitID string, year int) (*bizhours.Calendar, error) {
	u, err := s.UnitByID(ctx, unitID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(u.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("unit %s time zone: %w", u.Code, err)
	}
	var days []string
	for y := year; y <= year+1; y++ {
		hs, err := s.Holidays(ctx, unitID, y)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			days = append(days, h.Day)
		}
	}
	c, err := bizhours.New(loc, u.Hours, days)
	if err != nil {
		return nil, fmt.Errorf("unit %s calendar: %w", u.Code, err)
	}
	return c, nil
}
