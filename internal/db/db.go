// Package db opens the SQLite or PostgreSQL database, applies the embedded
// migrations and runs queries written once, with ? placeholders, on both.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // pure-Go SQLite driver "sqlite"
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the application's database: on SQLite one writer connection and a
// pool of readers (WAL), on PostgreSQL one pool for both.
type DB struct {
	dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	// traces writes the consultation traces (see Traces): on PostgreSQL a
	// small pool of sessions that commit without waiting for the disk; the
	// writer on SQLite, or when DurableTraces was called.
	traces *sql.DB
	// sqlitePath is the SQLite file, whose migration lock is a file beside
	// it (see lockSQLiteMigrations); "" on PostgreSQL.
	sqlitePath string
	// stmts keeps the reading pool's statements prepared; nil on
	// PostgreSQL, whose driver caches them per connection.
	stmts *stmtCache
	bulk  bulkLoads // the bulk loads holding SQLite's writer cache large
}

// Open connects to the database named by dsn: "postgres://…" or
// "postgresql://…" for PostgreSQL, "sqlite:PATH" or a plain file path for
// SQLite. It applies pending migrations before returning.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var d *DB
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		d, err = openPostgres(dsn)
	default:
		d, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	}
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.RestoreIndexes(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(4 * runtime.NumCPU())
	pool.SetMaxIdleConns(4 * runtime.NumCPU())
	traces, err := sql.Open("pgx", withRuntimeParam(dsn, "synchronous_commit", "off"))
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	traces.SetMaxOpenConns(runtime.NumCPU())
	traces.SetMaxIdleConns(runtime.NumCPU())
	return &DB{dialect: Postgres, writer: pool, reader: pool, traces: traces}, nil
}

// withRuntimeParam returns the PostgreSQL dsn with the server setting
// name=value for its sessions (pgx sends unknown URL parameters at
// connection start).
func withRuntimeParam(dsn, name, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	// The page cache is per connection: the one writer gets 8 MiB, 64
	// during bulk loads (BulkLoad); the readers 8 MiB each, as they share
	// the operating system's file cache and would otherwise hold the same
	// pages many times over (16 MiB each held 68 MB more with no faster
	// search: see "Memory" in docs/performance.md).
	// busy_timeout comes first: switching a new file to WAL waits for a lock
	// another process may hold (instances started at once, job runners).
	dsn := func(cacheKiB int) string {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)",
			"synchronous(NORMAL)", "wal_autocheckpoint(10000)", fmt.Sprintf("cache_size(-%d)", cacheKiB), "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode()
	}
	writer, err := sql.Open("sqlite", dsn(writerCacheKiB)+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	writer.SetMaxOpenConns(1) // SQLite has one writer; the pool serialises writes
	reader, err := sql.Open("sqlite", dsn(8<<10)+"&mode=ro")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	reader.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	reader.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	return &DB{dialect: SQLite, writer: writer, reader: reader, traces: writer, sqlitePath: path, stmts: &stmtCache{pool: reader}}, nil
}

// Dialect returns the engine behind db.
func (d *DB) Dialect() Dialect { return d.dialect }

// Close releases every connection.
func (d *DB) Close() error {
	var err error
	if d.stmts != nil {
		err = d.stmts.close()
	}
	err = errors.Join(err, d.writer.Close())
	if d.traces != d.writer {
		err = errors.Join(err, d.traces.Close())
	}
	if d.reader != d.writer {
		err = errors.Join(err, d.reader.Close())
	}
	return err
}

// Ping checks that the database answers (for /readyz).
func (d *DB) Ping(ctx context.Context) error { return d.reader.PingContext(ctx) }

// Exec runs a writing statement outside any transaction.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.writer.ExecContext(ctx, d.Rebind(query), args...)
}

// Query runs a reading query on the reader pool.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if d.stmts != nil {
		if st := d.stmts.get(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return d.reader.QueryContext(ctx, d.Rebind(query), args...)
}

// QueryRow runs a reading query that returns at most one row.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if d.stmts != nil {
		if st := d.stmts.get(ctx, query); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return d.reader.QueryRowContext(ctx, d.Rebind(query), args...)
}

// Rebind rewrites ? placeholders as $1, $2… for PostgreSQL. Question marks
// inside quoted literals are left alone.
func (d *DB) Rebind(query string) string {
	if d.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Writer exposes the writing pool for bulk tools and benchmarks that need the
// driver directly (COPY, raw inserts). Domain code uses Exec and WithTx.
func (d *DB) Writer() *sql.DB { return d.writer }

// Reader exposes the reading pool for benchmarks of the bare database.
func (d *DB) Reader() *sql.DB { return d.reader }

// WithSearchPath returns the PostgreSQL dsn with its search_path set to
// schema, so one server can hold several databases (tests, benchmarks).
func WithSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
