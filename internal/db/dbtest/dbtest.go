// Package dbtest gives each test a fresh database: SQLite always, and
// PostgreSQL when RAPPORT_TEST_POSTGRES holds a DSN.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
)

// Each runs fn once per available engine, as subtests named "sqlite" and
// "postgres", each on a fresh empty database with migrations applied.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a fresh SQLite database in the test's temporary directory.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// PostgresDSN returns the DSN of the test PostgreSQL server, skipping the
// test when none is configured. "1" or "true" mean the local default server.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("RAPPORT_TEST_POSTGRES")
	switch dsn {
	case "":
		t.Skip("RAPPORT_TEST_POSTGRES not set: PostgreSQL tests skipped")
	case "1", "true":
		dsn = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	return dsn
}

// Postgres returns a database on a fresh schema of the test PostgreSQL
// server; the schema is dropped when the test ends.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), PostgresSchema(t))
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// PostgresSchema creates a fresh empty schema on the test PostgreSQL server
// and returns the DSN that opens it, for tests that open the database
// themselves (several instances on one database); the schema is dropped when
// the test ends.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema (is PostgreSQL running at %s?): %v", dsn, err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	return db.WithSearchPath(dsn, schema)
}
