package desk

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
)

// UnitTargets returns a unit's targets for its administration, and
// whether they are its own (false: the defaults apply). Requires
// desk.admin and the unit in scope.
func (s *Store) UnitTargets(ctx context.Context, actor *core.Actor, unitID string) (Targets, bool, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Targets{}, false, err
	}
	if !actor.Scope.Contains(unitID) {
		return Targets{}, false, core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	var n int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM desk_unit_settings WHERE unit_id = ?", unitID).Scan(&n); err != nil {
		return Targets{}, false, err
	}
	t, err := s.TargetsOf(ctx, s.db, unitID)
	return t, n > 0, err
}
