package party

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// A large import stages its name index rows and merges them at its end
// (SQLite; PostgreSQL writes them in place); a party it updates on a later
// line (its client number seen twice) is indexed under its final name
// only, whether the update changed the name or only an email.
func TestAStagedImportKeepsTheNamesOfPartiesItUpdatesOnLaterLines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		const n = 11_000
		csv := bulkCSV(n) +
			"person,client,3000000000,Zéphyrin,Quatremer,A-NICE,p0@example.fr,06 00000000\n" + // renamed
			"person,client,3000000001,Jean,Le Goff,A-NICE,new1@example.fr,06 00000001\n" // same name, new email
		var rejects strings.Builder
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(csv), "csv", &rejects, nil)
		if err != nil || res != (ImportResult{Read: n + 2, Inserted: n, Updated: 2}) {
			t.Fatalf("import = %+v, %v\n%.500s", res, err, rejects.String())
		}
		renamed := searchNumbers(t, s, o.admin(), "zephyrin quatremer")
		if len(renamed) != 1 || renamed[0] != "3000000000" {
			t.Errorf("search of the new name = %v, want the renamed party", renamed)
		}
		for number, want := range map[string]string{"3000000000": "quatremer zephyrin", "3000000001": "goff jean le"} {
			if got := indexedWords(t, d, number); got != want {
				t.Errorf("party %s indexed under %q, want %q", number, got, want)
			}
		}
		sameNameWords(t, d)
		var staged int
		if err := d.QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM party_name_words_staged) + (SELECT COUNT(*) FROM party_name_pairs_staged)").Scan(&staged); err != nil || staged != 0 {
			t.Errorf("%d rows still staged (%v)", staged, err)
		}
	})
}

// Rows an import left staged when it was stopped (a crash) are merged at
// the next start; a staged row that no longer describes its party (its
// names changed since) is dropped.
func TestNameRowsLeftStagedAreMergedAtStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.admin(), helene())
		for _, q := range []string{
			"INSERT INTO party_name_words_staged SELECT word, party_id, agency_id, terms, sort_name FROM party_name_words",
			"INSERT INTO party_name_pairs_staged SELECT word, other, party_id, terms, sort_name FROM party_name_pairs",
			"DELETE FROM party_name_words", "DELETE FROM party_name_pairs",
			"INSERT INTO party_name_words_staged SELECT 'ancien', party_id, agency_id, terms, 'ancien nom' FROM party_name_words_staged",
		} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if got := searchNumbers(t, s, o.admin(), "helene dupre"); len(got) != 0 {
			t.Fatalf("found by a name not merged yet: %v", got)
		}
		if err := s.MergeStagedNames(ctx); err != nil {
			t.Fatal(err)
		}
		if got := searchNumbers(t, s, o.admin(), "helene dupre"); len(got) != 1 || got[0] != p.ClientNumber {
			t.Errorf("after the merge, search = %v, want %s", got, p.ClientNumber)
		}
		if got := searchNumbers(t, s, o.admin(), "ancien"); len(got) != 0 {
			t.Errorf("a stale staged word was merged: %v", got)
		}
		for _, name := range nameIndexesByParty {
			if !indexExists(t, d, name) {
				t.Errorf("index %s not there after the merge", name)
			}
		}
		sameNameWords(t, d)
	})
}

// indexedWords returns the words party_name_words holds for the party of
// a client number, sorted and space-separated.
func indexedWords(t *testing.T, d *db.DB, number string) string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT w.word FROM party_name_words w JOIN parties p ON p.id = w.party_id
		WHERE p.client_number = ? ORDER BY w.word`, number)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// searchNumbers returns the client numbers of the quick search's hits.
func searchNumbers(t *testing.T, s *Store, actor *core.Actor, q string) []string {
	t.Helper()
	hits, err := s.QuickSearch(context.Background(), actor, q, 0)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.ClientNumber)
	}
	return out
}
