package desk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// BoardFilter selects the requests of the kanban board.
type BoardFilter struct {
	UnitID     string // this unit (not its subunits)
	AssigneeID string
	Channel    string
	Cards      int // cards per column (default 20)
	MaxCount   int // where the counts stop (default MaxCount)
}

// BoardColumn is one status of the board: its first requests, last
// updated first, and how many it holds up to the filter's MaxCount (More
// when there are more).
type BoardColumn struct {
	Status   string
	Count    int
	More     bool
	Requests []Request
}

// Board returns a column per status (in Statuses order) of the requests
// the actor may read that f selects. Requires request.read.
func (s *Store) Board(ctx context.Context, actor *core.Actor, f BoardFilter) ([]BoardColumn, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return nil, err
	}
	if f.Channel != "" && !slices.Contains(Channels, f.Channel) {
		return nil, core.Fields{"channel": core.OneOf(Channels...)}.Err()
	}
	f.Cards, f.MaxCount = cmp.Or(f.Cards, 20), cmp.Or(f.MaxCount, MaxCount)
	out := make([]BoardColumn, 0, len(Statuses))
	for _, status := range Statuses {
		col := BoardColumn{Status: status, Requests: []Request{}}
		page, pageArgs, count, countArgs := BoardColumnSQL(actor, status, f)
		if err := s.db.QueryRow(ctx, count, countArgs...).Scan(&col.Count); err != nil {
			return nil, fmt.Errorf("count requests %s: %w", status, err)
		}
		if col.Count > f.MaxCount {
			col.Count, col.More = f.MaxCount, true
		}
		if col.Count > 0 {
			rows, err := s.db.Query(ctx, page, pageArgs...)
			if err != nil {
				return nil, fmt.Errorf("board requests %s: %w", status, err)
			}
			for rows.Next() {
				r, err := scanRequest(rows)
				if err != nil {
					rows.Close()
					return nil, err
				}
				col.Requests = append(col.Requests, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		out = append(out, col)
	}
	return out, nil
}

// BoardColumnSQL is what Board runs for one column: the page of requests
// and the capped count, with their arguments. Exported for the bench,
// which times the same SQL without the Go around it.
func BoardColumnSQL(actor *core.Actor, status string, f BoardFilter) (page string, pageArgs []any, count string, countArgs []any) {
	where, args := " WHERE r.status = ?", []any{status}
	cond, sargs := scopeCond("r.unit_id", actor.Scope)
	where, args = where+cond, append(args, sargs...)
	for _, c := range []struct{ col, v string }{{"r.unit_id", f.UnitID}, {"r.assignee_id", f.AssigneeID}, {"r.channel", f.Channel}} {
		if c.v != "" {
			where, args = where+" AND "+c.col+" = ?", append(args, c.v)
		}
	}
	// The page is chosen on desk_requests alone (desk_requests_board_*:
	// unit or status, then updated_at), then joined.
	inner := "(SELECT r.* FROM desk_requests r" + where + " ORDER BY r.updated_at DESC, r.id DESC LIMIT ?) r"
	page = "SELECT " + requestColumns + strings.Replace(requestFrom, "desk_requests r", inner, 1) +
		" ORDER BY r.updated_at DESC, r.id DESC"
	count = "SELECT COUNT(*) FROM (SELECT 1 FROM desk_requests r" + where + " LIMIT ?) x"
	return page, append(append([]any{}, args...), cmp.Or(f.Cards, 20)), count, append(args, cmp.Or(f.MaxCount, MaxCount)+1)
}
