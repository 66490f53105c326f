package db

import (
	"context"
	"database/sql"
)

// Traces returns where the traces of consultations are written (who opened
// which customer's history or record; see audit.Log.Record): a Querier whose
// statements run outside any transaction. On PostgreSQL its sessions set
// synchronous_commit off, so a trace commits without waiting for the disk
// and reaches it within a fraction of a second (three times the server's
// wal_writer_delay): a crash of the database server in that moment can
// lose the last traces, never a change, whose commits still wait. That wait
// was most of a timeline read's slowest percentile (docs/performance.md).
// On SQLite, and after DurableTraces, it is the writer.
func (d *DB) Traces() Querier { return traceWriter{d} }

// DurableTraces makes the traces commit like every other write, waiting
// for the disk (RAPPORT_DURABLE_TRACES=true): they go to the writer and
// PostgreSQL's trace pool is closed. Call it before serving.
func (d *DB) DurableTraces() {
	if d.traces != d.writer {
		_ = d.traces.Close() // nothing to report: a pool not yet used
		d.traces = d.writer
	}
}

// traceWriter runs statements on the trace pool.
type traceWriter struct{ d *DB }

// Exec runs a writing statement on the trace pool.
func (t traceWriter) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.d.traces.ExecContext(ctx, t.d.Rebind(query), args...)
}

// Query runs a query on the trace pool.
func (t traceWriter) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.d.traces.QueryContext(ctx, t.d.Rebind(query), args...)
}

// QueryRow runs a query of at most one row on the trace pool.
func (t traceWriter) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.d.traces.QueryRowContext(ctx, t.d.Rebind(query), args...)
}

// Dialect returns the engine behind the pool.
func (t traceWriter) Dialect() Dialect { return t.d.dialect }
