package db_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// knownDifferences are the ways the engines' schemas differ on purpose. Each
// is removed from the schema that has it before the two are compared, so
// that any other difference fails TestBothEnginesMigrateToTheSameSchema; a
// known difference that is no longer there fails it too, to keep this list
// true.
var knownDifferences = []struct {
	why    string
	remove func(t *testing.T, lite, pg schema)
}{
	{
		why: "bookkeeping: goose's version table differs by engine (goose's own DDL), and PostgreSQL has " +
			"goose's migration lock table (SQLite's migration lock is a file beside the database)",
		remove: func(t *testing.T, lite, pg schema) {
			dropTable(t, lite, "goose_db_version")
			dropTable(t, pg, "goose_db_version", "goose_lock")
		},
	},
	{
		why: "parties.seq is SQLite's INTEGER PRIMARY KEY, its rowid kept stable (the bench and older name indexes used it); there the id " +
			"is NOT NULL UNIQUE, on PostgreSQL it is the primary key",
		remove: func(t *testing.T, lite, pg schema) {
			dropColumn(t, lite, "parties", "seq")
			p := lite["parties"]
			if p == nil || p.primaryKey != "seq" || !contains(p.uniques, "id") {
				t.Errorf("known difference gone: SQLite's parties keyed by seq with a unique id")
				return
			}
			p.primaryKey = "id"
			p.uniques = remove(p.uniques, "id")
		},
	},
	{
		why: "SQLite lets a primary-key column other than an INTEGER PRIMARY KEY hold NULL unless it is " +
			"declared NOT NULL; PostgreSQL never does. The application always gives the key, so both are " +
			"compared as NOT NULL",
		remove: func(t *testing.T, lite, pg schema) {
			for _, tb := range lite {
				for _, col := range strings.Split(tb.primaryKey, ",") {
					if c, ok := tb.columns[col]; ok {
						c.notNull = true
						tb.columns[col] = c
					}
				}
			}
		},
	},
	// Not compared at all: collations (parties.sort_name is COLLATE "C" on
	// PostgreSQL, byte order like SQLite's default) and the text of
	// defaults and CHECK conditions (only their presence and number).
}

func TestBothEnginesMigrateToTheSameSchema(t *testing.T) {
	lite := readSQLite(t, dbtest.SQLite(t))
	pg := readPostgres(t, dbtest.Postgres(t)) // skipped without RAPPORT_TEST_POSTGRES
	for _, k := range knownDifferences {
		k.remove(t, lite, pg)
	}
	if len(lite) < 20 {
		t.Fatalf("SQLite schema holds %d tables: is the catalogue read right?", len(lite))
	}
	for _, d := range diff(lite, pg) {
		t.Error(d)
	}
}

func TestTheSchemaComparisonSeesADrift(t *testing.T) {
	lite := readSQLite(t, dbtest.SQLite(t))
	same := readSQLite(t, dbtest.SQLite(t))
	if d := diff(lite, same); len(d) > 0 {
		t.Fatalf("two SQLite databases differ: %q", d)
	}
	c := same["interactions"].columns["duration_seconds"]
	c.family = "bigint"
	same["interactions"].columns["duration_seconds"] = c
	ix := same["interaction_attachments"].indexes["interaction_attachments_kept"]
	ix.partial = false
	same["interaction_attachments"].indexes["interaction_attachments_kept"] = ix
	same["reports"].uniques = nil
	same["parties"].foreignKeys = same["parties"].foreignKeys[1:]
	same["units"].checks--
	if got := len(diff(lite, same)); got != 5 {
		t.Fatalf("%d differences seen, want 5: %q", got, diff(lite, same))
	}
}

func dropTable(t *testing.T, s schema, names ...string) {
	t.Helper()
	for _, name := range names {
		if s[name] == nil {
			t.Errorf("known difference gone: no table %s", name)
		}
		delete(s, name)
	}
}

func dropColumn(t *testing.T, s schema, table, col string) {
	t.Helper()
	if s[table] == nil {
		t.Errorf("known difference gone: no table %s", table)
		return
	}
	if _, ok := s[table].columns[col]; !ok {
		t.Errorf("known difference gone: no column %s.%s", table, col)
	}
	delete(s[table].columns, col)
}

func dropIndex(t *testing.T, s schema, table, name string) {
	t.Helper()
	if s[table] == nil {
		t.Errorf("known difference gone: no table %s", table)
		return
	}
	if _, ok := s[table].indexes[name]; !ok {
		t.Errorf("known difference gone: no index %s", name)
	}
	delete(s[table].indexes, name)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func remove(list []string, v string) []string {
	var out []string
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
