package org

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/bizhours"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// UnitKind is the level of a unit in the organisation.
type UnitKind string

// The kinds of unit: établissement, région, agence, service.
const (
	KindEstablishment UnitKind = "establishment" // a root: the bank, the insurer
	KindRegion        UnitKind = "region"        // groups agencies
	KindAgency        UnitKind = "agency"        // a branch customers visit
	KindService       UnitKind = "service"       // contact centre, back office, support
)

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool {
	switch k {
	case KindEstablishment, KindRegion, KindAgency, KindService:
		return true
	}
	return false
}

// Span is one opening period of a day, "09:00" to "12:30" local time.
type Span = bizhours.Span

// WeeklyHours lists each day's opening spans, indexed by time.Weekday.
type WeeklyHours = bizhours.WeeklyHours

// DefaultTimeZone is the time zone of units created without one.
const DefaultTimeZone = "Europe/Paris"

// Unit is a node of the organisation tree.
type Unit struct {
	ID         string      `json:"id"`
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Kind       UnitKind    `json:"kind"`
	ParentID   string      `json:"parent_id,omitempty"`
	ParentCode string      `json:"parent_code,omitempty"`
	Path       string      `json:"path"`  // "/rootid/…/id/": the subtree is every path with this prefix
	Depth      int         `json:"depth"` // 0 for an establishment
	TimeZone   string      `json:"time_zone"`
	Support    bool        `json:"support"` // its agents show as "Support service"
	Hours      WeeklyHours `json:"hours"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// UnitInput is what an administrator gives to create or update a unit.
type UnitInput struct {
	Code       string       `json:"code"`
	Name       string       `json:"name"`
	Kind       UnitKind     `json:"kind"`
	ParentCode string       `json:"parent_code"`
	TimeZone   string       `json:"time_zone"`
	Support    bool         `json:"support"`
	Hours      *WeeklyHours `json:"hours"`
}

const unitColumns = `u.id, u.code, u.name, u.kind, COALESCE(u.parent_id, ''), COALESCE(p.code, ''),
	u.path, u.time_zone, u.support, u.hours, u.created_at, u.updated_at
	FROM units u LEFT JOIN units p ON p.id = u.parent_id`

func scanUnit(row interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	var hours string
	var created, updated int64
	if err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.ParentCode,
		&u.Path, &u.TimeZone, &u.Support, &hours, &created, &updated); err != nil {
		return Unit{}, err
	}
	if hours != "" {
		if err := json.Unmarshal([]byte(hours), &u.Hours); err != nil {
			return Unit{}, fmt.Errorf("unit %s hours: %w", u.Code, err)
		}
	}
	u.Hours = normalizeHours(u.Hours)
	u.Depth = strings.Count(u.Path, "/") - 2
	u.CreatedAt, u.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
	return u, nil
}

// ListUnits returns the whole tree depth-first, each unit after its parent.
// Any signed-in agent may list units.
func (s *Store) ListUnits(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.Query(ctx, "SELECT "+unitColumns+" ORDER BY u.path")
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var units []Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("list units: %w", err)
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return units, nil
}

// UnitByCode returns the unit with code, or a NotFound error.
func (s *Store) UnitByCode(ctx context.Context, code string) (Unit, error) {
	return unitWhere(ctx, s.db, "u.code = ?", code)
}

// UnitByID returns the unit with id, or a NotFound error.
func (s *Store) UnitByID(ctx context.Context, id string) (Unit, error) {
	if !core.ValidID(id) {
		return Unit{}, core.Errorf(core.NotFound, "unit %s not found", id)
	}
	return unitWhere(ctx, s.db, "u.id = ?", id)
}

func unitWhere(ctx context.Context, q db.Querier, cond string, arg string) (Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, "SELECT "+unitColumns+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, core.Errorf(core.NotFound, "unit %s not found", arg)
	}
	if err != nil {
		return Unit{}, fmt.Errorf("get unit %s: %w", arg, err)
	}
	return u, nil
}

// CreateUnit adds a unit under its parent. An establishment is a root and has
// no parent; every other kind needs one. Agencies and services get office
// hours when none are given. A duplicate code is a Conflict error.
func (s *Store) CreateUnit(ctx context.Context, actor *core.Actor, in UnitInput) (Unit, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Unit{}, err
	}
	in.Code, in.Name, in.ParentCode = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.ParentCode)
	f := core.Fields{}
	core.CheckText(f, "parent_code", in.ParentCode, core.MaxCode)
	core.CheckText(f, "time_zone", in.TimeZone, core.MaxCode)
	if !codePattern.MatchString(in.Code) {
		f.Add("code", core.Because("unit_code"))
	}
	validateUnitName(f, in.Name)
	if !in.Kind.Valid() {
		f.Add("kind", core.OneOf("establishment", "region", "agency", "service"))
	}
	if in.Kind == KindEstablishment && in.ParentCode != "" {
		f.Add("parent_code", core.Because("establishment_no_parent"))
	}
	if in.Kind != KindEstablishment && in.ParentCode == "" {
		f.Add("parent_code", core.Required())
	}
	if in.TimeZone == "" {
		in.TimeZone = DefaultTimeZone
	}
	validateTimeZone(f, in.TimeZone)
	hours := WeeklyHours{}
	switch {
	case in.Hours != nil:
		hours = *in.Hours
	case in.Kind == KindAgency || in.Kind == KindService:
		hours = bizhours.OfficeHours()
	}
	validateHours(f, hours)
	hoursJSON, _ := json.Marshal(normalizeHours(hours))

	var u Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		id, path := core.NewID(), ""
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		var parentID any
		if _, bad := f["parent_code"]; !bad && in.ParentCode != "" {
			parent, err := unitWhere(ctx, tx, "u.code = ?", in.ParentCode)
			if core.ErrorCode(err) == core.NotFound {
				f.Add("parent_code", core.Because("unknown_unit"))
			} else if err != nil {
				return err
			}
			parentID, path = parent.ID, parent.Path
		}
		if err := f.Err(); err != nil {
			return err
		}
		if path == "" {
			path = "/"
		}
		path += id + "/"
		now := core.Millis(s.clock.Now())
		_, err := tx.Exec(ctx, `INSERT INTO units (id, code, name, kind, parent_id, path, time_zone, support, hours, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, in.Code, in.Name, string(in.Kind), parentID, path, in.TimeZone, in.Support, string(hoursJSON), now, now)
		if db.IsUniqueViolation(err) {
			return &core.Error{Code: core.Conflict, Message: fmt.Sprintf("a unit with code %s already exists", in.Code),
				Fields: core.Fields{"code": core.Because("taken")}}
		}
		if err != nil {
			return fmt.Errorf("create unit %s: %w", in.Code, err)
		}
		if u, err = unitWhere(ctx, tx, "u.id = ?", id); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "unit.create", "unit", id, "", map[string]any{
			"code": u.Code, "name": u.Name, "kind": u.Kind, "parent_code": u.ParentCode,
			"time_zone": u.TimeZone, "support": u.Support})
	})
	if err != nil {
		return Unit{}, err
	}
	return u, nil
}

