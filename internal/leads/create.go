package leads

import (
	"context"
	"errors"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// errNotBuilt marks a method whose body is being written.
var errNotBuilt = errors.New("leads: not built yet")

// Input is a lead as it arrives (API or web form).
type Input struct {
	Source      string     `json:"source"`
	SourceGroup string     `json:"source_group"`
	ExternalID  string     `json:"external_id"`
	ReceivedAt  *time.Time `json:"received_at"` // nil: now
	FirstName   string     `json:"first_name"`
	LastName    string     `json:"last_name"`
	Email       string     `json:"email"`
	Phone       string     `json:"phone"`
	PostalCode  string     `json:"postal_code"`
	Product     string     `json:"product"`
	Message     string     `json:"message"`
	UnitCode    string     `json:"unit_code"` // optional: the unit the sender names
}

// Create stores a lead received through the API: idempotent on source and
// external id within the actor's establishment (created is false, and the
// stored lead is returned, the second time). The lead is matched to a
// party or creates a prospect, routed and assigned in the same transaction.
func (s *Store) Create(ctx context.Context, actor *core.Actor, in Input) (l Lead, created bool, err error) {
	return Lead{}, false, errNotBuilt
}

// CreateFromForm stores a lead sent through the public web form of the
// establishment named by establishmentCode (no signed-in actor); its
// external id is generated.
func (s *Store) CreateFromForm(ctx context.Context, establishmentCode string, in Input) (Lead, error) {
	return Lead{}, errNotBuilt
}
