package db_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestWritersOfLockedRowsTakeTurnsAndLoseNoUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE counters (id TEXT PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO counters (id, n) VALUES ('a', 0), ('b', 0)"); err != nil {
			t.Fatal(err)
		}
		const writers, increments = 6, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Half lock a then b, half b then a: the locks are taken in
				// key order, so they never deadlock.
				keys := []string{"a", "b", "a"}
				if w%2 == 1 {
					keys = []string{"b", "a"}
				}
				for range increments {
					err := d.WithTx(ctx, func(tx *db.Tx) error {
						if err := db.LockRows(ctx, tx, "counters", "id", keys); err != nil {
							return err
						}
						for _, id := range []string{"a", "b"} {
							var n int
							if err := tx.QueryRow(ctx, "SELECT n FROM counters WHERE id = ?", id).Scan(&n); err != nil {
								return err
							}
							if _, err := tx.Exec(ctx, "UPDATE counters SET n = ? WHERE id = ?", n+1, id); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for _, id := range []string{"a", "b"} {
			var n int
			if err := d.QueryRow(ctx, "SELECT n FROM counters WHERE id = ?", id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != writers*increments {
				t.Errorf("counter %s = %d after %d increments: updates were lost", id, n, writers*increments)
			}
		}
	})
}
