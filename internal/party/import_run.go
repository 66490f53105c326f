package party

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// importRun is what the party and contract imports share: the counts, the
// rejects file, and the batch of good rows waiting for their transaction,
// keyed by the number the import upserts on.
type importRun[T any] struct {
	res   ImportResult
	rej   *rejectWriter
	batch []T
	rows  []rowRef // the line and text of each item of the batch
	keys  map[string]bool
}

// rowRef says where an item of a batch came from, to reject it.
type rowRef struct {
	line int
	raw  string
}

// reject counts a refused row and writes it to the rejects file.
func (r *importRun[T]) reject(line int, why, raw string) {
	r.res.Rejected++
	r.rej.write(line, why, raw)
}

// each reads every row. accept understands one: its key and pending item,
// or an Invalid error that rejects the row (any other error stops the
// import). write stores the batch in one transaction; it is called when the
// batch is full, before a key seen twice (so the first row is written
// before the second updates it), and at the end. progress, when set, is
// told how many rows were read after each batch.
func (r *importRun[T]) each(ctx context.Context, rows rowReader, accept func(*sourceRow) (string, T, error),
	write func(context.Context) error, progress Progress) error {
	r.keys = map[string]bool{}
	flush := func() error {
		if len(r.batch) == 0 {
			return nil
		}
		if err := write(ctx); err != nil {
			if err := r.isolate(ctx, err, write); err != nil {
				return err
			}
		}
		r.batch, r.rows = r.batch[:0], r.rows[:0]
		clear(r.keys)
		progress.rows(r.res.Read)
		return nil
	}
	for {
		row, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		r.res.Read++
		key, item, err := accept(&row)
		if err != nil {
			if core.ErrorCode(err) != core.Invalid {
				return err
			}
			r.reject(row.line, core.Summary(err), row.raw)
			continue
		}
		if r.keys[key] {
			if err := flush(); err != nil {
				return err
			}
		}
		r.batch = append(r.batch, item)
		r.rows = append(r.rows, rowRef{row.line, row.raw})
		r.keys[key] = true
		if len(r.batch) >= importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// isolate handles a batch the database refused although every row was
// valid: its rows are written again one by one, so only the row at fault
// goes to the rejects file with the database's reason and the others go
// in. An outage (or a cancelled import) is not a row's fault: it stops the
// import.
func (r *importRun[T]) isolate(ctx context.Context, failed error, write func(context.Context) error) error {
	if db.IsUnavailable(failed) || ctx.Err() != nil {
		return failed
	}
	batch, rows := slices.Clone(r.batch), slices.Clone(r.rows)
	for i := range batch {
		r.batch, r.rows = batch[i:i+1], rows[i:i+1]
		if err := write(ctx); err != nil {
			if db.IsUnavailable(err) || ctx.Err() != nil {
				return err
			}
			r.reject(rows[i].line, "the database refused the row: "+err.Error(), rows[i].raw)
		}
	}
	return nil
}
