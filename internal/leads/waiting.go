package leads

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/db"
)

// waitingBatch bounds how many waiting leads of a unit one run assigns.
const waitingBatch = 500

// AssignWaiting gives the waiting leads (status new, nobody assigned) to
// the agents who have become available since they arrived — the unit has
// opened, an agent is back — by round-robin in each unit, oldest lead
// first, and returns how many it assigned. The periodic job runs it every
// minute; it is safe to run twice at once (each unit's round-robin row is
// locked, each lead updated only while unassigned).
func (s *Store) AssignWaiting(ctx context.Context) (int, error) {
	rows, err := s.db.Query(ctx, "SELECT DISTINCT unit_id FROM leads WHERE status = ? AND assignee_id IS NULL", StatusNew)
	if err != nil {
		return 0, fmt.Errorf("units with waiting leads: %w", err)
	}
	var units []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("units with waiting leads: %w", err)
		}
		units = append(units, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("units with waiting leads: %w", err)
	}
	total := 0
	for _, unitID := range units {
		n, err := s.assignWaitingOf(ctx, unitID)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// assignWaitingOf assigns the waiting leads of one unit in one transaction,
// until nobody is available.
func (s *Store) assignWaitingOf(ctx context.Context, unitID string) (int, error) {
	n := 0
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		n = 0
		now := s.clock.Now()
		cal, err := s.calendar(ctx, unitID, now)
		if err != nil {
			return err
		}
		if !openAt(cal, now) {
			return nil
		}
		if err := lockTurn(ctx, tx, unitID, now); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, leadSelect+" WHERE l.unit_id = ? AND l.status = ? AND l.assignee_id IS NULL"+
			" ORDER BY l.received_at, l.id LIMIT ?", unitID, StatusNew, waitingBatch)
		if err != nil {
			return fmt.Errorf("waiting leads: %w", err)
		}
		var waiting []Lead
		for rows.Next() {
			l, err := scanLead(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("waiting leads: %w", err)
			}
			waiting = append(waiting, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("waiting leads: %w", err)
		}
		for i := range waiting {
			ok, err := s.giveByTurn(ctx, tx, &waiting[i], now)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			n++
			if err := s.changed(ctx, tx, waiting[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
