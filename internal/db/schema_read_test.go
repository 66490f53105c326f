package db_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
)

// schema is what the comparison of the engines' schemas looks at, by table.
type schema map[string]*table

// table is one table's shape in engine-neutral terms.
type table struct {
	columns     map[string]column
	primaryKey  string   // its columns, comma-separated
	uniques     []string // UNIQUE constraints' columns, sorted
	foreignKeys []string // "columns -> table(columns) on delete ACTION", sorted
	checks      int      // CHECK constraints
	indexes     map[string]index
}

// column is a column's type family, nullability and whether it has a default.
type column struct {
	family     string
	notNull    bool
	hasDefault bool
}

// index is an index made by CREATE INDEX (not one behind a constraint).
type index struct {
	columns string
	unique  bool
	partial bool
}

func (c column) String() string {
	return fmt.Sprintf("%s notnull=%t default=%t", c.family, c.notNull, c.hasDefault)
}

func (i index) String() string {
	return fmt.Sprintf("(%s) unique=%t partial=%t", i.columns, i.unique, i.partial)
}

// families maps each engine's type names to one family: a column must be of
// the same family on both engines.
var families = map[string]string{
	"text": "text", "character varying": "text", "varchar": "text",
	"integer": "integer", "int": "integer", "int4": "integer",
	"bigint": "bigint", "int8": "bigint",
	"boolean": "boolean", "bool": "boolean",
	"blob": "bytes", "bytea": "bytes",
	"real": "float", "double precision": "float", "double": "float", "float8": "float",
	"tsvector": "tsvector",
}

func family(typ string) string {
	if f, ok := families[strings.ToLower(strings.TrimSpace(typ))]; ok {
		return f
	}
	return "unknown type " + typ
}

func (s schema) table(name string) *table {
	if s[name] == nil {
		s[name] = &table{columns: map[string]column{}, indexes: map[string]index{}}
	}
	return s[name]
}

