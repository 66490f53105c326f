package party

import (
	"context"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/db"
)

// nameTables are where a bulk insert writes the name index rows of its
// parties.
type nameTables struct {
	words, pairs string
	staged       bool // the staging tables, merged later by MergeStagedNames
}

var (
	// liveNames are the keyed tables the quick search reads.
	liveNames = nameTables{words: "party_name_words", pairs: "party_name_pairs"}
	// stagedNames are their staging tables (migration 00030): a large
	// import appends its rows there and merges them at its end, sorted,
	// instead of writing each one into its place in a table of tens of
	// millions of rows.
	stagedNames = nameTables{words: "party_name_words_staged", pairs: "party_name_pairs_staged", staged: true}
)

// nameIndexesByParty are the name tables' indexes by party: a merge on
// SQLite defers them (db.DeferIndexes) rather than write them row by row in
// the order of the sort.
var nameIndexesByParty = []string{"party_name_words_party", "party_name_pairs_party"}

// MergeStagedNames moves the staged name index rows into the keyed tables,
// sorted by their key (one pass over each table's pages rather than a
// random write per row), and empties the staging tables. A staged row is
// kept only while it still describes its party: the party exists with the
// same sort name (and agency, for a word row), and nothing wrote the
// party's rows in the keyed table since — an update of its names or agency
// during the import wrote them whole (wordIndex.changed), and those win.
// It does nothing when no row waits; ImportParties calls it at its end,
// and so do the next import and the application's start, for the rows of
// an import stopped by a crash.
//
// The party join checks the references, in the staged (arrival) order, so
// SQLite's own foreign key checks, one lookup per row in the order of
// the sort, are off; its indexes by party are deferred around the copy and
// built again at the end (db.RestoreIndexes, which also builds any other
// index an import deferred). PostgreSQL keeps both: it would lock the
// tables against searches for the rebuild.
func (s *Store) MergeStagedNames(ctx context.Context) error {
	var waiting int
	err := s.db.Writer().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM party_name_words_staged LIMIT 1) w)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM party_name_pairs_staged LIMIT 1) p)`).Scan(&waiting)
	if err != nil {
		return fmt.Errorf("look for staged name index rows: %w", err)
	}
	if waiting == 0 {
		return nil
	}
	defer s.db.BulkLoad(ctx)()
	// Rows of parties rewritten since they were staged, while the indexes by
	// party are there to find them: parties of this import, so from the
	// first staged party's id (UUIDv7s, in time order).
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		return execAll(ctx, tx,
			`DELETE FROM party_name_words_staged WHERE party_id IN (SELECT o.party_id FROM party_name_words o
				WHERE o.party_id >= (SELECT MIN(party_id) FROM party_name_words_staged))`,
			`DELETE FROM party_name_pairs_staged WHERE party_id IN (SELECT o.party_id FROM party_name_pairs o
				WHERE o.party_id >= (SELECT MIN(party_id) FROM party_name_pairs_staged))`)
	})
	if err != nil {
		return err
	}
	if s.db.Dialect() == db.SQLite {
		if err := s.db.DeferIndexes(ctx, nameIndexesByParty...); err != nil {
			return err
		}
	}
	err = s.db.WithSortTx(ctx, db.SkipForeignKeys, func(tx *db.Tx) error {
		return execAll(ctx, tx,
			`INSERT INTO party_name_words (word, party_id, agency_id, terms, sort_name)
				SELECT g.word, g.party_id, g.agency_id, g.terms, g.sort_name FROM party_name_words_staged g
				JOIN parties p ON p.id = g.party_id AND p.agency_id = g.agency_id AND p.sort_name = g.sort_name
				WHERE TRUE ORDER BY g.word, g.agency_id, g.party_id
				ON CONFLICT DO NOTHING`,
			`INSERT INTO party_name_pairs (word, other, party_id, terms, sort_name)
				SELECT g.word, g.other, g.party_id, g.terms, g.sort_name FROM party_name_pairs_staged g
				JOIN parties p ON p.id = g.party_id AND p.sort_name = g.sort_name
				WHERE TRUE ORDER BY g.word, g.other, g.party_id
				ON CONFLICT DO NOTHING`,
			"DELETE FROM party_name_words_staged",
			"DELETE FROM party_name_pairs_staged")
	})
	return errors.Join(err, s.db.RestoreIndexes(context.WithoutCancel(ctx)))
}

// execAll runs the statements in tx, in order.
func execAll(ctx context.Context, tx *db.Tx, statements ...string) error {
	for _, q := range statements {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("merge staged name index rows: %w", err)
		}
	}
	return nil
}
