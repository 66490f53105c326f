package leads

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// leadRowsWhere reads the leads matching cond (which may end with ORDER BY
// and LIMIT), with their unit, party and assignee, for the activities'
// answers and the "associated with" suggestions.
func leadRowsWhere(ctx context.Context, q db.Querier, cond string, args ...any) ([]Lead, error) {
	rows, err := q.Query(ctx, `SELECT l.id, l.establishment_id, l.unit_id, u.code, u.name, COALESCE(l.party_id, ''),
		COALESCE(p.kind, ''), COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), COALESCE(p.name, ''),
		l.channel, l.source, l.source_group, l.external_id, l.received_at, l.clock_start_at, l.first_name, l.last_name,
		l.email, l.phone, l.postal_code, l.product, l.message, l.status, l.route, COALESCE(l.route_rule, 0),
		l.route_label, COALESCE(g.id, ''), COALESCE(g.login, ''), COALESCE(g.name, ''), l.assigned_at,
		COALESCE(l.assigned_by, ''), l.first_response_at, l.response_minutes, l.response_kind, l.created_at, l.updated_at
		FROM leads l JOIN units u ON u.id = l.unit_id
		LEFT JOIN parties p ON p.id = l.party_id
		LEFT JOIN agents g ON g.id = l.assignee_id
		WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("read leads: %w", err)
	}
	defer rows.Close()
	out := []Lead{}
	for rows.Next() {
		var l Lead
		var kind, first, last, name string
		var received, start, created, updated int64
		var assigned, responded, minutes sql.NullInt64
		var agent AgentRef
		if err := rows.Scan(&l.ID, &l.EstablishmentID, &l.UnitID, &l.UnitCode, &l.UnitName, &l.PartyID, &kind, &first,
			&last, &name, &l.Channel, &l.Source, &l.SourceGroup, &l.ExternalID, &received, &start, &l.FirstName,
			&l.LastName, &l.Email, &l.Phone, &l.PostalCode, &l.Product, &l.Message, &l.Status, &l.Route, &l.RouteRule,
			&l.RouteLabel, &agent.ID, &agent.Login, &agent.Name, &assigned, &l.AssignedBy, &responded, &minutes,
			&l.ResponseKind, &created, &updated); err != nil {
			return nil, err
		}
		if l.PartyID != "" {
			l.PartyName = party.DisplayName(kind, first, last, name)
		}
		l.ReceivedAt, l.ClockStartAt = core.FromMillis(received), core.FromMillis(start)
		l.CreatedAt, l.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
		if agent.ID != "" {
			l.Assignee = &agent
		}
		if assigned.Valid {
			t := core.FromMillis(assigned.Int64)
			l.AssignedAt = &t
		}
		if responded.Valid {
			t := core.FromMillis(responded.Int64)
			l.FirstResponseAt = &t
		}
		if minutes.Valid {
			m := minutes.Int64
			l.ResponseMinutes = &m
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
