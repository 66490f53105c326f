package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// patience bounds how long a test waits for what must happen; it never
// fails a test by itself being slow, only by the thing not happening.
const patience = 10 * time.Second

func newBus(t *testing.T, d *db.DB) *Bus {
	t.Helper()
	b := New(d, core.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { b.Close() })
	return b
}

// next returns the next event of s, failing the test if none comes.
func next(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case e, ok := <-s.C:
		if !ok {
			t.Fatal("subscription closed")
		}
		return e
	case <-time.After(patience):
		t.Fatal("no event came")
	}
	return Event{}
}

// nothingPending fails if s holds an event.
func nothingPending(t *testing.T, s *Subscription, what string) {
	t.Helper()
	select {
	case e := <-s.C:
		t.Errorf("%s: received %+v", what, e)
	default:
	}
}

func TestAnEventReachesOnlyTheAgentsOfItsAudience(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, d)
		ctx := context.Background()
		inA1 := &core.Actor{AgentID: "adv1", Scope: core.Scope{UnitIDs: []string{"A1"}}}
		inA2 := &core.Actor{AgentID: "adv2", Scope: core.Scope{UnitIDs: []string{"A2"}}}
		bank := &core.Actor{AgentID: "admin", Scope: core.Scope{All: true}}
		s1, s2, sb := b.Subscribe(ctx, Filter{Actor: inA1}), b.Subscribe(ctx, Filter{Actor: inA2}), b.Subscribe(ctx, Filter{Actor: bank})
		for _, e := range []Event{
			{Topic: "desk.unread", Audience: []string{Unit("A1")}, Data: json.RawMessage(`{"n": 1}`)},
			{Topic: "lead.alert", Audience: []string{Agent("adv2")}},
			{Topic: "notice", Audience: []string{Everyone}},
		} {
			if err := b.Publish(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if e := next(t, s1); e.Topic != "desk.unread" || string(e.Data) != `{"n":1}` || e.ID == "" {
			t.Errorf("an agent of A1 first receives %+v", e)
		}
		if e := next(t, s1); e.Topic != "notice" {
			t.Errorf("an agent of A1 then receives %+v, not the alert of another agent", e)
		}
		if e := next(t, s2); e.Topic != "lead.alert" {
			t.Errorf("an agent of A2 first receives %+v, not A1's unread count", e)
		}
		for _, want := range []string{"desk.unread", "notice"} {
			if e := next(t, sb); e.Topic != want {
				t.Errorf("the whole bank's agent receives %q, want %q", e.Topic, want)
			}
		}
		nothingPending(t, s1, "agent of A1")
		nothingPending(t, sb, "whole bank (an alert for one agent)")
	})
}

func TestASubscriptionChoosesItsTopics(t *testing.T) {
	b := newBus(t, dbtest.SQLite(t))
	ctx := context.Background()
	s := b.Subscribe(ctx, Filter{Topics: []string{"lead.alert"}})
	for _, topic := range []string{"desk.unread", "lead.alert"} {
		if err := b.Publish(ctx, Event{Topic: topic, Audience: []string{Everyone}}); err != nil {
			t.Fatal(err)
		}
	}
	if e := next(t, s); e.Topic != "lead.alert" {
		t.Errorf("received %q", e.Topic)
	}
}

func TestAnEventPublishedInATransactionArrivesOnlyOnceItCommits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, d)
		ctx := context.Background()
		s := b.Subscribe(ctx, Filter{})
		rollback := errors.New("rolled back")
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if err := b.PublishTx(ctx, tx, Event{Topic: "lost", Audience: []string{Everyone}}); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			if err := b.PublishTx(ctx, tx, Event{Topic: "kept", Audience: []string{Everyone}}); err != nil {
				return err
			}
			nothingPending(t, s, "before the commit")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if e := next(t, s); e.Topic != "kept" {
			t.Errorf("received %q: the rolled-back event arrived", e.Topic)
		}
	})
}

func TestAnEventWithoutATopicOrWithDataThatIsNotJSONIsRefused(t *testing.T) {
	b := newBus(t, dbtest.SQLite(t))
	ctx := context.Background()
	if err := b.Publish(ctx, Event{Audience: []string{Everyone}}); err == nil {
		t.Error("an event without a topic was published")
	}
	if err := b.Publish(ctx, Event{Topic: Resync}); err == nil {
		t.Error("a resync marker was published")
	}
	if err := b.Publish(ctx, Event{Topic: "x", Data: json.RawMessage("{oops")}); err == nil {
		t.Error("data that is not JSON was published")
	}
}

func TestASubscriberThatDoesNotReadNeverBlocksPublishers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBus(t, d)
		ctx := context.Background()
		stuck := b.Subscribe(ctx, Filter{})
		reader := b.Subscribe(ctx, Filter{})
		const n = 5 * bufferSize
		for i := range n {
			published := make(chan error, 1)
			go func() {
				published <- b.Publish(ctx, Event{Topic: "tick", Audience: []string{Everyone}, Data: json.RawMessage(fmt.Sprint(i))})
			}()
			select {
			case err := <-published:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(patience):
				t.Fatalf("publishing event %d is blocked by a subscriber that does not read", i)
			}
			if e := next(t, reader); e.Topic != "tick" || string(e.Data) != fmt.Sprint(i) {
				t.Fatalf("the reading subscriber's event %d is %+v", i, e)
			}
		}
		// The one that did not read finds what fitted, then a marker.
		for i := range bufferSize - 1 {
			if e := next(t, stuck); string(e.Data) != fmt.Sprint(i) {
				t.Fatalf("queued event %d is %+v", i, e)
			}
		}
		if e := next(t, stuck); e.Topic != Resync {
			t.Fatalf("after its full buffer the slow subscriber reads %+v, not a resync marker", e)
		}
		nothingPending(t, stuck, "after the marker")
		if st := b.Stats(); st.Dropped != n-(bufferSize-1) || st.Subscriptions != 2 {
			t.Errorf("stats %+v: want %d dropped, 2 subscriptions", st, n-(bufferSize-1))
		}
		if err := b.Publish(ctx, Event{Topic: "after", Audience: []string{Everyone}}); err != nil {
			t.Fatal(err)
		}
		if e := next(t, stuck); e.Topic != "after" {
			t.Errorf("once caught up, the subscriber receives %+v", e)
		}
	})
}

func TestASubscriptionEndsWithItsContextAndWithTheBus(t *testing.T) {
	b := newBus(t, dbtest.SQLite(t))
	ctx, cancel := context.WithCancel(context.Background())
	s := b.Subscribe(ctx, Filter{})
	other := b.Subscribe(context.Background(), Filter{})
	cancel()
	if _, ok := <-s.C; ok {
		t.Error("the subscription outlived its context")
	}
	b.Close()
	if _, ok := <-other.C; ok {
		t.Error("the subscription outlived the bus")
	}
	if _, ok := <-b.Subscribe(context.Background(), Filter{}).C; ok {
		t.Error("a closed bus took a subscription")
	}
	if err := b.Publish(context.Background(), Event{Topic: "late", Audience: []string{Everyone}}); err != nil {
		t.Errorf("publishing after the bus closed: %v", err)
	}
}
