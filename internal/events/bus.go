// Package events is the notification bus of live pages: an event
// published on one instance reaches the subscribers of every instance
// serving the same database (the server-sent events of the browsers
// connected to it, see web/live.go).
//
// On SQLite one process owns the file, so the bus fans events out in
// memory. On PostgreSQL it also sends each event with pg_notify and every
// instance listens on a connection of its own (listen.go). A notification
// is a hint, not a record: one sent while an instance's listening
// connection is down is lost, and that instance's subscribers get a
// Resync marker once it listens again, so pages refetch what they show.
// Nothing whose correctness matters (caches, jobs, the outbox) relies on
// the bus alone.
package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Bus publishes events to the subscribers of every instance.
type Bus struct {
	db     *db.DB
	clock  core.Clock
	logger *slog.Logger
	origin string        // this instance, whose own notifications are skipped
	ping   time.Duration // silence after which the listening connection is pinged

	mu     sync.RWMutex
	subs   map[*Subscription]struct{}
	closed bool

	dropped    atomic.Int64 // events a slow subscription did not get (see Stats)
	reconnects atomic.Int64 // times the listening connection was replaced

	start     sync.Once     // starts the listener on first need
	listening chan struct{} // closed once the first LISTEN succeeded (at once on SQLite)
	stop      context.CancelFunc
	done      chan struct{} // closed when the listener has stopped
}

// New returns the bus of the application on d. On PostgreSQL it listens
// for the other instances' events from the first subscription (or call of
// Listening) on, on a connection of its own, reconnecting with backoff
// after a drop, until Close; an application nobody subscribes to (a
// command-line tool) opens no such connection.
func New(d *db.DB, clock core.Clock, logger *slog.Logger) *Bus {
	b := &Bus{db: d, clock: clock, logger: logger, origin: core.NewID(), ping: listenerPing, subs: map[*Subscription]struct{}{},
		listening: make(chan struct{}), done: make(chan struct{}), stop: func() {}}
	if d.Dialect() != db.Postgres {
		close(b.listening)
		b.start.Do(func() { close(b.done) })
	}
	return b
}

// startListening starts the listener once, unless the bus is closed.
func (b *Bus) startListening() {
	b.start.Do(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.closed {
			close(b.done)
			return
		}
		ctx, stop := context.WithCancel(context.Background())
		b.stop = stop
		go func() {
			defer close(b.done)
			b.listen(ctx)
		}()
	})
}

// Listening returns a channel closed once the bus receives the events of
// other instances (at once on SQLite): a subscriber that waits for it
// misses nothing published after.
func (b *Bus) Listening() <-chan struct{} {
	b.startListening()
	return b.listening
}

// Publish sends e to the subscribers of every instance. It sets e.ID.
func (b *Bus) Publish(ctx context.Context, e Event) error {
	e, err := b.prepare(e)
	if err != nil {
		return err
	}
	if b.db.Dialect() == db.Postgres {
		if err := b.notify(ctx, b.db, e); err != nil {
			return err
		}
	}
	b.deliver(e)
	return nil
}

// PublishTx sends e to the subscribers of every instance once tx commits,
// and never if it rolls back: on PostgreSQL pg_notify inside the
// transaction is delivered at commit, here by tx.AfterCommit.
func (b *Bus) PublishTx(ctx context.Context, tx *db.Tx, e Event) error {
	e, err := b.prepare(e)
	if err != nil {
		return err
	}
	if tx.Dialect() == db.Postgres {
		if err := b.notify(ctx, tx, e); err != nil {
			return err
		}
	}
	tx.AfterCommit(func() { b.deliver(e) })
	return nil
}

// prepare checks e and gives it an ID and compact data.
func (b *Bus) prepare(e Event) (Event, error) {
	if e.Topic == "" || e.Topic == Resync {
		return e, fmt.Errorf("publish event: topic %q is not one to publish", e.Topic)
	}
	if e.ID == "" {
		e.ID = core.NewID()
	}
	if len(e.Data) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, e.Data); err != nil {
			return e, fmt.Errorf("publish event %s: data is not JSON: %w", e.Topic, err)
		}
		e.Data = buf.Bytes()
	}
	return e, nil
}

// Subscribe returns a subscription to the events f lets through, on this
// instance, from now on, until ctx ends or the subscription or the bus is
// closed.
func (b *Bus) Subscribe(ctx context.Context, f Filter) *Subscription {
	ch := make(chan Event, bufferSize)
	s := &Subscription{C: ch, ch: ch, filter: f, bus: b}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		s.closed = true
		close(ch)
		return s
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	s.stop = context.AfterFunc(ctx, s.Close)
	b.startListening()
	return s
}

func (b *Bus) remove(s *Subscription) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// deliver offers e to every subscription of this instance.
func (b *Bus) deliver(e Event) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs {
		s.offer(e)
	}
}

// Close stops listening and closes every subscription. Publishing still
// works afterwards: other instances receive the events, this one has no
// subscribers left.
func (b *Bus) Close() error {
	b.mu.Lock()
	b.closed = true
	stop := b.stop
	b.mu.Unlock()
	b.startListening() // a no-op that closes done, if it never started
	stop()
	<-b.done
	b.mu.Lock()
	subs := make([]*Subscription, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.Unlock()
	for _, s := range subs {
		s.Close()
	}
	return nil
}

// Stats are the bus's figures on this instance, for /metrics.
type Stats struct {
	Subscriptions int   // open now: live streams and the application's own
	Dropped       int64 // events not queued because a subscription lagged
	Reconnects    int64 // times the listening connection was replaced
}

// Stats returns the bus's figures so far.
func (b *Bus) Stats() Stats {
	b.mu.RLock()
	n := len(b.subs)
	b.mu.RUnlock()
	return Stats{Subscriptions: n, Dropped: b.dropped.Load(), Reconnects: b.reconnects.Load()}
}
