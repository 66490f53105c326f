package db

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEngineBlocksKeepEachEngineItsOwnLines(t *testing.T) {
	src := `-- +goose Up
CREATE TABLE t (
-- +rapport sqlite
    seq INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE,
-- +rapport postgres
    id  TEXT PRIMARY KEY,
-- +rapport end
    content
    -- +rapport sqlite
        BLOB
    -- +rapport postgres
        BYTEA
    -- +rapport end
);
`
	cases := []struct {
		dialect Dialect
		want    string
	}{
		{SQLite, "-- +goose Up\nCREATE TABLE t (\n    seq INTEGER PRIMARY KEY,\n    id  TEXT NOT NULL UNIQUE,\n    content\n        BLOB\n);\n"},
		{Postgres, "-- +goose Up\nCREATE TABLE t (\n    id  TEXT PRIMARY KEY,\n    content\n        BYTEA\n);\n"},
	}
	for _, c := range cases {
		got, err := renderBlocks(src, c.dialect)
		if err != nil {
			t.Fatalf("%s: %v", c.dialect, err)
		}
		if got != c.want {
			t.Errorf("%s rendered\n%s\nwant\n%s", c.dialect, got, c.want)
		}
	}
}

func TestMalformedEngineBlocksAreRefusedWithTheirLine(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown engine", "SELECT 1;\n-- +rapport mysql\nSELECT 2;\n-- +rapport end\n", "line 2"},
		{"end outside a block", "SELECT 1;\n-- +rapport end\n", "line 2"},
		{"block left open", "-- +rapport sqlite\nSELECT 1;\n", "not closed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := renderBlocks(c.src, SQLite)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want one naming %q", err, c.want)
			}
		})
	}
}

func TestAnEngineFileReplacesTheCommonFileOfItsVersion(t *testing.T) {
	src := fstest.MapFS{
		"common/00001_first.sql":    {Data: []byte("-- common 1\n")},
		"common/00002_second.sql":   {Data: []byte("-- common 2\n")},
		"postgres/00002_second.sql": {Data: []byte("-- postgres 2\n")},
		"postgres/00003_third.sql":  {Data: []byte("-- postgres 3\n")},
		"sqlite/00003_third.sql":    {Data: []byte("-- sqlite 3\n")},
		"sqlite/README.md":          {Data: []byte("not a migration")},
	}
	want := map[Dialect]map[string]string{
		SQLite:   {"00001_first.sql": "-- common 1\n", "00002_second.sql": "-- common 2\n", "00003_third.sql": "-- sqlite 3\n"},
		Postgres: {"00001_first.sql": "-- common 1\n", "00002_second.sql": "-- postgres 2\n", "00003_third.sql": "-- postgres 3\n"},
	}
	for dialect, files := range want {
		set, err := renderMigrations(src, dialect)
		if err != nil {
			t.Fatalf("%s: %v", dialect, err)
		}
		names, _ := fs.Glob(set, "*.sql")
		if !slices.Equal(names, []string{"00001_first.sql", "00002_second.sql", "00003_third.sql"}) {
			t.Errorf("%s: files %v", dialect, names)
		}
		for name, text := range files {
			got, err := fs.ReadFile(set, name)
			if err != nil || string(got) != text {
				t.Errorf("%s %s = %q, %v; want %q", dialect, name, got, err, text)
			}
		}
	}
}

func TestTwoFilesOfOneVersionInOneFolderAreRefused(t *testing.T) {
	src := fstest.MapFS{
		"common/00001_first.sql": {Data: []byte("SELECT 1;\n")},
		"common/00001_other.sql": {Data: []byte("SELECT 2;\n")},
	}
	if _, err := renderMigrations(src, SQLite); err == nil || !strings.Contains(err.Error(), "share version 1") {
		t.Fatalf("error = %v, want the shared version named", err)
	}
}

func TestBothEnginesHaveTheSameMigrationVersions(t *testing.T) {
	lite, err := MigrationVersions(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := MigrationVersions(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("SQLite migrations %v, PostgreSQL %v: every version needs a file for each engine (or one in common)", lite, pg)
	}
}
