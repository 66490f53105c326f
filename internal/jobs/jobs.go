// Package jobs runs durable background jobs on both engines: a job is a row
// of the jobs table, inserted (possibly inside the caller's transaction),
// claimed by one instance at a time under a lease, run by the handler of
// its kind, retried with exponential backoff and jitter until max_attempts,
// then kept as failed with its error until an administrator retries it.
// Delivery is at least once: a runner that dies mid-job leaves a lease that
// expires, and another runner runs the job again, so handlers are
// idempotent. Periodic jobs insert each period's run under a unique key, so
// a period runs once across instances.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// State is where a job is in its life.
type State string

// The states of a job.
const (
	Queued  State = "queued"  // waiting for its run_at
	Running State = "running" // claimed by a runner under a lease
	Done    State = "done"    // its handler succeeded
	Failed  State = "failed"  // every attempt failed; kept with its error
)

// Job is a stored job as its handler and the administration see it.
type Job struct {
	ID          string          `json:"id"`
	Kind        string          `json:"kind"`
	Args        json.RawMessage `json:"args"`
	UniqueKey   string          `json:"unique_key,omitempty"`
	State       State           `json:"state"`
	Attempt     int             `json:"attempt"` // attempts made, the current one included
	MaxAttempts int             `json:"max_attempts"`
	RunAt       time.Time       `json:"run_at"` // the next run for a queued job
	LeaseUntil  *time.Time      `json:"lease_until,omitempty"`
	Holder      string          `json:"holder,omitempty"`
	LastError   string          `json:"last_error,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	FinishedAt  *time.Time      `json:"finished_at,omitempty"`
}

// LastAttempt reports whether a failure of the running attempt makes the
// job failed rather than retried.
func (j Job) LastAttempt() bool { return j.Attempt >= j.MaxAttempts }

// Handler runs one job. It must be idempotent: a job may run again after a
// crash. A returned error retries the job later (or fails it at its last
// attempt).
type Handler func(ctx context.Context, j Job) error

// NewJob describes a job to insert.
type NewJob struct {
	Kind string
	Args any // marshalled to JSON; nil: {}
	// UniqueKey, when set, makes the insert idempotent: a second job with
	// the same key is not inserted (whatever the first one's state).
	UniqueKey   string
	RunAt       time.Time // zero: now
	MaxAttempts int       // zero: DefaultMaxAttempts
}

// DefaultMaxAttempts is a job's attempts when NewJob does not say.
const DefaultMaxAttempts = 5

// Options tune a Runner; zero values take the defaults.
type Options struct {
	Workers      int           // jobs run at once by this runner (4)
	PollInterval time.Duration // how often the table is polled (1s)
	Lease        time.Duration // how long a claim holds without renewal (5m)
	StopTimeout  time.Duration // how long a stop waits for running handlers (30s)
	BackoffBase  time.Duration // the delay before the second attempt (10s), doubling after
	BackoffMax   time.Duration // the longest delay between attempts (1h)
	KeepDone     time.Duration // how long finished jobs are kept (7 days)
	Holder       string        // names this runner in leases; default a new ID
}

// Runner inserts, claims and runs jobs.
type Runner struct {
	db     *db.DB
	clock  core.Clock
	audit  *audit.Log
	logger *slog.Logger
	opts   Options

	mu       sync.Mutex
	handlers map[string]Handler
	periodic []*Periodic
	wake     chan struct{}

	onFailure core.Subscribers[func(kind string, final bool)]
}

// New returns a runner on d; it runs nothing until Run.
func New(d *db.DB, clock core.Clock, log *audit.Log, logger *slog.Logger, opts Options) *Runner {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	def(&opts.PollInterval, time.Second)
	def(&opts.Lease, 5*time.Minute)
	def(&opts.StopTimeout, 30*time.Second)
	def(&opts.BackoffBase, 10*time.Second)
	def(&opts.BackoffMax, time.Hour)
	def(&opts.KeepDone, 7*24*time.Hour)
	if opts.Holder == "" {
		opts.Holder = core.NewID()
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{db: d, clock: clock, audit: log, logger: logger, opts: opts,
		handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// Handle registers the handler of kind; a job of a kind without handler
// stays queued until a runner that has one claims it.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// OnFailure subscribes fn to every failed attempt: final is true when the
// job is failed for good.
func (r *Runner) OnFailure(fn func(kind string, final bool)) { r.onFailure.Subscribe(fn) }

// Insert stores a job through q, normally the caller's transaction, so the
// job exists only if that transaction commits. It returns the job's ID, or
// "" when a job with the same unique key already exists.
func (r *Runner) Insert(ctx context.Context, q db.Querier, j NewJob) (string, error) {
	args := []byte("{}")
	if j.Args != nil {
		var err error
		if args, err = json.Marshal(j.Args); err != nil {
			return "", fmt.Errorf("job %s args: %w", j.Kind, err)
		}
	}
	now := r.clock.Now()
	runAt := j.RunAt
	if runAt.IsZero() {
		runAt = now
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	var unique any
	if j.UniqueKey != "" {
		unique = j.UniqueKey
	}
	id := core.NewID()
	res, err := q.Exec(ctx, `INSERT INTO jobs (id, kind, args, unique_key, state, attempt, max_attempts, run_at, created_at)
		VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?) ON CONFLICT (unique_key) DO NOTHING`,
		id, j.Kind, string(args), unique, j.MaxAttempts, core.Millis(runAt), core.Millis(now))
	if err != nil {
		return "", fmt.Errorf("insert job %s: %w", j.Kind, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", nil
	}
	if tx, ok := q.(*db.Tx); ok {
		tx.AfterCommit(r.Wake)
	} else {
		r.Wake()
	}
	return id, nil
}

// Wake makes the runner poll now rather than at its next interval.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runner) handler(kind string) Handler {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handlers[kind]
}

// Kinds returns the kinds this runner has handlers for.
func (r *Runner) Kinds() []string { return r.kinds() }

func (r *Runner) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	return kinds
}
