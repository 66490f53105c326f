package org

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
)

// AdministeredEstablishment returns the establishment with code for an
// administrator whose scope holds it: the check of every page and route
// that sets an establishment's settings (lead rules, SMS gateway). It
// requires admin; a code that is not text is refused on the field
// establishment_code; a unit that is not an establishment, one outside the
// scope and an unknown code are all NotFound.
func (s *Store) AdministeredEstablishment(ctx context.Context, actor *core.Actor, code string) (Unit, error) {
	return s.EstablishmentFor(ctx, actor, core.PermAdmin, code)
}

// EstablishmentFor is AdministeredEstablishment for the holders of another
// permission (survey.admin sets the survey campaigns).
func (s *Store) EstablishmentFor(ctx context.Context, actor *core.Actor, perm core.Permission, code string) (Unit, error) {
	if err := actor.Require(perm); err != nil {
		return Unit{}, err
	}
	if why, bad := core.TextProblem(code, core.MaxCode); bad {
		return Unit{}, core.Fields{"establishment_code": why}.Err()
	}
	u, err := s.UnitByCode(ctx, code)
	if err != nil && core.ErrorCode(err) != core.NotFound {
		return Unit{}, err
	}
	if err != nil || u.Kind != KindEstablishment || !actor.Scope.Contains(u.ID) {
		return Unit{}, core.Errorf(core.NotFound, "establishment %s not found", code)
	}
	return u, nil
}

// AdministeredEstablishments lists the establishments an administrator's
// scope holds, in the units' order: the index of each establishment
// settings page.
func (s *Store) AdministeredEstablishments(ctx context.Context, actor *core.Actor) ([]Unit, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return nil, err
	}
	units, err := s.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range units {
		if u.Kind == KindEstablishment && actor.Scope.Contains(u.ID) {
			out = append(out, u)
		}
	}
	return out, nil
}
