package events

import (
	"sync"
)

// bufferSize is how many events a subscription holds for its reader; the
// last slot is kept for a Resync marker.
const bufferSize = 64

// Subscription receives the events its filter lets through on C, in the
// order this instance learnt of them, until its context ends, Close is
// called or the bus closes; then C is closed.
//
// A reader too slow to keep up never blocks a publisher: once its buffer
// is full, further events are dropped and a Resync marker takes the last
// slot, so the reader knows to refetch. Events are dropped until it has
// read the marker.
type Subscription struct {
	C <-chan Event

	ch      chan Event
	filter  Filter
	bus     *Bus
	stop    func() bool // releases the context watch
	mu      sync.Mutex
	lagging bool // a Resync marker is the last event queued
	closed  bool
}

// offer queues e if the filter lets it through, without ever waiting.
func (s *Subscription) offer(e Event) {
	if !s.filter.matches(e) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	// While not lagging, at most bufferSize-1 events are queued, so the
	// sends below never block.
	switch {
	case s.lagging && len(s.ch) > 0:
		// The marker is still queued: the refetch it causes covers e.
		s.bus.dropped.Add(1)
	case e.Topic != Resync && len(s.ch) < cap(s.ch)-1:
		s.lagging = false
		s.ch <- e
	default:
		if e.Topic != Resync {
			s.bus.dropped.Add(1)
		}
		s.lagging = true
		s.ch <- Event{Topic: Resync}
	}
}

// Close ends the subscription and closes C. It is safe to call more than
// once.
func (s *Subscription) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.ch)
	s.mu.Unlock()
	if s.stop != nil {
		s.stop()
	}
	s.bus.remove(s)
}
