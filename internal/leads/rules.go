package leads

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// MaxRules is how many distribution rules an establishment may have.
const MaxRules = 100

// RuleInput is a distribution rule as an administrator writes it.
type RuleInput struct {
	Source           string `json:"source"`
	Product          string `json:"product"`
	PostalCodePrefix string `json:"postal_code_prefix"`
	UnitCode         string `json:"unit_code"`
}

// Rules returns the distribution rules of an establishment, in order.
// Requires admin and the establishment in the actor's scope.
func (s *Store) Rules(ctx context.Context, actor *core.Actor, establishmentCode string) ([]Rule, error) {
	est, err := s.adminEstablishment(ctx, actor, establishmentCode)
	if err != nil {
		return nil, err
	}
	return rulesOf(ctx, s.db, est.ID)
}

// SaveRules replaces the distribution rules of an establishment, in the
// order given (positions 1, 2, …). Each rule names a unit of the
// establishment; its criteria may all be empty (it then takes every lead
// the rules before it left). Requires admin; audited with the rules
// before and after.
func (s *Store) SaveRules(ctx context.Context, actor *core.Actor, establishmentCode string, rules []RuleInput) ([]Rule, error) {
	est, err := s.adminEstablishment(ctx, actor, establishmentCode)
	if err != nil {
		return nil, err
	}
	f := core.Fields{}
	if len(rules) > MaxRules {
		f.Add("rules", core.TooMany(MaxRules))
		return nil, f.Err()
	}
	out := make([]Rule, len(rules))
	for i, in := range rules {
		field := func(name string) string { return fmt.Sprintf("rules[%d].%s", i, name) }
		r := Rule{Position: i + 1}
		for _, t := range []struct {
			name string
			in   string
			out  *string
			max  int
		}{{"source", in.Source, &r.Source, core.MaxCode}, {"product", in.Product, &r.Product, core.MaxCode},
			{"postal_code_prefix", in.PostalCodePrefix, &r.PostalCodePrefix, core.MaxPostalCode},
			{"unit_code", in.UnitCode, &r.UnitCode, core.MaxCode}} {
			if core.CheckText(f, field(t.name), t.in, t.max) {
				*t.out = strings.TrimSpace(t.in)
			}
		}
		r.PostalCodePrefix = strings.ToUpper(r.PostalCodePrefix)
		if _, bad := f[field("unit_code")]; !bad {
			u, err := unitWhere(ctx, s.db, "code = ?", r.UnitCode)
			switch {
			case r.UnitCode == "":
				f.Add(field("unit_code"), core.Required())
			case core.ErrorCode(err) == core.NotFound || err == nil && rootOf(u.Path) != est.ID:
				f.Add(field("unit_code"), core.Because("unknown_unit_code", "code", r.UnitCode))
			case err != nil:
				return nil, err
			default:
				r.UnitID = u.ID
			}
		}
		out[i] = r
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		before, err := rulesOf(ctx, tx, est.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM lead_rules WHERE establishment_id = ?", est.ID); err != nil {
			return fmt.Errorf("replace lead rules: %w", err)
		}
		rows := make([][]any, len(out))
		for i, r := range out {
			rows[i] = []any{est.ID, r.Position, r.Source, r.Product, r.PostalCodePrefix, r.UnitID}
		}
		if err := db.InsertMany(ctx, tx, "INSERT INTO lead_rules (establishment_id, position, source, product, postal_code_prefix, unit_id) VALUES ",
			"(?, ?, ?, ?, ?, ?)", rows); err != nil {
			return fmt.Errorf("replace lead rules: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "lead.rules", "unit", est.ID, "", map[string]any{"before": before, "after": out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// adminEstablishment checks that actor administers the establishment with
// code (org.Store.AdministeredEstablishment).
func (s *Store) adminEstablishment(ctx context.Context, actor *core.Actor, code string) (unitRow, error) {
	u, err := s.orgs.AdministeredEstablishment(ctx, actor, code)
	if err != nil {
		return unitRow{}, err
	}
	return unitRow{ID: u.ID, Code: u.Code, Name: u.Name, Kind: string(u.Kind), Path: u.Path}, nil
}

// rulesOf reads the rules of the establishment estID in position order.
func rulesOf(ctx context.Context, q db.Querier, estID string) ([]Rule, error) {
	rows, err := q.Query(ctx, `SELECT r.position, r.source, r.product, r.postal_code_prefix, r.unit_id, u.code
		FROM lead_rules r JOIN units u ON u.id = r.unit_id WHERE r.establishment_id = ? ORDER BY r.position`, estID)
	if err != nil {
		return nil, fmt.Errorf("read lead rules: %w", err)
	}
	defer rows.Close()
	out := []Rule{}
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.Position, &r.Source, &r.Product, &r.PostalCodePrefix, &r.UnitID, &r.UnitCode); err != nil {
			return nil, fmt.Errorf("read lead rules: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read lead rules: %w", err)
	}
	return out, nil
}
