package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// WithBulkTx is WithTx for bulk loads: the transaction runs on a connection
// held for it, so fn may also call the transaction's CopyFrom (PostgreSQL's
// COPY on that connection) and Prepare (statements run many times in the
// transaction).
func (d *DB) WithBulkTx(ctx context.Context, fn func(tx *Tx) error) error {
	return d.withBulkTx(ctx, nil, fn)
}

// connSetting is a setting of a connection made outside a transaction
// (set) and undone after it (undo): SQLite's PRAGMAs.
type connSetting struct{ set, undo string }

// withBulkTx is WithBulkTx with settings of the connection, made before
// the transaction in their order and undone after it.
func (d *DB) withBulkTx(ctx context.Context, settings []connSetting, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = d.runBulkTx(ctx, settings, fn)
		if err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

func (d *DB) runBulkTx(ctx context.Context, settings []connSetting, fn func(tx *Tx) error) error {
	conn, err := d.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("take a connection: %w", err)
	}
	defer conn.Close()
	for _, s := range settings {
		if _, err := conn.ExecContext(ctx, s.set); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.undo)
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	return finish(&Tx{db: d, tx: sqlTx, conn: conn}, fn)
}

// Prepare prepares query (? placeholders) for many runs in the transaction;
// the caller closes the statement before the transaction ends.
func (t *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, t.Rebind(query))
}

// CopyFrom writes rows into table with PostgreSQL's COPY, in the
// transaction. Only in a WithBulkTx transaction on PostgreSQL; values are
// in the Go types pgx encodes for the columns.
func (t *Tx) CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	if t.conn == nil || t.db.dialect != Postgres {
		return errors.New("CopyFrom needs a bulk transaction on PostgreSQL")
	}
	if len(rows) == 0 {
		return nil
	}
	return t.conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		if _, err := pc.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

// copyThreshold is the number of rows from which InsertRows uses COPY: below
// it, a multi-row INSERT costs less than COPY's extra round trips.
const copyThreshold = 100

// InsertRows writes rows into table: with COPY in a bulk transaction on
// PostgreSQL when there are many, else with multi-row INSERTs (InsertMany).
// table and columns are constants of the caller.
func InsertRows(ctx context.Context, tx *Tx, table string, columns []string, rows [][]any) error {
	if tx.conn != nil && tx.db.dialect == Postgres && len(rows) >= copyThreshold {
		return tx.CopyFrom(ctx, table, columns, rows)
	}
	return InsertMany(ctx, tx, "INSERT INTO "+table+" ("+strings.Join(columns, ", ")+") VALUES ",
		"("+Placeholders(len(columns))+")", rows)
}