// queryEach runs query on d and calls scan on every row.
func queryEach(t *testing.T, d *db.DB, query string, args []any, scan func(scan func(...any))) {
	t.Helper()
	rows, err := d.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		scan(func(dest ...any) {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var checkWord = regexp.MustCompile(`(?i)\bCHECK\s*\(`)

// readSQLite reads the schema of a SQLite database from its catalogue.
func readSQLite(t *testing.T, d *db.DB) schema {
	t.Helper()
	s := schema{}
	queryEach(t, d, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", nil, func(scan func(...any)) {
		var name, sql string
		scan(&name, &sql)
		s.table(name).checks = len(checkWord.FindAllString(sql, -1))
	})
	for name, tb := range s {
		var pk []string
		queryEach(t, d, `SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?) ORDER BY pk, cid`, []any{name}, func(scan func(...any)) {
			var col, typ string
			var notNull, hasDefault bool
			var pkPos int
			scan(&col, &typ, &notNull, &hasDefault, &pkPos)
			tb.columns[col] = column{family: family(typ), notNull: notNull, hasDefault: hasDefault}
			if pkPos > 0 {
				pk = append(pk, col)
			}
		})
		tb.primaryKey = strings.Join(pk, ",")
		type listed struct {
			name, origin    string
			unique, partial bool
		}
		var indexes []listed
		queryEach(t, d, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, []any{name}, func(scan func(...any)) {
			var l listed
			scan(&l.name, &l.unique, &l.origin, &l.partial)
			indexes = append(indexes, l)
		})
		for _, l := range indexes {
			var cols []string
			queryEach(t, d, "SELECT COALESCE(name, 'expression') FROM pragma_index_info(?) ORDER BY seqno", []any{l.name}, func(scan func(...any)) {
				var c string
				scan(&c)
				cols = append(cols, c)
			})
			switch l.origin {
			case "u":
				tb.uniques = append(tb.uniques, strings.Join(cols, ","))
			case "c":
				tb.indexes[l.name] = index{columns: strings.Join(cols, ","), unique: l.unique, partial: l.partial}
			}
		}
		fks := map[int]*[3]string{} // id → from columns, to table, to columns
		actions := map[int]string{}
		var ids []int
		queryEach(t, d, `SELECT id, "table", "from", COALESCE("to", ''), on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, []any{name}, func(scan func(...any)) {
			var id int
			var to, from, toCol, onDelete string
			scan(&id, &to, &from, &toCol, &onDelete)
			if fks[id] == nil {
				fks[id] = &[3]string{"", to, ""}
				ids = append(ids, id)
			}
			fk := fks[id]
			fk[0] = strings.TrimPrefix(fk[0]+","+from, ",")
			fk[2] = strings.TrimPrefix(fk[2]+","+toCol, ",")
			actions[id] = strings.ToLower(onDelete)
		})
		for _, id := range ids {
			fk := fks[id]
			tb.foreignKeys = append(tb.foreignKeys, fmt.Sprintf("%s -> %s(%s) on delete %s", fk[0], fk[1], fk[2], actions[id]))
		}
		slices.Sort(tb.uniques)
		slices.Sort(tb.foreignKeys)
	}
	return s
}

// readPostgres reads the schema of the PostgreSQL database's current schema
// from its catalogue.
func readPostgres(t *testing.T, d *db.DB) schema {
	t.Helper()
	s := schema{}
	queryEach(t, d, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`, nil, func(scan func(...any)) {
		var name string
		scan(&name)
		s.table(name)
	})
	queryEach(t, d, `SELECT table_name, column_name, data_type, is_nullable = 'NO', column_default IS NOT NULL
		FROM information_schema.columns WHERE table_schema = current_schema()`, nil, func(scan func(...any)) {
		var tbl, col, typ string
		var notNull, hasDefault bool
		scan(&tbl, &col, &typ, &notNull, &hasDefault)
		if s[tbl] != nil {
			s[tbl].columns[col] = column{family: family(typ), notNull: notNull, hasDefault: hasDefault}
		}
	})
	// attnames lists the columns of a relation's attribute numbers, in order.
	const attnames = `array_to_string(ARRAY(SELECT COALESCE(a.attname, 'expression') FROM unnest(%s) WITH ORDINALITY k(n, o)
		LEFT JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.n ORDER BY k.o), ',')`
	queryEach(t, d, `SELECT t.relname, c.contype, `+fmt.Sprintf(attnames, "c.conkey", "c.conrelid")+`,
			COALESCE(f.relname, ''), `+fmt.Sprintf(attnames, "c.confkey", "c.confrelid")+`, c.confdeltype
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
		LEFT JOIN pg_class f ON f.oid = c.confrelid
		WHERE ns.nspname = current_schema()`, nil, func(scan func(...any)) {
		var tbl, kind, cols, to, toCols, onDelete string
		scan(&tbl, &kind, &cols, &to, &toCols, &onDelete)
		tb := s.table(tbl)
		switch kind {
		case "p":
			tb.primaryKey = cols
		case "u":
			tb.uniques = append(tb.uniques, cols)
		case "c":
			tb.checks++
		case "f":
			action := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}[onDelete]
			tb.foreignKeys = append(tb.foreignKeys, fmt.Sprintf("%s -> %s(%s) on delete %s", cols, to, toCols, action))
		}
	})
	queryEach(t, d, `SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL, `+fmt.Sprintf(attnames, "x.indkey::int2[]", "x.indrelid")+`
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c
			WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`, nil, func(scan func(...any)) {
		var tbl, name, cols string
		var ix index
		scan(&tbl, &name, &ix.unique, &ix.partial, &cols)
		ix.columns = cols
		s.table(tbl).indexes[name] = ix
	})
	for _, tb := range s {
		slices.Sort(tb.uniques)
		slices.Sort(tb.foreignKeys)
	}
	return s
}

// diff lists every difference between the schemas a (SQLite) and b
// (PostgreSQL), one line each, sorted.
func diff(a, b schema) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for name, ta := range a {
		tb := b[name]
		if tb == nil {
			add("table %s: only on SQLite", name)
			continue
		}
		for col, ca := range ta.columns {
			cb, ok := tb.columns[col]
			switch {
			case !ok:
				add("column %s.%s: only on SQLite", name, col)
			case ca != cb:
				add("column %s.%s: SQLite %s, PostgreSQL %s", name, col, ca, cb)
			}
		}
		for col := range tb.columns {
			if _, ok := ta.columns[col]; !ok {
				add("column %s.%s: only on PostgreSQL", name, col)
			}
		}
		if ta.primaryKey != tb.primaryKey {
			add("table %s: primary key (%s) on SQLite, (%s) on PostgreSQL", name, ta.primaryKey, tb.primaryKey)
		}
		if !slices.Equal(ta.uniques, tb.uniques) {
			add("table %s: unique constraints %q on SQLite, %q on PostgreSQL", name, ta.uniques, tb.uniques)
		}
		if !slices.Equal(ta.foreignKeys, tb.foreignKeys) {
			add("table %s: foreign keys %q on SQLite, %q on PostgreSQL", name, ta.foreignKeys, tb.foreignKeys)
		}
		if ta.checks != tb.checks {
			add("table %s: %d CHECK constraints on SQLite, %d on PostgreSQL", name, ta.checks, tb.checks)
		}
		for ix, ia := range ta.indexes {
			ib, ok := tb.indexes[ix]
			switch {
			case !ok:
				add("index %s on %s: only on SQLite", ix, name)
			case ia != ib:
				add("index %s on %s: SQLite %s, PostgreSQL %s", ix, name, ia, ib)
			}
		}
		for ix := range tb.indexes {
			if _, ok := ta.indexes[ix]; !ok {
				add("index %s on %s: only on PostgreSQL", ix, name)
			}
		}
	}
	for name := range b {
		if a[name] == nil {
			add("table %s: only on PostgreSQL", name)
		}
	}
	slices.Sort(out)
	return out
}
