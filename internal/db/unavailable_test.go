package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAClosedDatabaseIsUnavailable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		d.Close()
		var n int
		err := d.QueryRow(context.Background(), "SELECT 1").Scan(&n)
		if !db.IsUnavailable(fmt.Errorf("read: %w", err)) {
			t.Errorf("%v: not seen as unavailable", err)
		}
	})
}

func TestAStoppedPostgreSQLServerIsUnavailable(t *testing.T) {
	// Nothing listens on port 1: the connection is refused.
	pool, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	err = pool.PingContext(context.Background())
	if err == nil || !db.IsUnavailable(err) {
		t.Errorf("%v: not seen as unavailable", err)
	}
}

func TestAWrongStatementIsNotUnavailable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, err := d.Exec(context.Background(), "SELECT * FROM no_such_table")
		if err == nil || db.IsUnavailable(err) {
			t.Errorf("%v: seen as unavailable", err)
		}
		if db.IsUnavailable(errors.New("boom")) {
			t.Error("a plain error is unavailable")
		}
	})
}
