package db_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestATraceIsReadableAsSoonAsWritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// The trace pool must reach the same database (on PostgreSQL, the
		// same schema) as the rest: a trace written there is read back at once.
		if _, err := d.Traces().Exec(ctx, "INSERT INTO audit_log (id, at, action, object_type, object_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
			"0190a0a0-0000-7000-8000-000000000001", 1, "party.view", "party", "x", ""); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND object_id = ?", "party.view", "x").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("traces read back = %d, want 1", n)
		}
	})
}

func TestTracesOnPostgresCommitWithoutWaitingForTheDiskUnlessDurable(t *testing.T) {
	d := dbtest.Postgres(t)
	ctx := context.Background()
	setting := func(q db.Querier) string {
		var v string
		if err := q.QueryRow(ctx, "SHOW synchronous_commit").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := setting(d.Traces()); got != "off" {
		t.Fatalf("traces' synchronous_commit = %q, want off", got)
	}
	if got := setting(d); got != "on" {
		t.Fatalf("other writes' synchronous_commit = %q, want on", got)
	}
	d.DurableTraces()
	if got := setting(d.Traces()); got != "on" {
		t.Fatalf("durable traces' synchronous_commit = %q, want on", got)
	}
}
