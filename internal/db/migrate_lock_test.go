package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pressly/goose/v3/lock"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// instances is how many application instances start at once in the tests
// below; rounds is how many times each test starts them on a new database.
const (
	instances = 4
	rounds    = 3
)

// openAtOnce opens dsn from n goroutines at once, each its own db.DB as a
// separate instance would, and returns the instances and their errors.
func openAtOnce(t *testing.T, dsn string, n int) []error {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			d, err := db.Open(context.Background(), dsn)
			if err == nil {
				err = d.Close()
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// checkAppliedOnce fails unless every migration version is recorded once
// in goose's table of the database at dsn.
func checkAppliedOnce(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open after the concurrent start: %v", err)
	}
	defer d.Close()
	rows, err := d.Query(ctx, "SELECT version_id, COUNT(*) FROM goose_db_version WHERE version_id > 0 GROUP BY version_id ORDER BY version_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	versions := 0
	for rows.Next() {
		var v, n int64
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("migration %d recorded %d times, want once", v, n)
		}
		versions++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want, err := db.MigrationVersions(d.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	if versions != len(want) {
		t.Errorf("%d migrations recorded, want %d", versions, len(want))
	}
}

func TestInstancesStartedAtOnceOnAnEmptyPostgresDatabaseAllComeUp(t *testing.T) {
	for round := range rounds {
		t.Run(fmt.Sprint("round ", round+1), func(t *testing.T) {
			dsn := dbtest.PostgresSchema(t)
			for i, err := range openAtOnce(t, dsn, instances) {
				if err != nil {
					t.Errorf("instance %d: %v", i+1, err)
				}
			}
			checkAppliedOnce(t, dsn)
		})
	}
}

func TestInstancesStartedAtOnceOnANewSQLiteFileAllComeUp(t *testing.T) {
	for round := range rounds {
		t.Run(fmt.Sprint("round ", round+1), func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "shared.db")
			for i, err := range openAtOnce(t, dsn, instances) {
				if err != nil {
					t.Errorf("instance %d: %v", i+1, err)
				}
			}
			checkAppliedOnce(t, dsn)
		})
	}
}

func TestAPostgresMigrationLockLeftByACrashedInstanceIsTakenOverOnceItsLeaseRunsOut(t *testing.T) {
	dsn := dbtest.PostgresSchema(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// An instance died while it migrated: its lock row is still there.
	if _, err := admin.ExecContext(ctx, `CREATE TABLE `+lock.DefaultLockTableName+` (
		lock_id bigint NOT NULL PRIMARY KEY, locked boolean NOT NULL DEFAULT false, locked_at timestamptz NULL,
		locked_by text NULL, lease_expires_at timestamptz NULL, updated_at timestamptz NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, `INSERT INTO `+lock.DefaultLockTableName+` VALUES
		($1, true, now(), 'crashed', now() + interval '1 hour', now())`, lock.DefaultLockID); err != nil {
		t.Fatal(err)
	}
	waiting, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := db.Open(waiting, dsn); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("open while another instance's lease runs: %v, want it to wait", err)
	}
	if _, err := admin.ExecContext(ctx, "UPDATE "+lock.DefaultLockTableName+" SET lease_expires_at = now() - interval '1 second'"); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("lease ran out, yet: %v", err)
	}
	d.Close()
	checkAppliedOnce(t, dsn)
}
