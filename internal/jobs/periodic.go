package jobs

import (
	"context"
	"time"
)

// Periodic is a job run once per period across every instance: each
// period's run is inserted with the unique key kind@period-start, so the
// instances that insert it after the first change nothing. Every must be
// shorter than Options.KeepDone, which keeps the keys of finished periods.
type Periodic struct {
	Kind        string
	Every       time.Duration // the period, from the Unix epoch in UTC (an hour: on the hour)
	Args        any
	MaxAttempts int
	last        time.Time // the last period this runner inserted
}

// Schedule registers a periodic job; its handler is registered with Handle.
// Call it before Run.
func (r *Runner) Schedule(p Periodic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.periodic = append(r.periodic, &p)
}

// schedule inserts the current period's run of every periodic job this
// runner has not inserted yet.
func (r *Runner) schedule(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	for _, p := range r.periodic {
		start := now.Truncate(p.Every)
		if start.Equal(p.last) {
			continue
		}
		if _, err := r.Insert(ctx, r.db, NewJob{Kind: p.Kind, Args: p.Args, MaxAttempts: p.MaxAttempts,
			UniqueKey: p.Kind + "@" + start.UTC().Format(time.RFC3339), RunAt: start}); err != nil {
			return err
		}
		p.last = start
	}
	return nil
}
