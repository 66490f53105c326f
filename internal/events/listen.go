package events

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// PostgreSQL refuses a notification payload of 8,000 bytes or more; an
// event larger than maxNotify is stored in event_payloads and its
// notification carries the row's id.
const maxNotify = 7900

// payloadKeep is how long a stored payload stays for the instances to
// fetch; each large event published deletes those older.
const payloadKeep = 10 * time.Minute

// listenerPing is how long the listening connection may stay silent
// before it is pinged (Bus.ping), so that a connection the network
// dropped without a word is found and replaced (TCP keepalives alone
// take minutes).
const listenerPing = 30 * time.Second

// channelSQL names the channel of the database's schema, so that
// applications in several schemas of one database (tests, staging) do not
// hear each other. The publisher's and the listener's sessions have the
// same search_path, from the same connection string.
const channelSQL = "'rapport:' || current_schema()"

// notice is what travels in a notification: the event, or the id of its
// stored payload.
type notice struct {
	Origin string `json:"o"`
	Ref    string `json:"r,omitempty"`
	Event  *Event `json:"e,omitempty"`
}

// notify sends e with pg_notify through q: a transaction's notifications
// are delivered when it commits.
func (b *Bus) notify(ctx context.Context, q db.Querier, e Event) error {
	payload, err := json.Marshal(notice{Origin: b.origin, Event: &e})
	if err != nil {
		return err
	}
	if len(payload) > maxNotify {
		now, ref := b.clock.Now(), core.NewID()
		if _, err := q.Exec(ctx, "DELETE FROM event_payloads WHERE created_at < ?", core.Millis(now.Add(-payloadKeep))); err != nil {
			return fmt.Errorf("publish event %s: %w", e.Topic, err)
		}
		if _, err := q.Exec(ctx, "INSERT INTO event_payloads (id, payload, created_at) VALUES (?, ?, ?)",
			ref, string(payload), core.Millis(now)); err != nil {
			return fmt.Errorf("publish event %s: %w", e.Topic, err)
		}
		if payload, err = json.Marshal(notice{Origin: b.origin, Ref: ref}); err != nil {
			return err
		}
	}
	if _, err := q.Exec(ctx, "SELECT pg_notify("+channelSQL+", ?)", string(payload)); err != nil {
		return fmt.Errorf("publish event %s: %w", e.Topic, err)
	}
	return nil
}

// listen receives the other instances' events until ctx ends, on a
// connection of its own, reconnecting after a drop with a backoff that
// doubles from 100 ms up to 10 s. Each time it listens again after a
// drop, the subscribers get a Resync marker for what was sent meanwhile.
func (b *Bus) listen(ctx context.Context) {
	backoff, first, dsn := 100*time.Millisecond, true, ""
	listening := func() {
		backoff = 100 * time.Millisecond
		if first {
			first = false
			close(b.listening)
			return
		}
		b.reconnects.Add(1)
		b.logger.Info("events: listening again; live pages resynchronise")
		b.deliver(Event{Topic: Resync})
	}
	for {
		var err error
		if dsn == "" {
			dsn, err = b.db.ConnString(ctx)
		}
		if err == nil {
			err = b.listenOnce(ctx, dsn, listening)
		}
		if ctx.Err() != nil {
			return
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		b.logger.Warn("events: listening connection lost; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// listenerName is the application_name of an instance's listening
// connection, as pg_stat_activity shows it.
func listenerName(origin string) string { return "rapport events " + origin }

// listenOnce connects, listens, calls listening, then hands every
// notification to receive until the connection fails or ctx ends.
func (b *Bus) listenOnce(ctx context.Context, dsn string, listening func()) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("connection string: %w", err)
	}
	cfg.RuntimeParams["application_name"] = listenerName(b.origin)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	var channel string
	if err := conn.QueryRow(ctx, "SELECT "+channelSQL).Scan(&channel); err != nil {
		return fmt.Errorf("name the channel: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	for {
		wait, cancel := context.WithTimeout(ctx, b.ping)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if n != nil {
			b.receive(ctx, n.Payload)
		}
		switch {
		case err == nil:
		case ctx.Err() != nil || wait.Err() == nil:
			return err
		default: // silent for a while: is the connection still there?
			ping, cancel := context.WithTimeout(ctx, 10*time.Second)
			err = conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		}
	}
}

// receive delivers the event of a notification from another instance,
// fetching a stored payload; what cannot be read becomes a Resync marker.
func (b *Bus) receive(ctx context.Context, payload string) {
	var n notice
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		b.logger.Warn("events: unreadable notification", "err", err)
		return
	}
	if n.Origin == b.origin {
		return // delivered here when published
	}
	if n.Ref != "" {
		fetchCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var stored string
		err := b.db.QueryRow(fetchCtx, "SELECT payload FROM event_payloads WHERE id = ?", n.Ref).Scan(&stored)
		if err == nil {
			err = json.Unmarshal([]byte(stored), &n)
		}
		if err != nil {
			b.logger.Warn("events: stored payload unreadable; live pages resynchronise", "id", n.Ref, "err", err)
			b.deliver(Event{Topic: Resync})
			return
		}
	}
	if n.Event != nil {
		b.deliver(*n.Event)
	}
}
