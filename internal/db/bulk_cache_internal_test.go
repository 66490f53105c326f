package db

import (
	"context"
	"path/filepath"
	"testing"
)

func TestBulkLoadsHoldTheWritersLargerCacheUntilTheLastEnds(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cache := func() int {
		t.Helper()
		kib, err := d.writerCache(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return kib
	}
	if got := cache(); got != writerCacheKiB {
		t.Fatalf("serving cache = %d KiB, want %d", got, writerCacheKiB)
	}
	endA := d.BulkLoad(ctx)
	endB := d.BulkLoad(ctx)
	if got := cache(); got != bulkCacheKiB {
		t.Fatalf("cache during two loads = %d KiB, want %d", got, bulkCacheKiB)
	}
	endA()
	endA() // a second call changes nothing
	if got := cache(); got != bulkCacheKiB {
		t.Fatalf("cache while a load still runs = %d KiB, want %d", got, bulkCacheKiB)
	}
	endB()
	if got := cache(); got != writerCacheKiB {
		t.Fatalf("cache after the loads = %d KiB, want %d", got, writerCacheKiB)
	}
}

// writerCache returns the page cache of SQLite's writer connection, in KiB.
func (d *DB) writerCache(ctx context.Context) (int, error) {
	var pages int
	if err := d.writer.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&pages); err != nil {
		return 0, err
	}
	if pages < 0 {
		return -pages, nil
	}
	var size int
	if err := d.writer.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return 0, err
	}
	return pages * size / 1024, nil
}
