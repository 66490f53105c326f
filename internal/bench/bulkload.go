package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rapport-crm/rapport/internal/db"
)

// bulkLoader writes the generated history chunk by chunk, each in one
// transaction, on one connection of the writing pool: COPY on PostgreSQL,
// multi-row INSERTs on SQLite.
type bulkLoader struct {
	dialect db.Dialect
	conn    *sql.Conn
}

// newBulkLoader takes a writing connection. On SQLite it stops enforcing
// foreign keys on it until close: SQLite keeps a statement journal (a copy
// of every page a statement touches) for any multi-row INSERT that checks
// them, even deferred, which doubles the load's time. The rows reference
// the parties and agents just read and the interactions of their own
// transaction. PostgreSQL checks them during COPY, as turning them off there
// needs a superuser.
func newBulkLoader(ctx context.Context, d *db.DB) (*bulkLoader, error) {
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return nil, err
	}
	if d.Dialect() == db.SQLite {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return &bulkLoader{dialect: d.Dialect(), conn: conn}, nil
}

// close enforces foreign keys again and gives the connection back.
func (l *bulkLoader) close() error {
	if l.conn == nil {
		return nil // closed already: a deferred close after the explicit one
	}
	var err error
	if l.dialect == db.SQLite {
		_, err = l.conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	err = errors.Join(err, l.conn.Close())
	l.conn = nil
	return err
}

// write writes one chunk in one transaction.
func (l *bulkLoader) write(ctx context.Context, c historyRows) error {
	if l.dialect == db.SQLite {
		tx, err := l.conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := insertPrepared(ctx, tx, "interactions", interactionColumns, c.interactions); err != nil {
			return err
		}
		if err := insertPrepared(ctx, tx, "interaction_parties", linkColumns, c.links); err != nil {
			return err
		}
		return tx.Commit()
	}
	return l.conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"interactions"}, interactionColumns, pgx.CopyFromRows(c.interactions)); err != nil {
			return fmt.Errorf("copy interactions: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"interaction_parties"}, linkColumns, pgx.CopyFromRows(c.links)); err != nil {
			return fmt.Errorf("copy interaction_parties: %w", err)
		}
		return tx.Commit(ctx)
	})
}

