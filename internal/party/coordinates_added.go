package party

import (
	"context"

	"github.com/rapport-crm/rapport/internal/db"
)

// CoordinateHook is told, within the transaction that wrote them, of the
// emails (lower-case) and phones (E.164) parties gained, by party id.
type CoordinateHook func(ctx context.Context, q db.Querier, added map[string][]string) error

// OnCoordinatesAdded subscribes h to every write that gives a party a new
// email or phone (creation, edit, import): the history uses it to link the
// interactions it kept unattached for want of an owner. Subscribers are
// told in the order they subscribed; the first error aborts the write.
func (s *Store) OnCoordinatesAdded(h CoordinateHook) { s.coordinatesAdded.Subscribe(h) }

// gained tells the hook of the emails and phones each party in ps holds
// that its former state (by id in old; absent for a new party) did not.
func (s *Store) gained(ctx context.Context, q db.Querier, old map[string]*Party, ps ...*Party) error {
	hooks := s.coordinatesAdded.List()
	if len(hooks) == 0 {
		return nil
	}
	added := map[string][]string{}
	for _, p := range ps {
		had := map[string]bool{}
		if o := old[p.ID]; o != nil {
			for _, e := range o.Emails {
				had[e.Address] = true
			}
			for _, ph := range o.Phones {
				had[ph.Number] = true
			}
		}
		for _, e := range p.Emails {
			if !had[e.Address] {
				added[p.ID] = append(added[p.ID], e.Address)
			}
		}
		for _, ph := range p.Phones {
			if !had[ph.Number] {
				added[p.ID] = append(added[p.ID], ph.Number)
			}
		}
	}
	if len(added) == 0 {
		return nil
	}
	for _, h := range hooks {
		if err := h(ctx, q, added); err != nil {
			return err
		}
	}
	return nil
}
