package surveys

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// scopeCond restricts col (a unit id column) to the scope, in the SQL.
func scopeCond(col string, s core.Scope) (string, []any) { return party.ScopeCondition(col, s) }

// millisPtr reads a nullable time column.
func millisPtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := core.FromMillis(v.Int64)
	return &t
}

// strPtr reads a nullable text column.
func strPtr(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

// establishmentOfUnit returns the establishment (root unit) of a unit.
func establishmentOfUnit(ctx context.Context, q db.Querier, unitID string) (string, error) {
	var path string
	err := q.QueryRow(ctx, "SELECT path FROM units WHERE id = ?", unitID).Scan(&path)
	if err != nil {
		return "", fmt.Errorf("unit %s: %w", unitID, err)
	}
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root, nil
}

// administered returns the establishment of code when the actor holds
// survey.admin and has it in scope; an unknown or foreign code is refused
// on the field establishment_code.
func (s *Store) administered(ctx context.Context, actor *core.Actor, code string) (org.Unit, error) {
	if err := actor.Require(core.PermSurveyAdmin); err != nil {
		return org.Unit{}, err
	}
	if strings.TrimSpace(code) == "" {
		return org.Unit{}, core.Fields{"establishment_code": core.Required()}.Err()
	}
	u, err := s.orgs.EstablishmentFor(ctx, actor, core.PermSurveyAdmin, code)
	if core.ErrorCode(err) == core.NotFound {
		return org.Unit{}, core.Fields{"establishment_code": core.Because("unknown_unit")}.Err()
	}
	return u, err
}

// firstName is the first word of an agent's name ("Claire" of "Claire Martin").
func firstName(name string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	return f
}