// UpdateUnit changes a unit's name, time zone, support flag and hours. Its
// code, kind and parent cannot change: when given they must match. An empty
// time zone or nil hours keep the current ones.
func (s *Store) UpdateUnit(ctx context.Context, actor *core.Actor, code string, in UnitInput) (Unit, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := unitWhere(ctx, tx, "u.code = ?", code)
		if err != nil {
			return err
		}
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		f := core.Fields{}
		if c := strings.TrimSpace(in.Code); c != "" && c != old.Code {
			f.Add("code", core.Because("immutable"))
		}
		if in.Kind != "" && in.Kind != old.Kind {
			f.Add("kind", core.Because("immutable"))
		}
		if p := strings.TrimSpace(in.ParentCode); p != "" && p != old.ParentCode {
			f.Add("parent_code", core.Because("immutable"))
		}
		u = old
		u.Name = strings.TrimSpace(in.Name)
		validateUnitName(f, u.Name)
		if in.TimeZone != "" {
			u.TimeZone = in.TimeZone
			validateTimeZone(f, u.TimeZone)
		}
		u.Support = in.Support
		if in.Hours != nil {
			u.Hours = normalizeHours(*in.Hours)
			validateHours(f, u.Hours)
		}
		if err := f.Err(); err != nil {
			return err
		}
		hoursJSON, _ := json.Marshal(u.Hours)
		u.UpdatedAt = s.clock.Now()
		if _, err := tx.Exec(ctx, `UPDATE units SET name = ?, time_zone = ?, support = ?, hours = ?, updated_at = ? WHERE id = ?`,
			u.Name, u.TimeZone, u.Support, string(hoursJSON), core.Millis(u.UpdatedAt), u.ID); err != nil {
			return fmt.Errorf("update unit %s: %w", code, err)
		}
		changes := map[string]audit.Change{}
		if old.Name != u.Name {
			changes["name"] = audit.Change{Old: old.Name, New: u.Name}
		}
		if old.TimeZone != u.TimeZone {
			changes["time_zone"] = audit.Change{Old: old.TimeZone, New: u.TimeZone}
		}
		if old.Support != u.Support {
			changes["support"] = audit.Change{Old: old.Support, New: u.Support}
		}
		if oldJSON, _ := json.Marshal(old.Hours); string(oldJSON) != string(hoursJSON) {
			changes["hours"] = audit.Change{Old: old.Hours, New: u.Hours}
		}
		if len(changes) == 0 {
			return nil
		}
		return s.log.Record(ctx, tx, actor, "unit.update", "unit", u.ID, "", changes)
	})
	if err != nil {
		return Unit{}, err
	}
	return u, nil
}

func validateUnitName(f core.Fields, name string) {
	core.CheckText(f, "name", name, core.MaxName)
	if name == "" || len(name) > 200 {
		f.Add("name", core.RequiredUpTo(200))
	}
}

func validateTimeZone(f core.Fields, tz string) {
	// LoadLocation accepts "" and "Local", which mean the server's zone.
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		f.Add("time_zone", core.Because("time_zone"))
	}
}

func validateHours(f core.Fields, h WeeklyHours) {
	if err := h.Validate(); err != nil {
		f.Add("hours", core.Because("invalid_hours", "detail", err.Error()))
	}
}

// normalizeHours gives closed days an empty list rather than null, so the
// stored and served JSON always lists seven arrays.
func normalizeHours(h WeeklyHours) WeeklyHours {
	for d := range h {
		if h[d] == nil {
			h[d] = []Span{}
		}
	}
	return h
}
