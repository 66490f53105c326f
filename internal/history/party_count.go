package history

import (
	"context"
	"database/sql"

	"github.com/rapport-crm/rapport/internal/db"
)

// recountParties sets the party_count of the interactions ids (how many
// timeline rows each has) after their rows in interaction_parties changed
// otherwise than by the ingestion, which writes the count with the
// interaction. Run in the change's transaction.
func recountParties(ctx context.Context, q db.Querier, ids ...string) error {
	return db.EachIn(ctx, q, `UPDATE interactions SET party_count =
		(SELECT COUNT(*) FROM interaction_parties x WHERE x.interaction_id = interactions.id) WHERE id IN (%s)`,
		nil, ids, func(*sql.Rows) error { return nil })
}
