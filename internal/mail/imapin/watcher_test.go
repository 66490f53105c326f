package imapin_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// watch runs a watcher of the desk mailbox on s until the test ends.
func watch(t *testing.T, s *devmail.Server, d *deskStore, w imapin.Watcher) {
	t.Helper()
	cfg := config(t, s.IMAPAddr())
	w.Config = func(context.Context) (imapin.Config, error) { return cfg, nil }
	w.Load, w.Commit = d.load, d.commit
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// await waits for the next committed message and checks its UID.
func await(t *testing.T, d *deskStore, uid uint32) {
	t.Helper()
	select {
	case m := <-d.got:
		if m.UID != uid {
			t.Fatalf("committed UID %d, want %d", m.UID, uid)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("message UID %d never committed", uid)
	}
}

func TestTheWatcherFetchesMailDeliveredWhileItIdles(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 1)
	d := newDesk()
	watch(t, s, d, imapin.Watcher{Poll: time.Hour}) // only IDLE can bring the second message in time
	await(t, d, 1)
	if err := s.Deliver(desk, message(1)); err != nil {
		t.Fatal(err)
	}
	await(t, d, 2)
}

func TestTheWatcherPollsWhenToldTo(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 1)
	d := newDesk()
	watch(t, s, d, imapin.Watcher{ForcePoll: true, Poll: 20 * time.Millisecond})
	await(t, d, 1)
	if err := s.Deliver(desk, message(1)); err != nil {
		t.Fatal(err)
	}
	await(t, d, 2)
}

func TestTheWatcherStartsFromTheStateAnotherInstanceCommitted(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 5)
	d := newDesk()
	d.failAt = 4 // the other instance stored 1 to 3
	if _, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), imapin.State{}, d.commit, imapin.AfterCommit{}); err == nil {
		t.Fatal("the other instance's sync did not stop")
	}
	for range 3 {
		<-d.got
	}
	d.mu.Lock()
	d.failAt = 0
	d.mu.Unlock()
	watch(t, s, d, imapin.Watcher{Poll: time.Hour})
	await(t, d, 4)
	await(t, d, 5)
}

func TestTheWatcherReconnectsAfterTheServerRestartsAndNeverLogsThePassword(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 1)
	d := newDesk()
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	watch(t, s, d, imapin.Watcher{Poll: time.Hour, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Logger: logger})
	await(t, d, 1)

	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	if err := s.Deliver(desk, message(1)); err != nil { // arrives while the server is down
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "mail intake failed"); { // it failed at least once
		if time.Now().After(deadline) {
			t.Fatalf("no failure logged while the server was down:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	await(t, d, 2)
	if err := s.Deliver(desk, message(2)); err != nil { // and it idles again
		t.Fatal(err)
	}
	await(t, d, 3)
	if strings.Contains(logs.String(), password) {
		t.Fatalf("the logs hold the password:\n%s", logs.String())
	}
}

func TestTheWatcherRetriesAfterACommitError(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 3)
	d := newDesk()
	d.failAt = 2
	watch(t, s, d, imapin.Watcher{Poll: time.Hour, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	await(t, d, 1)
	d.mu.Lock()
	d.failAt = 0 // the database is back
	d.mu.Unlock()
	await(t, d, 2)
	await(t, d, 3)
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestTheWatcherFetchesEverythingAgainWhenTheFolderIsRebuilt(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 2)
	d := newDesk()
	watch(t, s, d, imapin.Watcher{Poll: time.Hour, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	await(t, d, 1)
	await(t, d, 2)
	before, _ := d.snapshot()
	if err := s.ResetFolder(desk, "INBOX"); err != nil {
		t.Fatal(err)
	}
	await(t, d, 1) // under the new UIDVALIDITY: the desk dedupes
	await(t, d, 2)
	if after, _ := d.snapshot(); after.UIDValidity == before.UIDValidity {
		t.Fatalf("state %+v still under the old UIDVALIDITY", after)
	}
}
