package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestACopyIsDroppedOnceASaveCommitsAndNotForARolledBackOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var v Version
		if changed, err := v.Changed(ctx, d, "catalogue"); err != nil || !changed {
			t.Fatalf("a copy never checked must be (re)built: %v %v", changed, err)
		}
		rollback := errors.New("rolled back")
		if err := d.WithTx(ctx, func(tx *db.Tx) error {
			if err := Bump(ctx, tx, "catalogue"); err != nil {
				return err
			}
			return rollback
		}); !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return Bump(ctx, tx, "catalogue") }); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		changed := false
		for !changed && time.Now().Before(deadline) {
			var err error
			if changed, err = v.Changed(ctx, d, "catalogue"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !changed {
			t.Fatal("the saved cache's copy is never dropped")
		}
		var stored int64
		if err := d.QueryRow(ctx, "SELECT version FROM cache_versions WHERE name = 'catalogue'").Scan(&stored); err != nil || stored != 1 {
			t.Errorf("version %d (%v): the rolled-back save moved it", stored, err)
		}
		if changed, err := v.Changed(ctx, d, "catalogue"); err != nil || changed {
			t.Errorf("the copy is dropped again without a save: %v %v", changed, err)
		}
	})
}
