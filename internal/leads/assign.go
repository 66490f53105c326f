package leads

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
)

// Assign gives the lead to the agent with login (a manager's
// reassignment, lead.assign): the new agent is alerted.
func (s *Store) Assign(ctx context.Context, actor *core.Actor, leadID, login string) (Lead, error) {
	return Lead{}, errNotBuilt
}
