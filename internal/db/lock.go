package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// LockRows takes, until the end of q's transaction, the write locks of the
// rows of table whose column holds one of keys, so that transactions about
// the same rows take turns: the second sees what the first committed. On
// PostgreSQL it is SELECT … FOR UPDATE, in key order so that two
// transactions never wait on each other in a circle; on SQLite nothing, as
// its one writer connection already runs write transactions one at a time.
// Keys without a row are ignored. table and column are identifiers written
// in the code, never input.
func LockRows(ctx context.Context, q Querier, table, column string, keys []string) error {
	if q.Dialect() != Postgres || len(keys) == 0 {
		return nil
	}
	sorted := slices.Compact(slices.Sorted(slices.Values(keys)))
	query := "SELECT " + column + " FROM " + table + " WHERE " + column + " IN (%s) ORDER BY " + column + " FOR UPDATE"
	if err := EachIn(ctx, q, query, nil, sorted, func(*sql.Rows) error { return nil }); err != nil {
		return fmt.Errorf("lock %s rows: %w", table, err)
	}
	return nil
}

// Analyze refreshes the planner statistics of tables after a bulk change,
// so the next queries do not run on plans made for the tables as they were
// (PostgreSQL's autovacuum would catch up only a minute or so later). On
// SQLite it does nothing: the queries are written for its planner without
// statistics.
func (d *DB) Analyze(ctx context.Context, tables ...string) error {
	if d.dialect != Postgres || len(tables) == 0 {
		return nil
	}
	if _, err := d.Exec(ctx, "ANALYZE "+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
