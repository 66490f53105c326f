package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// The SQLite migration lock is a lease row: the process that migrates holds
// the one row of migration_lock until it is done, renewing its lease while
// it works; others wait, and take the row over if its holder died and its
// lease ran out. (PostgreSQL uses goose's lock table, which works the same
// way.) Each step is a short write transaction of its own, so the lock never
// keeps the file's write lock from the migrations themselves.
const (
	migrationLease     = 30 * time.Second
	migrationHeartbeat = 5 * time.Second
)

// lockSQLiteMigrations waits until this process holds the migration lock of
// the SQLite file that dsn opens, and returns the function that releases it.
func lockSQLiteMigrations(ctx context.Context, dsn string) (release func() error, err error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migration_lock (
		id         INTEGER PRIMARY KEY CHECK (id = 1),
		holder     TEXT NOT NULL,
		expires_at BIGINT NOT NULL
	)`); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	holder := randomHolder()
	if err := acquireLease(ctx, conn, holder); err != nil {
		conn.Close()
		return nil, err
	}
	beat, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(migrationHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				// A failed renewal is tried again at the next beat; the lease
				// leaves room for several.
				_, _ = conn.ExecContext(beat, "UPDATE migration_lock SET expires_at = ? WHERE id = 1 AND holder = ?",
					leaseEnd(), holder)
			}
		}
	}()
	return func() error {
		stop()
		<-done
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "DELETE FROM migration_lock WHERE id = 1 AND holder = ?", holder)
		if err != nil {
			err = fmt.Errorf("release the migration lock: %w", err)
		}
		return errors.Join(err, conn.Close())
	}, nil
}

// acquireLease takes the lock row for holder, trying again until it is free
// or its lease has run out, for at most migrationLockWait.
func acquireLease(ctx context.Context, conn *sql.DB, holder string) error {
	ctx, cancel := context.WithTimeout(ctx, migrationLockWait)
	defer cancel()
	for {
		res, err := conn.ExecContext(ctx, `INSERT INTO migration_lock (id, holder, expires_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE migration_lock.expires_at < ?`, holder, leaseEnd(), time.Now().UnixMilli())
		if err != nil && ctx.Err() == nil && !retryable(err) {
			return fmt.Errorf("migration lock: %w", err)
		}
		if err == nil {
			if n, err := res.RowsAffected(); err == nil && n == 1 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migration lock: another instance has held it for %s: %w", migrationLockWait, ctx.Err())
		case <-time.After(migrationLockRetry):
		}
	}
}

// leaseEnd is when a lease taken or renewed now runs out, in Unix ms.
func leaseEnd() int64 { return time.Now().Add(migrationLease).UnixMilli() }

// randomHolder names this attempt in the lock row.
func randomHolder() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
