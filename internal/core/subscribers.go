package core

import "sync"

// Subscribers is the list of functions told of one kind of domain event.
// Subscribing appends: a feature that subscribes never replaces another's
// subscription. It is safe for concurrent use.
type Subscribers[F any] struct {
	mu  sync.RWMutex
	fns []F
}

// Subscribe adds fn to the list.
func (s *Subscribers[F]) Subscribe(fn F) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fns = append(s.fns, fn)
}

// List returns the subscribed functions in subscription order.
func (s *Subscribers[F]) List() []F {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.fns[:len(s.fns):len(s.fns)]
}
