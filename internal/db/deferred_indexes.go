package db

import (
	"context"
	"fmt"
)

// DeferIndexes drops those of the named indexes that exist, recording each
// one's definition in deferred_indexes in the same transaction, so a bulk
// load does not maintain them row by row; RestoreIndexes builds them again
// in one pass each. names are constants of the caller, never user input.
func (d *DB) DeferIndexes(ctx context.Context, names ...string) error {
	q := "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL"
	if d.dialect == Postgres {
		q = `SELECT pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind = 'i' AND c.relname = ? AND n.nspname = current_schema()`
	}
	return d.WithTx(ctx, func(tx *Tx) error {
		for _, name := range names {
			var def string
			if err := tx.QueryRow(ctx, q, name).Scan(&def); err != nil {
				continue // not there (dropped already, or another schema version)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO deferred_indexes (name, definition) VALUES (?, ?)", name, def); err != nil {
				return fmt.Errorf("record index %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, "DROP INDEX "+name); err != nil {
				return fmt.Errorf("drop index %s: %w", name, err)
			}
		}
		return nil
	})
}

// RestoreIndexes builds every index DeferIndexes dropped and forgets it, in
// one transaction (WithSortTx, PostgreSQL's index builds getting more
// memory too). It does nothing when none is waiting.
func (d *DB) RestoreIndexes(ctx context.Context) error {
	var waiting int
	if err := d.writer.QueryRowContext(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&waiting); err != nil {
		return fmt.Errorf("list deferred indexes: %w", err)
	}
	if waiting == 0 {
		return nil
	}
	defer d.BulkLoad(ctx)()
	return d.WithSortTx(ctx, CheckForeignKeys, func(tx *Tx) error {
		if d.dialect == Postgres {
			if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, "SELECT name, definition FROM deferred_indexes ORDER BY name")
		if err != nil {
			return fmt.Errorf("list deferred indexes: %w", err)
		}
		var defs [][2]string
		for rows.Next() {
			var nd [2]string
			if err := rows.Scan(&nd[0], &nd[1]); err != nil {
				rows.Close()
				return err
			}
			defs = append(defs, nd)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, nd := range defs {
			if _, err := tx.Exec(ctx, nd[1]); err != nil {
				return fmt.Errorf("build index %s: %w", nd[0], err)
			}
		}
		_, err = tx.Exec(ctx, "DELETE FROM deferred_indexes")
		return err
	})
}

// ForeignKeys says whether a sort transaction (WithSortTx) has SQLite
// check its foreign keys.
type ForeignKeys bool

const (
	// CheckForeignKeys keeps the checks.
	CheckForeignKeys ForeignKeys = true
	// SkipForeignKeys turns them off on SQLite, for copies whose statements
	// check their references themselves (a join with the parent table, in
	// the order the rows are read): SQLite checks each row as it is
	// written, a lookup of its parent in the order of the sort, that is at
	// random. PostgreSQL always checks them.
	SkipForeignKeys ForeignKeys = false
)

// WithSortTx is WithBulkTx for statements that sort millions of rows (an
// index build, an INSERT … SELECT … ORDER BY of a whole table). SQLite
// sorts them in temporary files rather than in memory (temp_store), as
// the keys of ten million rows would otherwise sit in the process;
// PostgreSQL gets more memory to sort (work_mem) and reads one snapshot
// for the whole transaction (repeatable read), so that rows fn deletes
// after copying them are the rows it copied, not ones another
// transaction committed in between.
func (d *DB) WithSortTx(ctx context.Context, fk ForeignKeys, fn func(tx *Tx) error) error {
	var settings []connSetting
	if d.dialect == SQLite {
		settings = append(settings, connSetting{"PRAGMA temp_store = FILE", "PRAGMA temp_store = MEMORY"})
		if fk == SkipForeignKeys {
			settings = append(settings, connSetting{"PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"})
		}
	}
	return d.withBulkTx(ctx, settings, func(tx *Tx) error {
		if d.dialect == Postgres {
			for _, q := range []string{"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "SET LOCAL work_mem = '256MB'"} {
				if _, err := tx.Exec(ctx, q); err != nil {
					return err
				}
			}
		}
		return fn(tx)
	})
}
