package leads

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// scopeCond restricts col (a unit id column) to the scope, in the SQL.
func scopeCond(col string, s core.Scope) (string, []any) { return party.ScopeCondition(col, s) }

// rootOf is the establishment at the head of a unit's path.
func rootOf(path string) string {
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root
}

// leadSelect reads a lead with its unit, party and assignee's names; the
// WHERE clause is left to the caller.
const leadSelect = `SELECT l.id, l.establishment_id, l.unit_id, u.code, u.name, COALESCE(l.party_id, ''),
	COALESCE(p.kind, ''), COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), COALESCE(p.name, ''),
	l.channel, l.source, l.source_group, l.external_id, l.received_at, l.clock_start_at,
	l.first_name, l.last_name, l.email, l.phone, l.postal_code, l.product, l.message, l.status,
	l.route, COALESCE(l.route_rule, 0), l.route_label, COALESCE(l.assignee_id, ''), COALESCE(a.login, ''),
	COALESCE(a.name, ''), l.assigned_at, COALESCE(l.assigned_by, ''), l.first_response_at, l.response_minutes,
	l.response_kind, l.created_at, l.updated_at
	FROM leads l JOIN units u ON u.id = l.unit_id
	LEFT JOIN parties p ON p.id = l.party_id
	LEFT JOIN agents a ON a.id = l.assignee_id`

// scanLead reads one row of leadSelect.
func scanLead(r interface{ Scan(...any) error }) (Lead, error) {
	var l Lead
	var kind, pFirst, pLast, pName, assigneeID, login, name string
	var received, clockStart, created, updated int64
	var assignedAt, responded, minutes sql.NullInt64
	if err := r.Scan(&l.ID, &l.EstablishmentID, &l.UnitID, &l.UnitCode, &l.UnitName, &l.PartyID,
		&kind, &pFirst, &pLast, &pName, &l.Channel, &l.Source, &l.SourceGroup, &l.ExternalID, &received, &clockStart,
		&l.FirstName, &l.LastName, &l.Email, &l.Phone, &l.PostalCode, &l.Product, &l.Message, &l.Status,
		&l.Route, &l.RouteRule, &l.RouteLabel, &assigneeID, &login, &name, &assignedAt, &l.AssignedBy,
		&responded, &minutes, &l.ResponseKind, &created, &updated); err != nil {
		return Lead{}, err
	}
	if kind != "" {
		l.PartyName = party.DisplayName(kind, pFirst, pLast, pName)
	}
	l.ReceivedAt, l.ClockStartAt = core.FromMillis(received), core.FromMillis(clockStart)
	l.CreatedAt, l.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
	if assigneeID != "" {
		l.Assignee = &AgentRef{ID: assigneeID, Login: login, Name: name}
	}
	if assignedAt.Valid {
		t := core.FromMillis(assignedAt.Int64)
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
	return l, nil
}

// loadLead reads the lead id within scope; absent or outside it is NotFound.
func loadLead(ctx context.Context, q db.Querier, id string, scope core.Scope) (Lead, error) {
	if !core.ValidID(id) {
		return Lead{}, core.Errorf(core.NotFound, "lead %s not found", id)
	}
	cond, args := scopeCond("l.unit_id", scope)
	l, err := scanLead(q.QueryRow(ctx, leadSelect+" WHERE l.id = ?"+cond, append([]any{id}, args...)...))
	if db.IsNoRows(err) {
		return Lead{}, core.Errorf(core.NotFound, "lead %s not found", id)
	}
	if err != nil {
		return Lead{}, fmt.Errorf("read lead %s: %w", id, err)
	}
	return l, nil
}

// unitRow is a unit as leads refer to it.
type unitRow struct {
	ID, Code, Name, Kind, Path string
}

// unitWhere reads the unit matching cond; absent is NotFound.
func unitWhere(ctx context.Context, q db.Querier, cond string, arg any) (unitRow, error) {
	var u unitRow
	err := q.QueryRow(ctx, "SELECT id, code, name, kind, path FROM units WHERE "+cond, arg).
		Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.Path)
	if db.IsNoRows(err) {
		return u, core.Errorf(core.NotFound, "unit %v not found", arg)
	}
	if err != nil {
		return u, fmt.Errorf("read unit %v: %w", arg, err)
	}
	return u, nil
}

// establishmentOf returns the establishment above unitID (itself when it is one).
func establishmentOf(ctx context.Context, q db.Querier, unitID string) (unitRow, error) {
	u, err := unitWhere(ctx, q, "id = ?", unitID)
	if err != nil {
		return u, err
	}
	if root := rootOf(u.Path); root != u.ID {
		return unitWhere(ctx, q, "id = ?", root)
	}
	return u, nil
}

// establishmentByCode returns the establishment with code; a unit that is
// not an establishment, or none, is NotFound.
func establishmentByCode(ctx context.Context, q db.Querier, code string) (unitRow, error) {
	u, err := unitWhere(ctx, q, "code = ?", code)
	if err == nil && u.Kind != "establishment" {
		return unitRow{}, core.Errorf(core.NotFound, "establishment %s not found", code)
	}
	return u, err
}

// agentRow is an agent as leads refer to it.
type agentRow struct {
	ID, Login, Name, UnitID string
	Active                  bool
}

// agentByLogin reads the agent with login; absent is NotFound.
func agentByLogin(ctx context.Context, q db.Querier, login string) (agentRow, error) {
	var a agentRow
	err := q.QueryRow(ctx, "SELECT id, login, name, unit_id, active FROM agents WHERE login = ?", login).
		Scan(&a.ID, &a.Login, &a.Name, &a.UnitID, &a.Active)
	if db.IsNoRows(err) {
		return a, core.Errorf(core.NotFound, "agent %s not found", login)
	}
	if err != nil {
		return a, fmt.Errorf("read agent %s: %w", login, err)
	}
	return a, nil
}

// holdsLeadWork is the SQL condition that the agent a.id holds lead.work
// through one of its roles (roles.permissions is a space-separated list).
const holdsLeadWork = `EXISTS (SELECT 1 FROM agent_roles ar JOIN roles r ON r.code = ar.role_code
	WHERE ar.agent_id = a.id AND ' ' || r.permissions || ' ' LIKE '% lead.work %')`
