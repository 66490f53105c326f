package dbtest

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
)

// SecondHandle opens another handle on the database of d, with pools of
// its own, as a second instance of the application would: for tests of
// several instances on one PostgreSQL database. It is closed when the test
// ends, before the schema is dropped.
func SecondHandle(t testing.TB, d *db.DB) *db.DB {
	t.Helper()
	ctx := context.Background()
	dsn, err := d.ConnString(ctx)
	if err != nil {
		t.Fatalf("second handle: %v", err)
	}
	second, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("second handle: %v", err)
	}
	t.Cleanup(func() { second.Close() })
	return second
}
