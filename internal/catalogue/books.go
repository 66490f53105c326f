package catalogue

import (
	"context"
	"sync"

	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/db"
)

// CacheName is the cache_versions row a catalogue save moves on.
const CacheName = "catalogue"

// Books keeps each establishment's catalogues once read, and which
// establishment each unit asked for belongs to, so that a page or a
// timeline labelling its lines reads nothing (a unit's parent cannot
// change, so neither can its establishment); a catalogue save on any
// instance drops them within a second (cache.Version). The zero value is
// ready; a Book it returns is shared and must not be changed.
type Books struct {
	version cache.Version
	mu      sync.Mutex
	byEst   map[string]*Book
	estOf   map[string]string // a unit's establishment, as read with the catalogues
}

// Drop forgets every catalogue read, for this instance's own saves (other
// instances see the version move).
func (b *Books) Drop() {
	b.mu.Lock()
	b.byEst, b.estOf = nil, nil
	b.mu.Unlock()
}

// ForUnit returns the catalogues of the establishment of unitID (the
// shared ones for none).
func (b *Books) ForUnit(ctx context.Context, q db.Querier, unitID string) (*Book, error) {
	changed, err := b.version.Changed(ctx, q, CacheName)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	if changed {
		b.byEst, b.estOf = nil, nil
	}
	est, known := b.estOf[unitID]
	book, ok := b.byEst[est]
	b.mu.Unlock()
	if known && ok {
		return book, nil
	}
	if est, err = EstablishmentOf(ctx, q, unitID); err != nil {
		return nil, err
	}
	book, err = Load(ctx, q, est)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	if b.byEst == nil {
		b.byEst, b.estOf = map[string]*Book{}, map[string]string{}
	}
	b.byEst[est], b.estOf[unitID] = book, est
	b.mu.Unlock()
	return book, nil
}
