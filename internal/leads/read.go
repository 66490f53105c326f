package leads

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Filter chooses the leads List returns; empty fields match any.
type Filter struct {
	AssigneeLogin string // "" any; see Unassigned
	Unassigned    bool   // only leads waiting for an agent
	Status        string
	UnitCode      string
	PartyID       string
	Source        string // exact source
	Product       string // product code
	Cursor        string
	Limit         int // default 50, at most 200
}

// Page is one page of leads, newest received first.
type Page struct {
	Leads []Lead `json:"leads"`
	Next  string `json:"next_cursor"`
}

// Get returns the lead id in the actor's scope (lead.work); a lead of a
// unit outside it is NotFound, like one that does not exist.
func (s *Store) Get(ctx context.Context, actor *core.Actor, id string) (Lead, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return Lead{}, err
	}
	return loadLead(ctx, s.db, id, actor.Scope)
}

// List returns the leads of the actor's scope that match f, newest received
// first, a page at a time (lead.work).
func (s *Store) List(ctx context.Context, actor *core.Actor, f Filter) (Page, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return Page{}, err
	}
	fields := core.Fields{}
	core.CheckText(fields, "assignee", f.AssigneeLogin, core.MaxCode)
	core.CheckText(fields, "unit", f.UnitCode, core.MaxCode)
	core.CheckText(fields, "party_id", f.PartyID, core.MaxCode)
	core.CheckText(fields, "source", f.Source, core.MaxCode)
	core.CheckText(fields, "product", f.Product, core.MaxCode)
	core.CheckText(fields, "cursor", f.Cursor, core.MaxQuery)
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		fields.Add("status", core.OneOf(Statuses...))
	}
	if err := fields.Err(); err != nil {
		return Page{}, err
	}
	limit := core.PageLimit(f.Limit, 50, 200)
	cond, args := scopeCond("l.unit_id", actor.Scope)
	q := leadSelect + " WHERE 1 = 1" + cond
	if f.Unassigned {
		q += " AND l.assignee_id IS NULL"
	}
	for _, eq := range []struct{ col, v string }{{"a.login", f.AssigneeLogin}, {"l.status", f.Status},
		{"u.code", f.UnitCode}, {"l.party_id", f.PartyID}, {"l.source", f.Source}, {"l.product", f.Product}} {
		if eq.v != "" {
			q += " AND " + eq.col + " = ?"
			args = append(args, eq.v)
		}
	}
	q, args, err := db.NewestFirst(q, args, "l.received_at", "l.id", f.Cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	list := []Lead{}
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return Page{}, fmt.Errorf("list leads: %w", err)
		}
		list = append(list, l)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list leads: %w", err)
	}
	list, next := db.NewestPage(list, limit, func(l Lead) (time.Time, string) { return l.ReceivedAt, l.ID })
	return Page{Leads: list, Next: next}, nil
}
