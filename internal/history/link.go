package history

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// linkCoordinates links to parties the interactions kept unattached for
// one of the emails or phones they just gained (added: party id → its new
// coordinates). It runs within the write that gave them the coordinates;
// the coordinate is then known, so it stops being kept as unmatched.
// Retention deletes unmatched coordinates with their interactions, so only
// what is still retained is linked.
func (s *Store) linkCoordinates(ctx context.Context, q db.Querier, added map[string][]string) error {
	holders := map[string][]string{}
	for partyID, coords := range added {
		for _, c := range coords {
			holders[c] = append(holders[c], partyID)
		}
	}
	coords := make([]string, 0, len(holders))
	for c := range holders {
		coords = append(coords, c)
	}
	sort.Strings(coords)
	type found struct {
		coordinate, interactionID, role, agentID, channel, direction string
		at                                                           int64
	}
	var rows []found
	err := db.EachIn(ctx, q, `SELECT u.coordinate, u.interaction_id, u.role, i.occurred_at, COALESCE(i.agent_id, ''),
		i.channel, i.direction FROM interaction_unmatched u JOIN interactions i ON i.id = u.interaction_id
		WHERE u.coordinate IN (%s)`, nil, coords, func(r *sql.Rows) error {
		var f found
		err := r.Scan(&f.coordinate, &f.interactionID, &f.role, &f.at, &f.agentID, &f.channel, &f.direction)
		rows = append(rows, f)
		return err
	})
	if err != nil {
		return fmt.Errorf("find unattached interactions: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	byInteraction := map[string]*arrival{}
	var order []string
	matched := map[string]bool{}
	for _, f := range rows {
		matched[f.coordinate] = true
		a := byInteraction[f.interactionID]
		if a == nil {
			a = &arrival{interactionID: f.interactionID, agentID: f.agentID, channel: f.channel, direction: f.direction,
				at: core.FromMillis(f.at)}
			byInteraction[f.interactionID] = a
			order = append(order, f.interactionID)
		}
		for _, partyID := range holders[f.coordinate] {
			if _, err := q.Exec(ctx, `INSERT INTO interaction_parties (party_id, occurred_at, interaction_id, role, coordinate)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, partyID, f.at, f.interactionID, f.role, f.coordinate); err != nil {
				return fmt.Errorf("link interaction %s: %w", f.interactionID, err)
			}
			a.parties = append(a.parties, partyID)
		}
	}
	if err := recountParties(ctx, q, order...); err != nil {
		return fmt.Errorf("link interactions: %w", err)
	}
	done := make([]string, 0, len(matched))
	for c := range matched {
		done = append(done, c)
	}
	sort.Strings(done)
	if err := db.EachIn(ctx, q, "DELETE FROM interaction_unmatched WHERE coordinate IN (%s)", nil, done,
		func(*sql.Rows) error { return nil }); err != nil {
		return fmt.Errorf("forget matched coordinates: %w", err)
	}
	arrivals := make([]arrival, 0, len(order))
	for _, id := range order {
		if _, err := q.Exec(ctx, "UPDATE interactions SET flags = TRIM(REPLACE(flags, 'unattached', '')) WHERE id = ?", id); err != nil {
			return fmt.Errorf("flag interaction %s attached: %w", id, err)
		}
		arrivals = append(arrivals, *byInteraction[id])
	}
	return s.reconcileArrivals(ctx, q, arrivals)
}
