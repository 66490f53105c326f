package db_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestMigrationsCreateTheSchemaAndSeedBuiltinRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM roles WHERE builtin AND code = ?", "admin").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("admin role rows = %d, want 1", n)
		}
		// Running the migrations again on an up-to-date database changes nothing.
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
	})
}

func TestRebindNumbersPlaceholdersOnPostgresOnly(t *testing.T) {
	pg := dbtest.Postgres(t)
	if got := pg.Rebind("SELECT '?' , a FROM t WHERE b = ? AND c IN (?, ?)"); got != "SELECT '?' , a FROM t WHERE b = $1 AND c IN ($2, $3)" {
		t.Fatalf("rebind = %q", got)
	}
}

func TestTransactionRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO roles (code, name, permissions) VALUES (?, ?, ?)", "temp", "Temp", ""); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO roles (code, name, permissions) VALUES (?, ?, ?)", "temp", "Temp", "")
			return err
		})
		if !db.IsUniqueViolation(err) {
			t.Fatalf("want unique violation, got %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM roles WHERE code = ?", "temp").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("half-written transaction left %d rows", n)
		}
	})
}
