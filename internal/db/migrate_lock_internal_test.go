package db

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestTheSQLiteMigrationLockIsHeldByOneProcessAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	release, err := lockSQLiteMigrations(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := lockSQLiteMigrations(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while the first is held: %v, want it to wait", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	again, err := lockSQLiteMigrations(context.Background(), path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	if err := again(); err != nil {
		t.Fatal(err)
	}
}
