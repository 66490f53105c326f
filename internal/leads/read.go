package leads

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
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

// Get returns the lead id in the actor's scope.
func (s *Store) Get(ctx context.Context, actor *core.Actor, id string) (Lead, error) {
	return Lead{}, errNotBuilt
}

// List returns the leads of the actor's scope that match f.
func (s *Store) List(ctx context.Context, actor *core.Actor, f Filter) (Page, error) {
	return Page{}, errNotBuilt
}
