package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// migrationLockRetry is how often an instance that waits for another's
// migrations tries the lock again; migrationLockWait is how long it waits
// before giving up.
const (
	migrationLockRetry = 250 * time.Millisecond
	migrationLockWait  = 5 * time.Minute
)

// Migrate applies the pending migrations of the engine's dialect (see
// render.go for how they are written once for both engines). Instances
// started at once on one database take turns. On PostgreSQL through goose's
// lock table (goose_lock): a lease row kept alive while the migrations run,
// taken over when its holder died and its lease ran out; no advisory lock,
// so it stays portable to distributed PostgreSQL engines. On SQLite, whose
// processes share one machine, through SQLite's own lock on a file beside
// the database (see lockSQLiteMigrations).
func (d *DB) Migrate(ctx context.Context) (err error) {
	set, err := renderMigrations(embedded(), d.dialect)
	if err != nil {
		return err
	}
	if d.dialect == Postgres {
		locker, err := lock.NewPostgresTableLocker(
			lock.WithTableLockTimeout(migrationLockRetry, uint64(migrationLockWait/migrationLockRetry)))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		if err := d.ping(ctx); err != nil {
			return err
		}
		return d.up(ctx, goose.DialectPostgres, set, goose.WithLocker(locker))
	}
	// The first connection to a new SQLite file switches it to WAL, which
	// needs the file to itself and may answer SQLITE_BUSY at once, without
	// waiting, to instances started together: it is made under the lock.
	release, err := lockSQLiteMigrations(ctx, d.sqlitePath)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()
	if err := d.ping(ctx); err != nil {
		return err
	}
	return d.up(ctx, goose.DialectSQLite3, set)
}

// ping opens the first writing connection.
func (d *DB) ping(ctx context.Context) error {
	if err := d.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to %s database: %w", d.dialect, err)
	}
	return nil
}

// up applies the pending migrations of set.
func (d *DB) up(ctx context.Context, dialect goose.Dialect, set renderedFS, opts ...goose.ProviderOption) error {
	p, err := goose.NewProvider(dialect, d.writer, set, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}
