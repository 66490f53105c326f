package cases

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
)

// The pickers of the pages: the active contact types, classifications and
// action plans of the signed-in agent's establishment, in display order,
// read without their definitions' administration (defs_admin.go).

// Choice is a catalogue entry a picker offers: its code, its name in both
// languages and, for a contact type, the classification it proposes.
type Choice struct {
	Code           string
	NameFR, NameEN string
	Classification string
}

// Name is the entry's name in lang.
func (c Choice) Name(lang string) string { return pick(lang, c.NameFR, c.NameEN) }

// ContactTypeChoices lists the active contact types of the actor's
// establishment. Requires case.manage.
func (s *Store) ContactTypeChoices(ctx context.Context, actor *core.Actor) ([]Choice, error) {
	return s.choices(ctx, actor, `SELECT code, name_fr, name_en, classification FROM contact_types
		WHERE establishment_id = ? AND active ORDER BY position, name_fr, code`)
}

// ClassificationChoices lists the active case classifications of the
// actor's establishment. Requires case.manage.
func (s *Store) ClassificationChoices(ctx context.Context, actor *core.Actor) ([]Choice, error) {
	return s.choices(ctx, actor, `SELECT code, name_fr, name_en, '' FROM case_classifications
		WHERE establishment_id = ? AND active ORDER BY position, name_fr, code`)
}

// PlanChoices lists the active action plans of the actor's establishment.
// Requires case.manage.
func (s *Store) PlanChoices(ctx context.Context, actor *core.Actor) ([]Choice, error) {
	return s.choices(ctx, actor, `SELECT code, name_fr, name_en, '' FROM action_plans
		WHERE establishment_id = ? AND active ORDER BY name_fr, code`)
}

func (s *Store) choices(ctx context.Context, actor *core.Actor, query string) ([]Choice, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return nil, err
	}
	est, err := establishmentOf(ctx, s.db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, query, est)
	if err != nil {
		return nil, fmt.Errorf("list choices: %w", err)
	}
	defer rows.Close()
	out := []Choice{}
	for rows.Next() {
		var c Choice
		if err := rows.Scan(&c.Code, &c.NameFR, &c.NameEN, &c.Classification); err != nil {
			return nil, fmt.Errorf("list choices: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ProcessOf returns the process of a case's classification, for its page
// to offer the steps from the current status. The case must be in the
// actor's scope (NotFound otherwise).
func (s *Store) ProcessOf(ctx context.Context, actor *core.Actor, caseID string) (Process, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Process{}, err
	}
	h, err := headOf(ctx, s.db, actor.Scope, caseID)
	if err != nil {
		return Process{}, err
	}
	cl, err := classificationByID(ctx, s.db, h.ClassificationID)
	if err != nil {
		return Process{}, err
	}
	return cl.Process, nil
}

// StatusNames names the statuses of the actor's establishment's
// classifications by code, in lang, for the filters of the case list
// (a code several classifications share takes the first one's name).
func (s *Store) StatusNames(ctx context.Context, actor *core.Actor, lang string) ([]Choice, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return nil, err
	}
	est, err := establishmentOf(ctx, s.db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+classificationColumns+
		" FROM case_classifications WHERE establishment_id = ? ORDER BY position, name_fr, code", est)
	if err != nil {
		return nil, fmt.Errorf("statuses: %w", err)
	}
	defer rows.Close()
	out := []Choice{}
	seen := map[string]bool{}
	for rows.Next() {
		cl, err := scanClassification(rows)
		if err != nil {
			return nil, fmt.Errorf("statuses: %w", err)
		}
		for _, st := range cl.Process.Statuses {
			if !seen[st.Code] {
				seen[st.Code] = true
				out = append(out, Choice{Code: st.Code, NameFR: st.NameFR, NameEN: st.NameEN})
			}
		}
	}
	return out, rows.Err()
}
