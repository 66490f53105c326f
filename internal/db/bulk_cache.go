package db

import (
	"context"
	"fmt"
	"sync"
)

// SQLite writer's page cache, in KiB: what serving needs (ingestion
// batches, edits, traces), and what a bulk load gets while it runs, its
// random index pages otherwise read again and again (see "Memory" in
// docs/performance.md).
const (
	writerCacheKiB = 8 << 10
	bulkCacheKiB   = 64 << 10
)

// bulkLoads counts the bulk loads running, which hold the writer's cache large.
type bulkLoads struct {
	mu sync.Mutex
	n  int
}

// BulkLoad gives SQLite's writer the page cache of a bulk load until the
// returned function is called; loads may overlap, and the cache shrinks
// back when the last one ends. Nothing changes on PostgreSQL. A failure
// only leaves the cache as it was.
func (d *DB) BulkLoad(ctx context.Context) (end func()) {
	if d.dialect != SQLite {
		return func() {}
	}
	d.bulk.mu.Lock()
	defer d.bulk.mu.Unlock()
	if d.bulk.n == 0 {
		_ = d.setWriterCache(ctx, bulkCacheKiB)
	}
	d.bulk.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			d.bulk.mu.Lock()
			defer d.bulk.mu.Unlock()
			if d.bulk.n--; d.bulk.n == 0 {
				_ = d.setWriterCache(context.WithoutCancel(ctx), writerCacheKiB)
			}
		})
	}
}

// setWriterCache sets the page cache of SQLite's one writer connection.
func (d *DB) setWriterCache(ctx context.Context, kib int) error {
	if _, err := d.writer.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", kib)); err != nil {
		return fmt.Errorf("set the writer's cache: %w", err)
	}
	return nil
}