// insertPrepared writes rows into table with multi-row INSERTs of as many
// rows as db.MaxParams allows, the statement prepared once (SQLite parses a
// statement of thirty thousand placeholders in milliseconds). A row that
// breaks a constraint rolls the whole transaction back (OR ROLLBACK), which
// also spares SQLite the statement journal.
func insertPrepared(ctx context.Context, tx *sql.Tx, table string, columns []string, rows [][]any) error {
	per := db.MaxParams / len(columns)
	statement := func(n int) string {
		tuple := "(" + db.Placeholders(len(columns)) + ")"
		return "INSERT OR ROLLBACK INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
			strings.Repeat(tuple+", ", n-1) + tuple
	}
	var full *sql.Stmt
	args := make([]any, 0, per*len(columns))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		var err error
		if end-start < per {
			_, err = tx.ExecContext(ctx, statement(end-start), args...)
		} else {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, statement(per)); err != nil {
					return fmt.Errorf("insert into %s: %w", table, err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// insertHistoryRows writes interactions and their timeline rows in one
// transaction with plain multi-row INSERTs (db.InsertMany).
func insertHistoryRows(ctx context.Context, d *db.DB, c historyRows) error {
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		if err := db.InsertMany(ctx, tx, "INSERT INTO interactions ("+strings.Join(interactionColumns, ", ")+") VALUES ",
			"("+db.Placeholders(len(interactionColumns))+")", c.interactions); err != nil {
			return fmt.Errorf("insert interactions: %w", err)
		}
		if err := db.InsertMany(ctx, tx, "INSERT INTO interaction_parties ("+strings.Join(linkColumns, ", ")+") VALUES ",
			"("+db.Placeholders(len(linkColumns))+")", c.links); err != nil {
			return fmt.Errorf("insert interaction_parties: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bare insert of the history: %w", err)
	}
	return nil
}

// index is a secondary index and the statement that creates it.
type index struct{ name, create string }

// dropSecondaryIndexes drops the indexes of interactions and
// interaction_parties that no constraint needs (primary keys and unique
// constraints stay) and returns them, to be rebuilt after the load.
func dropSecondaryIndexes(ctx context.Context, d *db.DB) ([]index, error) {
	return dropIndexes(ctx, d, "the history", "interactions", "interaction_parties")
}

// dropIndexes drops the indexes of tables (constant names) that no
// constraint needs and returns them, to be rebuilt after a bulk load; what
// names the tables in errors.
func dropIndexes(ctx context.Context, d *db.DB, what string, tables ...string) ([]index, error) {
	quoted := make([]string, len(tables))
	regs := make([]string, len(tables))
	for i, t := range tables {
		quoted[i], regs[i] = "'"+t+"'", "'"+t+"'::regclass"
	}
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (` + strings.Join(quoted, ", ") + `) ORDER BY name`
	if d.Dialect() == db.Postgres {
		q = `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid IN (` + strings.Join(regs, ", ") + `)
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
			ORDER BY c.relname`
	}
	rows, err := d.Writer().QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list the indexes of %s: %w", what, err)
	}
	var out []index
	for rows.Next() {
		var ix index
		if err := rows.Scan(&ix.name, &ix.create); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, ix := range out {
		if _, err := d.Exec(ctx, "DROP INDEX "+ix.name); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix.name, err)
		}
	}
	return out, nil
}

// rebuildIndexes creates the dropped indexes again; PostgreSQL gets more
// memory to sort them, on the one connection that builds them.
func rebuildIndexes(ctx context.Context, d *db.DB, indexes []index) error {
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if d.Dialect() == db.Postgres {
		if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "RESET maintenance_work_mem")
	}
	for _, ix := range indexes {
		if _, err := conn.ExecContext(ctx, ix.create); err != nil {
			return fmt.Errorf("create index %s: %w", ix.name, err)
		}
	}
	return nil
}

// analyseHistory gathers the planner's statistics on the history's tables;
// on PostgreSQL a VACUUM also sets the visibility map, as autovacuum would
// soon after a load (and would otherwise do in the middle of the timings).
func analyseHistory(ctx context.Context, d *db.DB) error {
	stmts := []string{"ANALYZE interactions", "ANALYZE interaction_parties"}
	if d.Dialect() == db.Postgres {
		stmts = []string{"VACUUM (ANALYZE) interactions, interaction_parties"}
	}
	for _, s := range stmts {
		if _, err := d.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// countHistory returns how many interactions and timeline rows the
// database holds.
func countHistory(ctx context.Context, q *sql.DB) (interactions, links int, err error) {
	if err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM interactions").Scan(&interactions); err != nil {
		return 0, 0, fmt.Errorf("count interactions: %w", err)
	}
	if err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM interaction_parties").Scan(&links); err != nil {
		return 0, 0, fmt.Errorf("count interaction_parties: %w", err)
	}
	return interactions, links, nil
}

// settle writes the pending changes back before a timed run, so no run
// pays for the writes of the one before: a checkpoint of SQLite's WAL, a
// CHECKPOINT on PostgreSQL (which needs the pg_checkpoint role: without
// it the server's own checkpoints go on as usual).
func settle(ctx context.Context, d *db.DB, logger *slog.Logger) {
	stmt := "PRAGMA wal_checkpoint(TRUNCATE)"
	if d.Dialect() == db.Postgres {
		stmt = "CHECKPOINT"
	}
	if _, err := d.Exec(ctx, stmt); err != nil {
		logger.Warn("bench: no checkpoint before the timed run", "err", err)
	}
}
