package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

const claimedColumns = "id, kind, args, unique_key, attempt, max_attempts, run_at, created_at"

// claim takes up to limit due jobs of the kinds this runner handles: queued
// ones whose run_at has come and running ones whose lease expired (their
// runner died). Each claim counts as an attempt. On PostgreSQL the rows are
// picked FOR UPDATE SKIP LOCKED, so runners never wait for nor take each
// other's; SQLite has one writer, so its UPDATE … RETURNING is atomic.
func (r *Runner) claim(ctx context.Context, limit int) ([]Job, error) {
	kinds := r.kinds()
	if len(kinds) == 0 || limit <= 0 {
		return nil, nil
	}
	now := core.Millis(r.clock.Now())
	// A read first: most polls find nothing due, and on SQLite a claim
	// takes the database's one write lock.
	due, err := r.anyDue(ctx, now)
	if err != nil || !due {
		return nil, err
	}
	set := []any{r.opts.Holder, now + r.opts.Lease.Milliseconds()}
	var where []any
	for _, k := range kinds {
		where = append(where, k)
	}
	where = append(where, now, now, limit)
	pick := `SELECT id FROM jobs WHERE kind IN (` + db.Placeholders(len(kinds)) + `)
		AND ((state = 'queued' AND run_at <= ?) OR (state = 'running' AND lease_until < ? AND attempt < max_attempts))
		ORDER BY run_at LIMIT ?`
	var q string
	var args []any
	if r.db.Dialect() == db.Postgres {
		q = `WITH picked AS (` + pick + ` FOR UPDATE SKIP LOCKED)
			UPDATE jobs SET state = 'running', attempt = attempt + 1, holder = ?, lease_until = ?
			FROM picked WHERE jobs.id = picked.id
			RETURNING jobs.id, jobs.kind, jobs.args, jobs.unique_key, jobs.attempt, jobs.max_attempts, jobs.run_at, jobs.created_at`
		args = append(where, set...)
	} else {
		q = `UPDATE jobs SET state = 'running', attempt = attempt + 1, holder = ?, lease_until = ?
			WHERE id IN (` + pick + `) RETURNING ` + claimedColumns
		args = append(set, where...)
	}
	// In a transaction, as the claim writes: SQLite's readers are read-only.
	var jobs []Job
	err = r.db.WithTx(ctx, func(tx *db.Tx) error {
		jobs = jobs[:0]
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanClaimed(rows)
			if err != nil {
				return err
			}
			j.Holder = r.opts.Holder
			jobs = append(jobs, j)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	return jobs, nil
}

// anyDue reports whether a job is due or a lease expired, each read on its
// partial index.
func (r *Runner) anyDue(ctx context.Context, now int64) (bool, error) {
	for _, q := range []string{"SELECT id FROM jobs WHERE state = 'queued' AND run_at <= ? LIMIT 1",
		"SELECT id FROM jobs WHERE state = 'running' AND lease_until < ? LIMIT 1"} {
		var id string
		err := r.db.QueryRow(ctx, q, now).Scan(&id)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("claim jobs: %w", err)
		}
	}
	return false, nil
}

func scanClaimed(rows *sql.Rows) (Job, error) {
	var j Job
	var args string
	var unique sql.NullString
	var runAt, created int64
	if err := rows.Scan(&j.ID, &j.Kind, &args, &unique, &j.Attempt, &j.MaxAttempts, &runAt, &created); err != nil {
		return j, err
	}
	j.Args, j.UniqueKey, j.State = []byte(args), unique.String, Running
	j.RunAt, j.CreatedAt = core.FromMillis(runAt), core.FromMillis(created)
	return j, nil
}

// finish records the outcome of an attempt: done, queued again after a
// backoff, or failed at the last attempt. It changes nothing when the
// runner no longer holds the job (its lease expired and another took it).
func (r *Runner) finish(ctx context.Context, j Job, runErr error) (final bool, err error) {
	now := r.clock.Now()
	if runErr == nil {
		_, err = r.db.Exec(ctx, `UPDATE jobs SET state = 'done', finished_at = ?, lease_until = NULL, holder = NULL
			WHERE id = ? AND holder = ? AND state = 'running'`, core.Millis(now), j.ID, r.opts.Holder)
		return false, err
	}
	msg := runErr.Error()
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	if j.LastAttempt() || IsPermanent(runErr) {
		_, err = r.db.Exec(ctx, `UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ?, lease_until = NULL, holder = NULL
			WHERE id = ? AND holder = ? AND state = 'running'`, core.Millis(now), msg, j.ID, r.opts.Holder)
		return true, err
	}
	next := now.Add(r.backoff(j.Attempt))
	_, err = r.db.Exec(ctx, `UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, lease_until = NULL, holder = NULL
		WHERE id = ? AND holder = ? AND state = 'running'`, core.Millis(next), msg, j.ID, r.opts.Holder)
	return false, err
}

// release gives back a job whose handler a stop interrupted: queued again
// at once, the interrupted attempt not counted.
func (r *Runner) release(ctx context.Context, ids ...string) error {
	now := core.Millis(r.clock.Now())
	for _, id := range ids {
		if _, err := r.db.Exec(ctx, `UPDATE jobs SET state = 'queued', attempt = attempt - 1, run_at = ?, lease_until = NULL, holder = NULL
			WHERE id = ? AND holder = ? AND state = 'running'`, now, id, r.opts.Holder); err != nil {
			return fmt.Errorf("release job %s: %w", id, err)
		}
	}
	return nil
}

// renew extends the lease of a job still running here.
func (r *Runner) renew(ctx context.Context, id string) error {
	_, err := r.db.Exec(ctx, `UPDATE jobs SET lease_until = ? WHERE id = ? AND holder = ? AND state = 'running'`,
		core.Millis(r.clock.Now().Add(r.opts.Lease)), id, r.opts.Holder)
	return err
}

// backoff is the delay after the given failed attempt: BackoffBase doubled
// per attempt up to BackoffMax, less up to a fifth at random so retries of
// many jobs spread out.
func (r *Runner) backoff(attempt int) time.Duration {
	d := r.opts.BackoffBase
	for i := 1; i < attempt && d < r.opts.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, r.opts.BackoffMax)
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// maintain fails the jobs whose runner died during their last attempt and
// deletes the finished jobs older than KeepDone.
func (r *Runner) maintain(ctx context.Context, cleanup bool) error {
	now := r.clock.Now()
	if _, err := r.db.Exec(ctx, `UPDATE jobs SET state = 'failed', finished_at = ?, lease_until = NULL, holder = NULL,
		last_error = 'the runner stopped during the last attempt (lease expired)'
		WHERE state = 'running' AND lease_until < ? AND attempt >= max_attempts`, core.Millis(now), core.Millis(now)); err != nil {
		return fmt.Errorf("fail expired jobs: %w", err)
	}
	if cleanup {
		if _, err := r.db.Exec(ctx, `DELETE FROM jobs WHERE state = 'done' AND finished_at < ?`,
			core.Millis(now.Add(-r.opts.KeepDone))); err != nil {
			return fmt.Errorf("delete finished jobs: %w", err)
		}
	}
	return nil
}
