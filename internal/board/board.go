// Package board is the kanban board of cases and requests: a column per
// status in process order, each with its first cards (last updated first)
// and a capped count, so it opens as fast at 100,000 open cards as at ten.
// It reads cases through package cases and requests through package desk
// (no SQL of its own on their tables), and moves cards through them: a
// refused move comes back as their error, whose reason code explains.
package board

import (
	"context"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

// The kinds of boards.
const (
	KindCases    = "cases"
	KindRequests = "requests"
)

// Kinds lists them.
var Kinds = []string{KindCases, KindRequests}

// The board's sizes: cards loaded per column, and where counts stop.
const (
	CardsPerColumn = 20
	MaxCount       = 1000
)

// Filter selects a board's cards.
type Filter struct {
	Kind           string // cases or requests
	UnitID         string
	AssigneeID     string
	Classification string // cases: a classification code (the first active one when empty)
	Channel        string // requests: a channel
	Lang           string // the language of the columns' names (the actor's when empty)
}

// Card is a case or a request on the board.
type Card struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Title     string    `json:"title"`
	PartyName string    `json:"party_name"`
	Assignee  string    `json:"assignee"`
	Channel   string    `json:"channel,omitempty"`
	Priority  string    `json:"priority,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Column is one status: its first cards and how many it holds, up to
// MaxCount (More when there are more).
type Column struct {
	Status string `json:"status"`
	Name   string `json:"name"`
	Closed bool   `json:"closed"`
	Count  int    `json:"count"`
	More   bool   `json:"more"`
	Cards  []Card `json:"cards"`
}

// Board is the columns of a board, in process order.
type Board struct {
	Kind           string   `json:"kind"`
	Classification string   `json:"classification,omitempty"` // cases: the classification shown
	Columns        []Column `json:"columns"`
}

// Store reads and moves the board's cards.
type Store struct {
	cases *cases.Store
	desk  *desk.Store
}

// New returns the board over the cases and the desk.
func New(c *cases.Store, d *desk.Store) *Store { return &Store{cases: c, desk: d} }

// Board returns the board f selects, within the actor's scope.
func (s *Store) Board(ctx context.Context, actor *core.Actor, f Filter) (Board, error) {
	switch f.Kind {
	case KindCases:
		return s.caseBoard(ctx, actor, f)
	case KindRequests:
		return s.requestBoard(ctx, actor, f)
	}
	return Board{}, core.Fields{"kind": core.OneOf(Kinds...)}.Err()
}

func (s *Store) caseBoard(ctx context.Context, actor *core.Actor, f Filter) (Board, error) {
	b, err := s.cases.Cards(ctx, actor, cases.CardFilter{Classification: f.Classification, UnitID: f.UnitID,
		AssigneeID: f.AssigneeID, Lang: f.Lang, Cards: CardsPerColumn, MaxCount: MaxCount})
	if err != nil {
		return Board{}, err
	}
	out := Board{Kind: KindCases, Classification: b.Classification, Columns: make([]Column, 0, len(b.Columns))}
	for _, c := range b.Columns {
		col := Column{Status: c.Status, Name: c.Name, Closed: c.Closed, Count: c.Count, More: c.More,
			Cards: make([]Card, 0, len(c.Cards))}
		for _, k := range c.Cards {
			col.Cards = append(col.Cards, Card{ID: k.ID, Reference: k.Reference, Title: k.Title, PartyName: k.PartyName,
				Assignee: k.Assignee, UpdatedAt: k.UpdatedAt})
		}
		out.Columns = append(out.Columns, col)
	}
	return out, nil
}

// requestNames are the names of the requests' statuses, French then English.
var requestNames = map[string][2]string{
	desk.StatusNew:     {"Nouvelle", "New"},
	desk.StatusOpen:    {"En cours", "Open"},
	desk.StatusWaiting: {"En attente", "Waiting"},
	desk.StatusClosed:  {"Clôturée", "Closed"},
}

func (s *Store) requestBoard(ctx context.Context, actor *core.Actor, f Filter) (Board, error) {
	cols, err := s.desk.Board(ctx, actor, desk.BoardFilter{UnitID: f.UnitID, AssigneeID: f.AssigneeID, Channel: f.Channel,
		Cards: CardsPerColumn, MaxCount: MaxCount})
	if err != nil {
		return Board{}, err
	}
	lang := f.Lang
	if lang == "" {
		lang = actor.Locale
	}
	out := Board{Kind: KindRequests, Columns: make([]Column, 0, len(cols))}
	for _, c := range cols {
		name := requestNames[c.Status][0]
		if lang == "en" {
			name = requestNames[c.Status][1]
		}
		col := Column{Status: c.Status, Name: name, Closed: c.Status == desk.StatusClosed, Count: c.Count, More: c.More,
			Cards: make([]Card, 0, len(c.Requests))}
		for _, r := range c.Requests {
			card := Card{ID: r.ID, Reference: r.Reference, Title: r.Subject, PartyName: r.PartyName, Channel: r.Channel,
				Priority: r.Priority, UpdatedAt: r.UpdatedAt}
			if card.PartyName == "" {
				card.PartyName = r.CustomerName
			}
			if r.Assignee != nil {
				card.Assignee = r.Assignee.Name
			}
			col.Cards = append(col.Cards, card)
		}
		out.Columns = append(out.Columns, col)
	}
	return out, nil
}

// Move moves card id of a board of kind to status to: a case through its
// process (a step leading there without required fields, else refused
// with the reason "no_step" or "step_needs_fields"), a request to any of
// its statuses (a closed request is reopened so).
func (s *Store) Move(ctx context.Context, actor *core.Actor, kind, id, to string) error {
	switch kind {
	case KindCases:
		return s.cases.MoveCase(ctx, actor, id, to)
	case KindRequests:
		if !slices.Contains(desk.Statuses, to) {
			return core.Fields{"status": core.OneOf(desk.Statuses...)}.Err()
		}
		_, err := s.desk.Update(ctx, actor, id, desk.Patch{Status: &to})
		return err
	}
	return core.Fields{"kind": core.OneOf(Kinds...)}.Err()
}
