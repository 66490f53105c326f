package leads

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
)

// RuleInput is a distribution rule as an administrator writes it.
type RuleInput struct {
	Source           string `json:"source"`
	Product          string `json:"product"`
	PostalCodePrefix string `json:"postal_code_prefix"`
	UnitCode         string `json:"unit_code"`
}

// Rules returns the distribution rules of an establishment, in order.
func (s *Store) Rules(ctx context.Context, actor *core.Actor, establishmentCode string) ([]Rule, error) {
	return nil, errNotBuilt
}

// SaveRules replaces the distribution rules of an establishment.
func (s *Store) SaveRules(ctx context.Context, actor *core.Actor, establishmentCode string, rules []RuleInput) ([]Rule, error) {
	return nil, errNotBuilt
}
