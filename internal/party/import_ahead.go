package party

import (
	"context"
	"errors"
	"io"
	"sync"
)

// understood is a row read and understood ahead of the writer.
type understood[T any] struct {
	row  sourceRow
	key  string
	item T
	err  error // what accept said of the row
	read error // the file could not be read further (not io.EOF)
}

// readAhead reads and understands the rows (accept) on a goroutine of its
// own while the caller writes the batches before them, so an import keeps
// two cores busy: parsing and checking a row (a phone number's checks
// alone cost more than a bare insert) beside the database's writes. It
// returns the rows in order with what accept said of each, and stop, which
// the caller runs before returning: it waits for the goroutine, so accept
// never runs after the import is over. accept must not touch what the
// writer uses.
func readAhead[T any](ctx context.Context, rows rowReader, accept func(*sourceRow) (string, T, error)) (rowReader, func(*sourceRow) (string, T, error), func()) {
	ch := make(chan understood[T], 2*importBatch)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ch)
		for {
			row, err := rows.next()
			if errors.Is(err, io.EOF) {
				return
			}
			u := understood[T]{row: row, read: err}
			if err == nil {
				u.key, u.item, u.err = accept(&u.row)
			}
			select {
			case ch <- u:
			case <-done:
				return
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	ahead := &aheadRows[T]{ch: ch, ctx: ctx}
	stop := func() {
		close(done)
		wg.Wait()
	}
	return ahead, ahead.accept, stop
}

// aheadRows yields the rows readAhead understood, in order.
type aheadRows[T any] struct {
	ch   chan understood[T]
	ctx  context.Context
	last understood[T]
}

func (a *aheadRows[T]) next() (sourceRow, error) {
	u, ok := <-a.ch
	if !ok {
		if err := a.ctx.Err(); err != nil {
			return sourceRow{}, err
		}
		return sourceRow{}, io.EOF
	}
	if u.read != nil {
		return sourceRow{}, u.read
	}
	a.last = u
	return u.row, nil
}

// accept returns what was said of the row next returned last.
func (a *aheadRows[T]) accept(*sourceRow) (string, T, error) {
	return a.last.key, a.last.item, a.last.err
}
