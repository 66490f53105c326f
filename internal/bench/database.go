package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// freshDB is an empty migrated database made for one run, and how to get
// rid of it.
type freshDB struct {
	*db.DB
	drop  func() error
	where string // the SQLite file or the PostgreSQL schema
	dsn   string // how another process opens it
}

// openFresh creates a SQLite file in a temporary directory (dsn empty), or a
// new schema bench_<nanoseconds> on the PostgreSQL server of dsn.
func openFresh(ctx context.Context, dsn string) (*freshDB, error) {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "rapport-bench-")
		if err != nil {
			return nil, fmt.Errorf("create temporary directory: %w", err)
		}
		d, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		path := filepath.Join(dir, "bench.db")
		return &freshDB{DB: d, drop: func() error { return errors.Join(d.Close(), os.RemoveAll(dir)) },
			where: path, dsn: "sqlite:" + path}, nil
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("bench: --dsn must be a postgres:// URL, or empty for SQLite")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	dropSchema := func() error {
		// A fresh context: the run's may be cancelled, the schema must go anyway.
		_, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		return errors.Join(err, admin.Close())
	}
	schemaDSN := db.WithSearchPath(dsn, schema)
	d, err := db.Open(ctx, schemaDSN)
	if err != nil {
		return nil, errors.Join(err, dropSchema())
	}
	return &freshDB{DB: d, drop: func() error { return errors.Join(d.Close(), dropSchema()) }, where: "schema " + schema,
		dsn: schemaDSN}, nil
}

// sizeMB returns the space the database's tables and indexes take: the used
// pages of the SQLite file, or the relations of the PostgreSQL schema.
func sizeMB(ctx context.Context, d *db.DB) (float64, error) {
	var bytes int64
	if d.Dialect() == db.SQLite {
		if _, err := d.Writer().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return 0, fmt.Errorf("checkpoint: %w", err)
		}
		var pages, free, pageSize int64
		for _, p := range []struct {
			pragma string
			dst    *int64
		}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &pageSize}} {
			if err := d.Writer().QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dst); err != nil {
				return 0, fmt.Errorf("pragma %s: %w", p.pragma, err)
			}
		}
		bytes = (pages - free) * pageSize
	} else {
		err := d.QueryRow(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')`).Scan(&bytes)
		if err != nil {
			return 0, fmt.Errorf("schema size: %w", err)
		}
	}
	return float64(bytes) / (1 << 20), nil
}

// setUp opens a fresh database (kept with cfg.Keep, dropped otherwise) and
// the application on it with a temporary file store, and returns the
// bench's logger (cfg.Logger, else one that discards); the caller defers
// tearDown(&err), which closes or drops them and joins its error to err.
func setUp(ctx context.Context, cfg Config) (d *freshDB, a *app.App, logger *slog.Logger, tearDown func(*error), err error) {
	logger = cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d, err = openFresh(ctx, cfg.DSN)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	files, err := os.MkdirTemp("", "rapport-bench-files-")
	if err != nil {
		return nil, nil, nil, nil, errors.Join(err, d.drop())
	}
	tearDown = func(err *error) {
		os.RemoveAll(files)
		if cfg.Keep {
			*err = errors.Join(*err, d.Close())
		} else {
			*err = errors.Join(*err, d.drop())
		}
	}
	if cfg.Keep {
		logger.Info("bench: the database will be kept", "where", d.where)
	}
	a, err = app.New(d.DB, app.Config{Logger: logger, DataDir: files})
	if err != nil {
		tearDown(&err)
		return nil, nil, nil, nil, err
	}
	return d, a, logger, tearDown, nil
}

// agencyBench is what the desk, cases and leads benches start from: a
// fresh database with the bench organisation (setUp, organise), its
// administrator, and its agencies each with its first agent (deskUnits).
type agencyBench struct {
	d      *freshDB
	a      *app.App
	logger *slog.Logger
	admin  *core.Actor
	units  []deskUnit
}

// setUpAgencies builds an agencyBench; tearDown is as setUp's, and has
// already run when err is not nil.
func setUpAgencies(ctx context.Context, cfg Config) (b agencyBench, tearDown func(*error), err error) {
	b.d, b.a, b.logger, tearDown, err = setUp(ctx, cfg)
	if err != nil {
		return b, nil, err
	}
	defer func() {
		if err != nil {
			tearDown(&err)
		}
	}()
	if _, b.admin, _, err = organise(ctx, b.a.Orgs, cfg.Seed); err != nil {
		return b, nil, err
	}
	if b.units, err = deskUnits(ctx, b.d.Reader()); err != nil {
		return b, nil, err
	}
	return b, tearDown, nil
}
