package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Visit is a customer an agent consulted, and when they last did.
type Visit struct {
	PartyID      string    `json:"party_id"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`   // person, organization
	Status       string    `json:"status"` // client, prospect…
	ClientNumber string    `json:"client_number"`
	ViewedAt     time.Time `json:"viewed_at"`
}

// RecordVisit notes that the actor consulted party partyID now (its 360°
// page), keeping their MaxRecent most recent customers. A party out of the
// actor's scope is NotFound and not recorded. Requires party.read.
func (s *Store) RecordVisit(ctx context.Context, actor *core.Actor, partyID string) error {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return err
	}
	if err := agentOnly(actor); err != nil {
		return err
	}
	if !core.ValidID(partyID) {
		return core.Errorf(core.NotFound, "party %s not found", partyID)
	}
	cond, args := party.ScopeCondition("p.agency_id", actor.Scope)
	now := core.Millis(s.clock.Now())
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO agent_recent_parties (agent_id, party_id, viewed_at)
			SELECT ?, p.id, ? FROM parties p WHERE p.id = ?`+cond+`
			ON CONFLICT (agent_id, party_id) DO UPDATE SET viewed_at = excluded.viewed_at`,
			append([]any{actor.AgentID, now, partyID}, args...)...)
		if err != nil {
			return fmt.Errorf("record visit: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return core.Errorf(core.NotFound, "party %s not found", partyID)
		}
		_, err = tx.Exec(ctx, `DELETE FROM agent_recent_parties WHERE agent_id = ? AND party_id NOT IN
			(SELECT party_id FROM agent_recent_parties WHERE agent_id = ? ORDER BY viewed_at DESC, party_id DESC LIMIT ?)`,
			actor.AgentID, actor.AgentID, MaxRecent)
		if err != nil {
			return fmt.Errorf("trim recent customers: %w", err)
		}
		return nil
	})
}

// Recent returns the n customers the actor consulted last, the latest
// first, among those still in their scope. Requires party.read.
func (s *Store) Recent(ctx context.Context, actor *core.Actor, n int) ([]Visit, error) {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return nil, err
	}
	if err := agentOnly(actor); err != nil {
		return nil, err
	}
	n = min(max(n, 1), MaxRecent)
	cond, args := party.ScopeCondition("p.agency_id", actor.Scope)
	rows, err := s.db.Query(ctx, `SELECT p.id, p.kind, p.status, COALESCE(p.client_number, ''), COALESCE(p.first_name, ''),
		COALESCE(p.last_name, ''), COALESCE(p.name, ''), r.viewed_at
		FROM agent_recent_parties r JOIN parties p ON p.id = r.party_id
		WHERE r.agent_id = ?`+cond+` ORDER BY r.viewed_at DESC, r.party_id DESC LIMIT ?`,
		append(append([]any{actor.AgentID}, args...), n)...)
	if err != nil {
		return nil, fmt.Errorf("recent customers: %w", err)
	}
	defer rows.Close()
	out := []Visit{}
	for rows.Next() {
		var v Visit
		var first, last, name string
		var at int64
		if err := rows.Scan(&v.PartyID, &v.Kind, &v.Status, &v.ClientNumber, &first, &last, &name, &at); err != nil {
			return nil, fmt.Errorf("recent customers: %w", err)
		}
		v.Name, v.ViewedAt = party.DisplayName(v.Kind, first, last, name), core.FromMillis(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
