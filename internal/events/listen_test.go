package events

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAnEventCrossesToTheOtherInstancesOfTheDatabase(t *testing.T) {
	d1 := dbtest.Postgres(t)
	d2 := dbtest.SecondHandle(t, d1)
	b1, b2 := newBus(t, d1), newBus(t, d2)
	ctx := context.Background()
	s1, s2 := b1.Subscribe(ctx, Filter{}), b2.Subscribe(ctx, Filter{})
	<-b1.Listening()
	<-b2.Listening()
	large := json.RawMessage(`{"text":"` + strings.Repeat("é", 6000) + `"}`) // 12 KB: over a notification's limit
	for _, e := range []Event{{Topic: "small", Audience: []string{Everyone}, Data: json.RawMessage(`{"n":1}`)},
		{Topic: "large", Audience: []string{Everyone}, Data: large}} {
		if err := b1.Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if e := next(t, s2); e.Topic != "small" || string(e.Data) != `{"n":1}` {
		t.Errorf("the other instance receives %+v", e)
	}
	if e := next(t, s2); e.Topic != "large" || string(e.Data) != string(large) {
		t.Errorf("the other instance receives the large event as %q with %d bytes", e.Topic, len(e.Data))
	}
	if err := b2.Publish(ctx, Event{Topic: "reply", Audience: []string{Everyone}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"small", "large", "reply"} {
		if e := next(t, s1); e.Topic != want {
			t.Errorf("the publishing instance receives %q, want %q (its own events once)", e.Topic, want)
		}
	}
}

func TestAnotherSchemaOfTheDatabaseDoesNotHearTheEvents(t *testing.T) {
	d1 := dbtest.Postgres(t)
	other := dbtest.Postgres(t)
	b1, b3, b4 := newBus(t, d1), newBus(t, other), newBus(t, dbtest.SecondHandle(t, other))
	ctx := context.Background()
	s3 := b3.Subscribe(ctx, Filter{})
	<-b3.Listening()
	if err := b1.Publish(ctx, Event{Topic: "elsewhere", Audience: []string{Everyone}}); err != nil {
		t.Fatal(err)
	}
	if err := b4.Publish(ctx, Event{Topic: "here", Audience: []string{Everyone}}); err != nil {
		t.Fatal(err)
	}
	// Notifications arrive in commit order: "elsewhere" would come first.
	if e := next(t, s3); e.Topic != "here" {
		t.Errorf("an instance on another schema receives %q", e.Topic)
	}
}

func TestAnInstanceThatLostItsListeningConnectionTellsItsPagesToResync(t *testing.T) {
	d1 := dbtest.Postgres(t)
	d2 := dbtest.SecondHandle(t, d1)
	b1, b2 := newBus(t, d1), newBus(t, d2)
	ctx := context.Background()
	s2 := b2.Subscribe(ctx, Filter{})
	<-b2.Listening()
	var ended bool
	err := d1.QueryRow(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
		listenerName(b2.origin)).Scan(&ended)
	if err != nil || !ended {
		t.Fatalf("end the listening connection: %v %v", ended, err)
	}
	if e := next(t, s2); e.Topic != Resync {
		t.Fatalf("after its connection dropped the instance's subscriber receives %+v, not a resync", e)
	}
	if err := b1.Publish(ctx, Event{Topic: "after", Audience: []string{Everyone}}); err != nil {
		t.Fatal(err)
	}
	if e := next(t, s2); e.Topic != "after" {
		t.Errorf("once listening again the instance receives %+v", e)
	}
	if n := b2.Stats().Reconnects; n != 1 {
		t.Errorf("%d reconnections counted, want 1", n)
	}
}

func TestAListenerPingedThroughLongSilencesKeepsReceiving(t *testing.T) {
	d1 := dbtest.Postgres(t)
	b1, b2 := newBus(t, d1), newBus(t, dbtest.SecondHandle(t, d1))
	b2.ping = 10 * time.Millisecond // set before the listener starts
	ctx := context.Background()
	s2 := b2.Subscribe(ctx, Filter{})
	<-b2.Listening()
	for i := range 3 {
		time.Sleep(100 * time.Millisecond) // silences long enough for several pings
		if err := b1.Publish(ctx, Event{Topic: "after-silence", Audience: []string{Everyone}, Data: json.RawMessage(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
		if e := next(t, s2); e.Topic != "after-silence" || string(e.Data) != fmt.Sprint(i) {
			t.Fatalf("after a silence the instance receives %+v", e)
		}
	}
}
