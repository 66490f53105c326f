package app_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// TestPeriodicJobRunsOnceAcrossTwoInstances starts the background work of
// two applications on one database, each with its own handle, and counts
// the runs of a periodic job and of the retention.
func TestPeriodicJobRunsOnceAcrossTwoInstances(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "two.db")
			if engine == "postgres" {
				dsn = freshSchema(t)
			}
			var runs atomic.Int32
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			var first *app.App
			dir := t.TempDir()
			for range 2 {
				a, err := app.Open(ctx, app.Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				if first == nil {
					first = a
				}
				a.SchedulePeriodic("test.tick", time.Hour, func(context.Context) error { runs.Add(1); return nil })
				wg.Add(1)
				go func() { defer wg.Done(); a.RunBackground(ctx) }()
			}
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) && (runs.Load() == 0 || count(t, first.DB, "SELECT COUNT(*) FROM jobs WHERE state = 'done'") < 3) {
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // let a second run, if any, happen
			cancel()
			wg.Wait()
			if n := runs.Load(); n != 1 {
				t.Errorf("the periodic job ran %d times this hour, want 1", n)
			}
			if n := count(t, first.DB, "SELECT COUNT(*) FROM jobs WHERE kind = 'history.retention' AND state = 'done'"); n != 1 {
				t.Errorf("the retention ran %d times this hour, want 1", n)
			}
			if n := count(t, first.DB, "SELECT COUNT(*) FROM retention_runs"); n != 1 {
				t.Errorf("%d retention runs recorded", n)
			}
		})
	}
}

func count(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// freshSchema returns the DSN of a new schema on the test PostgreSQL server.
func freshSchema(t *testing.T) string {
	dsn := dbtest.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return db.WithSearchPath(dsn, schema)
}
