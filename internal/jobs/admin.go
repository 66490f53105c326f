package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Filter selects jobs for the administration; an empty State lists the
// queued, running and failed ones (not the done ones).
type Filter struct {
	State  State
	Cursor string
	Limit  int
}

// Page is one page of jobs, newest first.
type Page struct {
	Items      []Job  `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

const jobColumns = `id, kind, args, unique_key, state, attempt, max_attempts, run_at, lease_until, holder,
	last_error, created_at, finished_at`

// List returns jobs newest first. It requires the admin permission.
func (r *Runner) List(ctx context.Context, actor *core.Actor, f Filter) (Page, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Page{}, err
	}
	limit := core.PageLimit(f.Limit, 50, 200)
	q := "SELECT " + jobColumns + " FROM jobs WHERE "
	var args []any
	switch f.State {
	case "":
		q += "state IN ('queued', 'running', 'failed')"
	case Queued, Running, Done, Failed:
		q += "state = ?"
		args = append(args, string(f.State))
	default:
		return Page{}, core.Fields{"state": core.OneOf(string(Queued), string(Running), string(Done), string(Failed))}.Err()
	}
	q, args, err := db.NewestFirst(q, args, "created_at", "id", f.Cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := r.db.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	var items []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return Page{}, fmt.Errorf("list jobs: %w", err)
		}
		items = append(items, j)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list jobs: %w", err)
	}
	p := Page{}
	p.Items, p.NextCursor = db.NewestPage(items, limit, func(j Job) (time.Time, string) { return j.CreatedAt, j.ID })
	if p.Items == nil {
		p.Items = []Job{}
	}
	return p, nil
}

// Get returns one job. It requires the admin permission.
func (r *Runner) Get(ctx context.Context, actor *core.Actor, id string) (Job, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Job{}, err
	}
	rows, err := r.db.Query(ctx, "SELECT "+jobColumns+" FROM jobs WHERE id = ?", id)
	if err != nil {
		return Job{}, fmt.Errorf("get job: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Job{}, fmt.Errorf("get job: %w", err)
		}
		return Job{}, core.Errorf(core.NotFound, "job %s not found", id)
	}
	return scanJob(rows)
}

// Retry queues a failed job again for now with its attempts reset; its
// last error is kept until the next failure. Audited; requires admin.
func (r *Runner) Retry(ctx context.Context, actor *core.Actor, id string) (Job, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Job{}, err
	}
	err := r.db.WithTx(ctx, func(tx *db.Tx) error {
		var kind, state string
		var lastErr sql.NullString
		err := tx.QueryRow(ctx, "SELECT kind, state, last_error FROM jobs WHERE id = ?", id).Scan(&kind, &state, &lastErr)
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(core.NotFound, "job %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("retry job: %w", err)
		}
		if State(state) != Failed {
			return core.Errorf(core.Conflict, "job %s is %s: only a failed job can be retried", id, state)
		}
		if _, err := tx.Exec(ctx, `UPDATE jobs SET state = 'queued', attempt = 0, run_at = ?, finished_at = NULL
			WHERE id = ? AND state = 'failed'`, core.Millis(r.clock.Now()), id); err != nil {
			return fmt.Errorf("retry job: %w", err)
		}
		tx.AfterCommit(r.Wake)
		return r.audit.Record(ctx, tx, actor, "job.retry", "job", id, "",
			map[string]string{"kind": kind, "last_error": lastErr.String})
	})
	if err != nil {
		return Job{}, err
	}
	return r.Get(ctx, actor, id)
}

// Count is the number of jobs of one kind in one state.
type Count struct {
	Kind  string
	State State
	N     int
}

// Counts returns how many jobs of each kind are queued, running and
// failed (an index-only count; done jobs are not counted), for /metrics.
func (r *Runner) Counts(ctx context.Context) ([]Count, error) {
	rows, err := r.db.Query(ctx, `SELECT kind, state, COUNT(*) FROM jobs
		WHERE state IN ('queued', 'running', 'failed') GROUP BY state, kind`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanJob(rows *sql.Rows) (Job, error) {
	var j Job
	var args, state string
	var unique, holder, lastErr sql.NullString
	var runAt, created int64
	var lease, finished sql.NullInt64
	if err := rows.Scan(&j.ID, &j.Kind, &args, &unique, &state, &j.Attempt, &j.MaxAttempts, &runAt, &lease,
		&holder, &lastErr, &created, &finished); err != nil {
		return j, err
	}
	j.Args, j.UniqueKey, j.State, j.Holder, j.LastError = []byte(args), unique.String, State(state), holder.String, lastErr.String
	j.RunAt, j.CreatedAt = core.FromMillis(runAt), core.FromMillis(created)
	if lease.Valid {
		t := core.FromMillis(lease.Int64)
		j.LeaseUntil = &t
	}
	if finished.Valid {
		t := core.FromMillis(finished.Int64)
		j.FinishedAt = &t
	}
	return j, nil
}
