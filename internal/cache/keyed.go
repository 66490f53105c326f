package cache

import (
	"context"
	"sync"

	"github.com/rapport-crm/rapport/internal/db"
)

// Keyed keeps values by key under one cache_versions row: an instance
// drops them all when the row's version moves (read at most once per
// CheckEvery), and Clear drops them at once on the instance that saved.
// The zero value is not ready: use NewKeyed.
type Keyed[K comparable, V any] struct {
	name    string
	version Version
	mu      sync.Mutex
	values  map[K]V
}

// NewKeyed returns an empty Keyed on the cache_versions row name.
func NewKeyed[K comparable, V any](name string) *Keyed[K, V] {
	return &Keyed[K, V]{name: name}
}

// Get returns the value kept under key, after dropping them all if the
// version moved since they were read.
func (k *Keyed[K, V]) Get(ctx context.Context, q db.Querier, key K) (V, bool, error) {
	changed, err := k.version.Changed(ctx, q, k.name)
	if err != nil {
		var zero V
		return zero, false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if changed {
		k.values = nil
	}
	v, ok := k.values[key]
	return v, ok, nil
}

// Put keeps v under key.
func (k *Keyed[K, V]) Put(key K, v V) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.values == nil {
		k.values = map[K]V{}
	}
	k.values[key] = v
}

// Update replaces the value kept under key, if any, by change's.
func (k *Keyed[K, V]) Update(key K, change func(V) V) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.values[key]; ok {
		k.values[key] = change(v)
	}
}

// Clear drops every value.
func (k *Keyed[K, V]) Clear() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.values = nil
}
