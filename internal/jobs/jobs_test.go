package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestFailingJobIsRetriedWithBackoffThenFailedWithItsErrorAndAnAdminRetryRunsItAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := core.NewFixedClock(start)
		r := newRunner(d, clock, Options{})
		healthy := false
		runs := 0
		r.Handle("mail.send", func(ctx context.Context, j Job) error {
			runs++
			if !healthy {
				return errors.New("smtp server refused the connection")
			}
			return nil
		})
		id, err := r.Insert(ctx, d, NewJob{Kind: "mail.send", Args: map[string]string{"to": "zoe@example.fr"}, MaxAttempts: 3})
		if err != nil {
			t.Fatal(err)
		}
		var delays []time.Duration
		for attempt := 1; attempt <= 3; attempt++ {
			if n, err := r.RunDue(ctx); err != nil || n != 1 {
				t.Fatalf("attempt %d: ran %d (%v), want 1", attempt, n, err)
			}
			j := jobState(t, d, id)
			if j.Attempt != attempt || j.LastError != "smtp server refused the connection" {
				t.Fatalf("after attempt %d: %+v", attempt, j)
			}
			if attempt < 3 {
				if j.State != Queued || !j.RunAt.After(clock.Now()) {
					t.Fatalf("after attempt %d the job should wait: %+v", attempt, j)
				}
				if n, _ := r.RunDue(ctx); n != 0 {
					t.Fatalf("a job waiting for its backoff ran again at once")
				}
				delays = append(delays, j.RunAt.Sub(clock.Now()))
				clock.Advance(j.RunAt.Sub(clock.Now()))
			} else if j.State != Failed || j.FinishedAt == nil {
				t.Fatalf("after the last attempt the job should be failed: %+v", j)
			}
		}
		if delays[1] <= delays[0] {
			t.Errorf("backoff should grow: %v", delays)
		}
		clock.Advance(24 * time.Hour)
		if n, _ := r.RunDue(ctx); n != 0 || runs != 3 {
			t.Fatalf("a failed job ran again by itself (%d runs)", runs)
		}

		// An adviser cannot retry; the admin can, and it is audited.
		adviser := &core.Actor{Login: "adv1", Permissions: []core.Permission{core.PermPartyRead}}
		if _, err := r.Retry(ctx, adviser, id); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("retry by an adviser: %v", err)
		}
		j, err := r.Retry(ctx, core.System(), id)
		if err != nil || j.State != Queued || j.Attempt != 0 {
			t.Fatalf("retry: %+v %v", j, err)
		}
		if _, err := r.Retry(ctx, core.System(), id); core.ErrorCode(err) != core.Conflict {
			t.Fatalf("retrying a queued job: %v", err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND object_id = ?", id); n != 1 {
			t.Fatalf("audit entries for the retry: %d", n)
		}
		healthy = true
		if n, _ := r.RunDue(ctx); n != 1 {
			t.Fatalf("the retried job did not run")
		}
		if j := jobState(t, d, id); j.State != Done {
			t.Fatalf("after the retry: %+v", j)
		}
	})
}

func TestJobWhoseRunnerDiedIsRunAgainByAnotherOnceItsLeaseExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := core.NewFixedClock(start)
		dead := newRunner(d, clock, Options{Lease: 5 * time.Minute})
		alive := newRunner(d, clock, Options{Lease: 5 * time.Minute})
		ran := 0
		for _, r := range []*Runner{dead, alive} {
			r.Handle("lead.alert", func(ctx context.Context, j Job) error { ran++; return nil })
		}
		id, err := dead.Insert(ctx, d, NewJob{Kind: "lead.alert"})
		if err != nil {
			t.Fatal(err)
		}
		// The first runner claims the job and dies before running it.
		if claimed, err := dead.claim(ctx, 10); err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		if n, _ := alive.RunDue(ctx); n != 0 {
			t.Fatal("a job under a live lease was taken by another runner")
		}
		clock.Advance(5*time.Minute + time.Second)
		if n, _ := alive.RunDue(ctx); n != 1 || ran != 1 {
			t.Fatalf("the job of the dead runner was not run again: %d", n)
		}
		j := jobState(t, d, id)
		if j.State != Done || j.Attempt != 2 {
			t.Fatalf("job: %+v", j)
		}
		// The dead runner's late outcome changes nothing.
		if _, err := dead.finish(ctx, Job{ID: id, Attempt: 1, MaxAttempts: 5}, errors.New("late")); err != nil {
			t.Fatal(err)
		}
		if j := jobState(t, d, id); j.State != Done || j.LastError != "" {
			t.Fatalf("a runner that lost its lease changed the job: %+v", j)
		}
	})
}

