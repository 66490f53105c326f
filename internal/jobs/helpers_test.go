package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// start is the fixed clock's time in the tests.
var start = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// newRunner returns a runner on d with a fixed clock shared through clock.
func newRunner(d *db.DB, clock core.Clock, opts Options) *Runner {
	return New(d, clock, audit.New(d, clock), nil, opts)
}

// eachPair runs fn on both engines with two separate handles on one
// database, as two instances of Rapport would have.
func eachPair(t *testing.T, fn func(t *testing.T, a, b *db.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "pair.db")
		fn(t, open(t, "sqlite:"+path), open(t, "sqlite:"+path))
	})
	t.Run("postgres", func(t *testing.T) {
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
		fn(t, open(t, db.WithSearchPath(dsn, schema)), open(t, db.WithSearchPath(dsn, schema)))
	})
}

func open(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// jobState reads a job's state, attempts and last error.
func jobState(t *testing.T, d *db.DB, id string) Job {
	t.Helper()
	j, err := newRunner(d, core.SystemClock{}, Options{}).Get(context.Background(), core.System(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
