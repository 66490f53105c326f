package party

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// bulkCSV returns a CSV of n parties whose names mix accents, short words,
// repeated words, digits and non-Latin letters, each with an email and a phone.
func bulkCSV(n int) string {
	names := [][2]string{{"Hélène", "Dupré"}, {"Jean", "Le Goff"}, {"Anne Marie", "Anne"}, {"Zoé", "O'Neill"},
		{"Li", "李"}, {"Ωmega", "Σtavros"}, {"Jean-Paul", "2 Pac"}, {"Ærø", "Straße"}, {"Ğül", "Şahin"}}
	var b strings.Builder
	b.WriteString("kind,status,client_number,first_name,last_name,agency_code,email,phone\n")
	for i := range n {
		nm := names[i%len(names)]
		fmt.Fprintf(&b, "person,client,%010d,%s,%s,A-NICE,p%d@example.fr,06 %08d\n", 3_000_000_000+i, nm[0], nm[1], i, i)
	}
	return b.String()
}

func TestLargeImportDefersIndexesAndFindsEveryParty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		s.deferAfter = 10 // defer after the first batch, as a large import does after 100,000 parties
		const n = 12_000
		var rejects strings.Builder
		var steps []Step
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(bulkCSV(n)), "csv", &rejects,
			func(st Step) { steps = append(steps, st) })
		if err != nil || res != (ImportResult{Read: n, Inserted: n}) {
			t.Fatalf("import = %+v, %v\n%.500s", res, err, rejects.String())
		}
		// Whoever waits is told the rows, then what the end does.
		var phases []Phase
		for i, st := range steps {
			if st.Phase == "" && (len(phases) > 0 || (i > 0 && st.Rows < steps[i-1].Rows)) {
				t.Fatalf("steps = %+v: rows told after a phase, or going back", steps)
			}
			if st.Phase != "" {
				phases = append(phases, st.Phase)
			}
		}
		want := []Phase{PhaseIndexes}
		if d.Dialect() == db.Postgres {
			want = append(want, PhaseStatistics)
		}
		if fmt.Sprint(phases) != fmt.Sprint(want) || steps[len(steps)-1].Rows != n {
			t.Fatalf("phases = %v after %d rows, want %v after %d", phases, steps[len(steps)-1].Rows, want, n)
		}
		var waiting int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&waiting); err != nil || waiting != 0 {
			t.Fatalf("%d indexes still deferred (%v)", waiting, err)
		}
		for _, name := range []string{"party_emails_address", "party_phones_number", "parties_sort"} {
			if !indexExists(t, d, name) {
				t.Errorf("index %s not built again", name)
			}
		}
		for _, q := range []string{"p11999@example.fr", "helene dupre", "ωmega σtavros", "straße", "le goff", "3000011998"} {
			if hits, err := s.QuickSearch(ctx, o.admin(), q, 0); err != nil || len(hits) == 0 {
				t.Errorf("search %q: %d hits, %v", q, len(hits), err)
			}
		}
		sameNameWords(t, d)
		// The import's connection enforces foreign keys again afterwards.
		_, err = d.Exec(ctx, "INSERT INTO party_emails (id, party_id, address, kind) VALUES (?, ?, ?, ?)",
			core.NewID(), core.NewID(), "nobody@example.fr", "personal")
		if !db.IsForeignKeyViolation(err) {
			t.Errorf("an email of no party after the import: %v, want a foreign key failure", err)
		}
	})
}

// sameNameWords checks that the bulk path wrote each party's name index
// rows as the row-by-row path does: one per distinct folded word, with the
// party's agency, and one per ordered pair of them.
func sameNameWords(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	all, err := d.Query(ctx, "SELECT id, agency_id, first_name, last_name, name FROM parties")
	if err != nil {
		t.Fatal(err)
	}
	want, wantPairs := map[string]int{}, map[string]int{}
	agency := map[string]string{}
	for all.Next() {
		var id, unit, first, last, name string
		if err := all.Scan(&id, &unit, &first, &last, &name); err != nil {
			t.Fatal(err)
		}
		k := len(nameWords(searchTerms(first, last, name)))
		want[id] = k
		if k > 1 {
			wantPairs[id] = k * (k - 1)
		}
		agency[id] = unit
	}
	all.Close()
	got := map[string]int{}
	rows, err := d.Query(ctx, "SELECT party_id, agency_id FROM party_name_words")
	if err != nil {
		t.Fatal(err)
	}
	wrongAgency := 0
	for rows.Next() {
		var id, unit string
		if err := rows.Scan(&id, &unit); err != nil {
			t.Fatal(err)
		}
		got[id]++
		if agency[id] != unit {
			wrongAgency++
		}
	}
	rows.Close()
	differ := 0
	for id, n := range want {
		if got[id] != n {
			differ++
		}
	}
	if differ != 0 || wrongAgency != 0 || len(got) != len(want) {
		t.Errorf("name index: %d of %d parties with the wrong number of words, %d rows of the wrong agency, %d parties indexed",
			differ, len(want), wrongAgency, len(got))
	}
	gotPairs := map[string]int{}
	rows, err = d.Query(ctx, "SELECT party_id FROM party_name_pairs")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		gotPairs[id]++
	}
	rows.Close()
	if !maps.Equal(gotPairs, wantPairs) {
		t.Errorf("name pairs: %d parties with pairs, want %d", len(gotPairs), len(wantPairs))
	}
}

func indexExists(t *testing.T, d *db.DB, name string) bool {
	t.Helper()
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?"
	if d.Dialect() == db.Postgres {
		q = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ? AND schemaname = current_schema()"
	}
	var n int
	if err := d.QueryRow(context.Background(), q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}