func TestJobInsertedInARolledBackTransactionNeverRuns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRunner(d, core.NewFixedClock(start), Options{})
		ran := 0
		r.Handle("case.notify", func(ctx context.Context, j Job) error { ran++; return nil })
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := r.Insert(ctx, tx, NewJob{Kind: "case.notify"}); err != nil {
				return err
			}
			return errors.New("the change failed")
		})
		if err == nil {
			t.Fatal("the transaction should have failed")
		}
		if n, _ := r.RunDue(ctx); n != 0 || ran != 0 {
			t.Fatalf("a job of a rolled-back transaction ran")
		}
		if n := count(t, d, "SELECT COUNT(*) FROM jobs"); n != 0 {
			t.Fatalf("%d jobs stored", n)
		}
		// Committed, it runs.
		if err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := r.Insert(ctx, tx, NewJob{Kind: "case.notify"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, _ := r.RunDue(ctx); n != 1 || ran != 1 {
			t.Fatalf("the committed job ran %d times", ran)
		}
	})
}

func TestJobWithAUniqueKeyIsInsertedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRunner(d, core.NewFixedClock(start), Options{})
		first, err := r.Insert(ctx, d, NewJob{Kind: "sla.check", UniqueKey: "sla.check:case-1"})
		if err != nil || first == "" {
			t.Fatalf("first insert: %q %v", first, err)
		}
		second, err := r.Insert(ctx, d, NewJob{Kind: "sla.check", UniqueKey: "sla.check:case-1"})
		if err != nil || second != "" {
			t.Fatalf("second insert: %q %v", second, err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM jobs"); n != 1 {
			t.Fatalf("%d jobs stored", n)
		}
	})
}

func TestCleanStopWaitsForTheRunningHandler(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRunner(d, core.SystemClock{}, Options{PollInterval: 20 * time.Millisecond})
		started, release := make(chan struct{}), make(chan struct{})
		finished := false
		r.Handle("report.export", func(ctx context.Context, j Job) error {
			close(started)
			<-release
			finished = true
			return nil
		})
		id, err := r.Insert(context.Background(), d, NewJob{Kind: "report.export"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { r.Run(ctx); close(stopped) }()
		<-started
		cancel()
		go func() { time.Sleep(50 * time.Millisecond); close(release) }()
		<-stopped
		if !finished {
			t.Fatal("Run returned before its running handler finished")
		}
		if j := jobState(t, d, id); j.State != Done {
			t.Fatalf("job after a clean stop: %+v", j)
		}
	})
}

func TestStopPastItsTimeoutGivesTheJobBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRunner(d, core.SystemClock{}, Options{PollInterval: 20 * time.Millisecond, StopTimeout: 10 * time.Millisecond})
		started := make(chan struct{})
		var once sync.Once
		r.Handle("import.run", func(ctx context.Context, j Job) error {
			once.Do(func() { close(started) })
			<-ctx.Done() // a long job that honours its context
			return ctx.Err()
		})
		id, err := r.Insert(context.Background(), d, NewJob{Kind: "import.run", MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { r.Run(ctx); close(stopped) }()
		<-started
		cancel()
		<-stopped
		j := jobState(t, d, id)
		if j.State != Queued || j.Attempt != 0 || j.Holder != "" || j.LastError != "" {
			t.Fatalf("an interrupted job should be queued again, its attempt not counted: %+v", j)
		}
	})
}
