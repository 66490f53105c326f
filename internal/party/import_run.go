package party

import (
	"context"
	"errors"
	"io"

	"github.com/rapport-crm/rapport/internal/core"
)

// importRun is what the party and contract imports share: the counts, the
// rejects file, and the batch of good rows waiting for their transaction,
// keyed by the number the import upserts on.
type importRun[T any] struct {
	res   ImportResult
	rej   *rejectWriter
	batch []T
	keys  map[string]bool
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
	write func(context.Context) error, progress func(int)) error {
	r.keys = map[string]bool{}
	flush := func() error {
		if len(r.batch) == 0 {
			return nil
		}
		if err := write(ctx); err != nil {
			return err
		}
		r.batch = r.batch[:0]
		clear(r.keys)
		if progress != nil {
			progress(r.res.Read)
		}
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
		r.keys[key] = true
		if len(r.batch) >= importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
