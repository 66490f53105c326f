package cache

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestKeyedValuesLastUntilTheVersionMovesOrAClear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		k := NewKeyed[string, int]("access")
		if _, ok, err := k.Get(ctx, d, "marie"); ok || err != nil {
			t.Fatalf("empty cache: ok %v, err %v", ok, err)
		}
		k.Put("marie", 1)
		k.Update("marie", func(v int) int { return v + 1 })
		k.Update("paul", func(v int) int { return 99 }) // not kept: nothing to update
		if v, ok, _ := k.Get(ctx, d, "marie"); !ok || v != 2 {
			t.Fatalf("marie = %d %v, want 2 kept", v, ok)
		}
		if _, ok, _ := k.Get(ctx, d, "paul"); ok {
			t.Fatal("Update kept a value that was not there")
		}
		k.Clear()
		if _, ok, _ := k.Get(ctx, d, "marie"); ok {
			t.Fatal("kept after Clear")
		}

		k.Put("marie", 3)
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return Bump(ctx, tx, "access") }); err != nil {
			t.Fatal(err)
		}
		dbtest.Eventually(t, "dropped once another instance moved the version", func() bool {
			_, ok, err := k.Get(ctx, d, "marie")
			if err != nil {
				t.Fatal(err)
			}
			return !ok
		})
	})
}
