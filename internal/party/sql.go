package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// scopeFilter returns the SQL condition restricting col (a unit id column) to
// the scope, with its arguments: nothing for the whole organisation, a
// condition that matches nothing for an empty scope.
func scopeFilter(col string, s core.Scope) (string, []any) {
	if s.All {
		return "", nil
	}
	if len(s.UnitIDs) == 0 {
		return " AND 1 = 0", nil
	}
	args := make([]any, len(s.UnitIDs))
	for i, id := range s.UnitIDs {
		args[i] = id
	}
	return " AND " + col + " IN (" + db.Placeholders(len(args)) + ")", args
}

// nullable stores the empty string as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// unit is an organisational unit as parties refer to it.
type unit struct {
	ID, Code, Name, Kind string
}

// unitByCode looks up a unit by its code; absent is a NotFound error.
func unitByCode(ctx context.Context, q db.Querier, code string) (unit, error) {
	var u unit
	err := q.QueryRow(ctx, "SELECT id, code, name, kind FROM units WHERE code = ?", code).Scan(&u.ID, &u.Code, &u.Name, &u.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return u, core.Errorf(core.NotFound, "unit %s not found", code)
	}
	if err != nil {
		return u, fmt.Errorf("look up unit %s: %w", code, err)
	}
	return u, nil
}

// unitByID looks up a unit by its id; absent is a NotFound error.
func unitByID(ctx context.Context, q db.Querier, id string) (unit, error) {
	var u unit
	err := q.QueryRow(ctx, "SELECT id, code, name, kind FROM units WHERE id = ?", id).Scan(&u.ID, &u.Code, &u.Name, &u.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return u, core.Errorf(core.NotFound, "unit %s not found", id)
	}
	if err != nil {
		return u, fmt.Errorf("look up unit %s: %w", id, err)
	}
	return u, nil
}

// resolveAgency finds the agency named by code for actor, adding to f why it
// cannot be used. An empty code means the actor's own unit when it is an agency.
func resolveAgency(ctx context.Context, q db.Querier, actor *core.Actor, code string, f core.Fields) (unit, error) {
	var u unit
	var err error
	if !core.CheckText(f, "agency_code", code, core.MaxCode) {
		return unit{}, nil
	}
	if code == "" {
		if actor.UnitID == "" {
			f.Add("agency_code", core.Required())
			return unit{}, nil
		}
		u, err = unitByID(ctx, q, actor.UnitID)
		if core.ErrorCode(err) == core.NotFound || err == nil && u.Kind != "agency" {
			f.Add("agency_code", core.Required())
			return unit{}, nil
		}
	} else {
		u, err = unitByCode(ctx, q, code)
		if core.ErrorCode(err) == core.NotFound {
			f.Add("agency_code", core.Because("unknown_agency"))
			return unit{}, nil
		}
	}
	if err != nil {
		return unit{}, err
	}
	switch {
	case u.Kind != "agency":
		f.Add("agency_code", core.Because("not_agency"))
	case !actor.Scope.Contains(u.ID):
		f.Add("agency_code", core.Because("outside_scope"))
	}
	return u, nil
}

// advisor is an agent as parties refer to it.
type advisor struct {
	ID, Login, Name string
}

// resolveAdvisor finds the agent whose login is given, adding to f when unknown.
func resolveAdvisor(ctx context.Context, q db.Querier, login string, f core.Fields) (advisor, error) {
	if login == "" || !core.CheckText(f, "advisor_login", login, core.MaxCode) {
		return advisor{}, nil
	}
	a := advisor{Login: login}
	err := q.QueryRow(ctx, "SELECT id, name FROM agents WHERE login = ?", login).Scan(&a.ID, &a.Name)
	if errors.Is(err, sql.ErrNoRows) {
		f.Add("advisor_login", core.Because("unknown_advisor"))
		return advisor{}, nil
	}
	if err != nil {
		return advisor{}, fmt.Errorf("look up advisor %s: %w", login, err)
	}
	return a, nil
}
