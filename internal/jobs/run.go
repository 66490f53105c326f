package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// maintainEvery is how often Run fails the jobs whose runner died during
// their last attempt (and, hourly, deletes old finished jobs).
const maintainEvery = 30 * time.Second

// Run claims and runs jobs until ctx ends, polling every PollInterval and
// at once when a job is inserted through this runner. Then it stops
// cleanly: it claims nothing more, waits up to StopTimeout for the running
// handlers, cancels the context of those still running and gives their
// jobs back (queued, the attempt not counted) so another runner takes them.
func (r *Runner) Run(ctx context.Context) {
	handlerCtx, cancelHandlers := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHandlers()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		running = map[string]bool{}
		freed   = make(chan struct{}, r.opts.Workers)
	)
	ticker := time.NewTicker(r.opts.PollInterval)
	defer ticker.Stop()
	var lastMaintain, lastCleanup time.Time
	for ctx.Err() == nil {
		if err := r.schedule(ctx); err != nil && ctx.Err() == nil {
			r.logger.Error("jobs: schedule periodic jobs", "err", err)
		}
		if time.Since(lastMaintain) > maintainEvery {
			cleanup := time.Since(lastCleanup) > time.Hour
			if err := r.maintain(ctx, cleanup); err != nil && ctx.Err() == nil {
				r.logger.Error("jobs: maintenance", "err", err)
			} else if cleanup {
				lastCleanup = time.Now()
			}
			lastMaintain = time.Now()
		}
		mu.Lock()
		free := r.opts.Workers - len(running)
		mu.Unlock()
		claimed, err := r.claim(ctx, free)
		if err != nil && ctx.Err() == nil {
			r.logger.Error("jobs: claim", "err", err)
		}
		for _, j := range claimed {
			mu.Lock()
			running[j.ID] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.runOne(handlerCtx, j)
				mu.Lock()
				delete(running, j.ID)
				mu.Unlock()
				select {
				case freed <- struct{}{}:
				default: // the loop is already told a worker is free
				}
			}()
		}
		if len(claimed) == free && free > 0 {
			continue // there may be more due: claim again at once
		}
		select {
		case <-ctx.Done():
		case <-ticker.C:
		case <-r.wake:
		case <-freed:
		}
	}
	r.stop(&wg, cancelHandlers, func() []string {
		mu.Lock()
		defer mu.Unlock()
		ids := make([]string, 0, len(running))
		for id := range running {
			ids = append(ids, id)
		}
		return ids
	})
}

// stop waits for the running handlers, then cancels those still running
// and releases their jobs.
func (r *Runner) stop(wg *sync.WaitGroup, cancel context.CancelFunc, running func() []string) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timer := time.NewTimer(r.opts.StopTimeout)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	cancel()
	// A handler that honours its context returns now and releases its own
	// job; one that does not is given back here and its late outcome ignored.
	select {
	case <-done:
		return
	case <-time.After(time.Second):
	}
	ctx, cancelRelease := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelRelease()
	ids := running()
	if err := r.release(ctx, ids...); err != nil {
		r.logger.Error("jobs: release on stop", "err", err)
	}
	r.logger.Warn("jobs: stopped with handlers still running; their jobs were given back", "jobs", len(ids))
}

// RunDue runs every job due now, one after the other, and returns how many
// attempts it made: for tests and for command-line tools that drain the
// queue once.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	if err := r.schedule(ctx); err != nil {
		return 0, err
	}
	if err := r.maintain(ctx, false); err != nil {
		return 0, err
	}
	n := 0
	for {
		claimed, err := r.claim(ctx, 1)
		if err != nil || len(claimed) == 0 {
			return n, err
		}
		r.runOne(ctx, claimed[0])
		n++
	}
}

// runOne runs a claimed job's handler, renewing its lease meanwhile, and
// records the outcome.
func (r *Runner) runOne(ctx context.Context, j Job) {
	h := r.handler(j.Kind)
	renewCtx, stopRenew := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		t := time.NewTicker(r.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-t.C:
				if err := r.renew(renewCtx, j.ID); err != nil && renewCtx.Err() == nil {
					r.logger.Warn("jobs: renew lease", "job", j.ID, "kind", j.Kind, "err", err)
				}
			}
		}
	}()
	err := r.call(ctx, h, j)
	stopRenew()
	store, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err != nil && ctx.Err() != nil {
		// Interrupted by a stop: not the job's fault.
		if rerr := r.release(store, j.ID); rerr != nil {
			r.logger.Error("jobs: release", "job", j.ID, "err", rerr)
		}
		return
	}
	final, ferr := r.finish(store, j, err)
	if ferr != nil {
		r.logger.Error("jobs: record outcome", "job", j.ID, "kind", j.Kind, "err", ferr)
		return
	}
	if err != nil {
		r.logger.Warn("jobs: attempt failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempt,
			"max_attempts", j.MaxAttempts, "final", final, "err", err)
		for _, fn := range r.onFailure.List() {
			fn(j.Kind, final)
		}
	}
}

// call runs h, turning a panic into the attempt's error.
func (r *Runner) call(ctx context.Context, h Handler, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	if h == nil {
		return fmt.Errorf("no handler for job kind %q", j.Kind)
	}
	return h(ctx, j)
}
