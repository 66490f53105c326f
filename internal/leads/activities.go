package leads

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// ActivityInput is a completed activity reported on a lead.
type ActivityInput struct {
	Kind        string     `json:"kind"`
	CompletedAt *time.Time `json:"completed_at"` // nil: now
	Automatic   bool       `json:"automatic"`
}

// RecordActivity records a completed activity on the lead; the first one
// that is not automatic is the lead's response.
func (s *Store) RecordActivity(ctx context.Context, actor *core.Actor, leadID string, in ActivityInput) (Activity, Lead, error) {
	return Activity{}, Lead{}, errNotBuilt
}

// Activities lists the lead's activities, oldest first.
func (s *Store) Activities(ctx context.Context, actor *core.Actor, leadID string) ([]Activity, error) {
	return nil, errNotBuilt
}

// OpenLeadsOfParty lists the party's leads not answered nor closed, in the
// actor's scope, the most recent first: the suggestion when an agent picks
// the lead an activity answers.
func (s *Store) OpenLeadsOfParty(ctx context.Context, actor *core.Actor, partyID string) ([]Lead, error) {
	return nil, errNotBuilt
}
