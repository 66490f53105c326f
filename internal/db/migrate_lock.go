package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// lockSQLiteMigrations waits until this process holds the migration lock of
// the SQLite file at path, and returns the function that releases it.
//
// The lock is an exclusive transaction on a small SQLite file of its own
// (path + "-migrate-lock", empty): SQLite locks the file for as long as the
// transaction is open, and the operating system drops the lock when its
// process ends, however it ends, so a crashed migration never leaves the
// lock held and a long one never loses it. It cannot be taken on the
// database itself: an exclusive transaction there would keep the migrations
// from writing.
func lockSQLiteMigrations(ctx context.Context, path string) (release func() error, err error) {
	pool, err := sql.Open("sqlite", "file:"+path+"-migrate-lock?_pragma=busy_timeout(200)")
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if err := beginExclusive(ctx, conn); err != nil {
		conn.Close()
		pool.Close()
		return nil, err
	}
	return func() error {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return errors.Join(err, conn.Close(), pool.Close())
	}, nil
}

// beginExclusive opens an exclusive transaction on conn, trying again while
// another process holds one, for at most migrationLockWait.
func beginExclusive(ctx context.Context, conn *sql.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, migrationLockWait)
	defer cancel()
	for {
		_, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
		if err == nil {
			return nil
		}
		if !retryable(err) { // SQLITE_BUSY: another process holds it
			return fmt.Errorf("migration lock: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migration lock: another process has held it for %s: %w", migrationLockWait, ctx.Err())
		case <-time.After(migrationLockRetry):
		}
	}
}
