package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/db"
)

// importDeferAfter is how many new parties an import writes with every
// index kept up to date before it considers deferring the secondary
// indexes (deferIndexes).
const importDeferAfter = 100_000

// deferrableIndexes are the secondary indexes of the party tables whose keys
// arrive in random order (names, birth dates, emails, phones, postcodes,
// and PostgreSQL's name index): each new row dirties another page of each,
// which at millions of rows is most of an import's writes. The indexes on
// party_id (UUIDv7, in time order), the unique ones and SQLite's FTS5
// table are kept: updates and the search by name go on using them.
var deferrableIndexes = []string{"parties_agency_sort", "parties_sort", "parties_advisor", "parties_birth",
	"party_emails_address", "party_phones_number", "party_addresses_postal", "party_addresses_city"}

// partiesEstimate returns about how many parties the database holds,
// without counting them: SQLite's highest seq, PostgreSQL's planner
// estimate (0 before the first ANALYZE).
func (s *Store) partiesEstimate(ctx context.Context) (int, error) {
	q := "SELECT COALESCE(MAX(seq), 0) FROM parties"
	if s.db.Dialect() == db.Postgres {
		q = `SELECT GREATEST(c.reltuples, 0)::BIGINT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relname = 'parties' AND n.nspname = current_schema()`
	}
	var n int
	err := s.db.Writer().QueryRowContext(ctx, q).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("estimate the parties: %w", err)
	}
	return n, nil
}

// bulkIndexes decides when a large import stops maintaining the deferrable
// indexes and, on SQLite, stages its new parties' name index rows: once it
// has inserted s.deferAfter new parties and at least a quarter of what the
// table held at its start (from its first batch when the table held fewer
// than s.deferAfter), building them again and merging the staged rows at
// the end costs less than keeping them up to date. Meanwhile searches by
// email, phone and birth date read the tables without their index, and on
// SQLite the parties imported so far are not found by name; the search by
// client number is unaffected. PostgreSQL keeps writing the name index
// rows in place: there the merge cost more than it saved at a million
// parties (its foreign key checks run row by row either way; figures in
// docs/performance.md).
type bulkIndexes struct {
	s        *Store
	before   int  // parties at the import's start (estimate)
	tried    bool // deferring was decided (and done, unless it failed)
	deferred bool // the indexes are dropped and wait in deferred_indexes
	staged   bool // the name index rows go to the staging tables (SQLite)
}

// start builds the indexes and merges the name index rows a previous
// import left deferred and staged (it stopped before its end), and reads
// the table's size.
func (b *bulkIndexes) start(ctx context.Context) error {
	if err := b.s.db.RestoreIndexes(ctx); err != nil {
		return err
	}
	if err := b.s.MergeStagedNames(ctx); err != nil {
		return err
	}
	n, err := b.s.partiesEstimate(ctx)
	b.before = n
	return err
}

// inserted is told the new parties so far, before each batch. Deferring
// is only a speed-up: when it fails (in one transaction, so nothing is
// dropped) the import goes on with the indexes.
func (b *bulkIndexes) inserted(ctx context.Context, n int) {
	if b.tried || n*4 < b.before || (n < b.s.deferAfter && b.before >= b.s.deferAfter) {
		return
	}
	b.tried = true
	b.deferred = b.s.db.DeferIndexes(ctx, deferrableIndexes...) == nil
	b.staged = b.deferred && b.s.db.Dialect() == db.SQLite
}

// finish builds the deferred indexes again and merges the staged name
// index rows, even when the import failed or was cancelled.
func (b *bulkIndexes) finish(ctx context.Context) error {
	if !b.deferred {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	return errors.Join(b.s.MergeStagedNames(ctx), b.s.db.RestoreIndexes(ctx))
}
