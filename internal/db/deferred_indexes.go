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
// one transaction. PostgreSQL gets more memory to sort them; SQLite sorts
// them in temporary files rather than in memory (temp_store), as the keys of
// ten million rows would otherwise sit in the process. It does nothing when
// none is waiting.
func (d *DB) RestoreIndexes(ctx context.Context) error {
	var waiting int
	if err := d.writer.QueryRowContext(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&waiting); err != nil {
		return fmt.Errorf("list deferred indexes: %w", err)
	}
	if waiting == 0 {
		return nil
	}
	var setting []string
	if d.dialect == SQLite {
		setting = []string{"PRAGMA temp_store = FILE", "PRAGMA temp_store = MEMORY"}
	}
	return d.withBulkTx(ctx, setting, func(tx *Tx) error {
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
