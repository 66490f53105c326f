package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The views of the desk's list.
const (
	ViewAll        = "all"
	ViewOpen       = "open"       // not closed
	ViewMine       = "mine"       // assigned to the reader, not closed
	ViewUnassigned = "unassigned" // nobody's, not closed
)

// Views lists them in the order the desk shows them.
var Views = []string{ViewOpen, ViewMine, ViewUnassigned, ViewAll}

// Filter selects requests. Empty fields select everything.
type Filter struct {
	View       string
	Channel    string
	Status     string
	Priority   string
	AssigneeID string // an agent's id
	UnitID     string // this unit (not its subunits)
	PartyID    string
	Cursor     string
	Limit      int
}

// Page is one page of requests, newest first.
type Page struct {
	Requests []Request `json:"requests"`
	Next     string    `json:"next_cursor"`
}

// MaxCount is the ceiling of the counts per view: beyond it the desk shows
// "999+", so counting never reads a million rows.
const MaxCount = 1000

// where builds the conditions of f for the actor.
func (f Filter) where(actor *core.Actor) (string, []any, error) {
	fields := core.Fields{}
	if f.View != "" && !slices.Contains(Views, f.View) {
		fields.Add("view", core.OneOf(Views...))
	}
	if f.Channel != "" && !slices.Contains(Channels, f.Channel) {
		fields.Add("channel", core.OneOf(Channels...))
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		fields.Add("status", core.OneOf(Statuses...))
	}
	if f.Priority != "" && !slices.Contains(Priorities, f.Priority) {
		fields.Add("priority", core.OneOf(Priorities...))
	}
	if err := fields.Err(); err != nil {
		return "", nil, err
	}
	q, args := " WHERE 1 = 1", []any{}
	unitCol := "r.unit_id"
	if f.View == ViewMine || f.AssigneeID != "" {
		// An agent's requests are few: read them through
		// desk_requests_assignee. Written as an expression, the scope's
		// unit test keeps SQLite (which plans without statistics) from
		// walking the whole unit's requests through desk_requests_unit.
		unitCol = "(r.unit_id || '')"
	}
	cond, sargs := scopeCond(unitCol, actor.Scope)
	q, args = q+cond, append(args, sargs...)
	switch f.View {
	case ViewOpen:
		q += " AND r.status IN ('new', 'open', 'waiting')"
	case ViewMine:
		q += " AND r.status IN ('new', 'open', 'waiting') AND r.assignee_id = ?"
		args = append(args, actor.AgentID)
	case ViewUnassigned:
		q += " AND r.status IN ('new', 'open', 'waiting') AND r.assignee_id IS NULL"
	}
	for _, c := range []struct{ col, v string }{{"r.channel", f.Channel}, {"r.status", f.Status},
		{"r.priority", f.Priority}, {"r.assignee_id", f.AssigneeID}, {"r.unit_id", f.UnitID}, {"r.party_id", f.PartyID}} {
		if c.v != "" {
			q += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	return q, args, nil
}

// List returns a page of the requests the actor may read that f selects,
// newest first (new requests on top). Requires request.read.
func (s *Store) List(ctx context.Context, actor *core.Actor, f Filter) (Page, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return Page{}, err
	}
	where, args, err := f.where(actor)
	if err != nil {
		return Page{}, err
	}
	limit := core.PageLimit(f.Limit, 50, 200)
	// The page's rows are chosen on desk_requests alone, then joined: the
	// engine stops at the page's last row instead of joining every open
	// request before sorting them (SQLite's plan without statistics).
	page, args, err := db.NewestFirst("SELECT r.* FROM desk_requests r"+where, args, "r.created_at", "r.id", f.Cursor, limit)
	if err != nil {
		return Page{}, err
	}
	q := "SELECT " + requestColumns + strings.Replace(requestFrom, "desk_requests r", "("+page+") r", 1) +
		" ORDER BY r.created_at DESC, r.id DESC"
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	out := []Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return Page{}, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	out, next := db.NewestPage(out, limit, func(r Request) (time.Time, string) { return r.CreatedAt, r.ID })
	return Page{Requests: out, Next: next}, nil
}

// Counts returns, for each view, how many requests the actor may read
// match it together with f's other criteria, up to MaxCount.
func (s *Store) Counts(ctx context.Context, actor *core.Actor, f Filter) (map[string]int, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, v := range Views {
		g := f
		g.View, g.Cursor = v, ""
		where, args, err := g.where(actor)
		if err != nil {
			return nil, err
		}
		var n int
		err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM desk_requests r"+where+" LIMIT ?) c",
			append(args, MaxCount)...).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("count requests: %w", err)
		}
		out[v] = n
	}
	return out, nil
}
