package db

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// The migrations are written once in migrations/common, for both engines.
// A statement or a line that differs between the engines sits in a block
// marked for its engine:
//
//	-- +rapport postgres
//	    sort_name TEXT COLLATE "C" NOT NULL,
//	-- +rapport sqlite
//	    sort_name TEXT NOT NULL,
//	-- +rapport end
//
// A block runs from "-- +rapport ENGINE" to the next marker: "-- +rapport
// end" closes it, another engine's marker starts that engine's block. The
// lines of the other engine's blocks and the markers themselves are left out
// of what goose reads. A file migrations/ENGINE/NNNNN_name.sql replaces the
// common file of the same version on that engine (a step written for one
// engine only, or a pair written before it was folded into common), and is
// rendered the same way.

// markerPrefix starts an engine block marker line.
const markerPrefix = "-- +rapport"

// renderMigrations returns the migrations of dialect in src (the embedded
// migrations directory) as goose reads them: the common files with the other
// engine's blocks left out, each replaced by the engine's own file of the
// same version if there is one.
func renderMigrations(src fs.FS, dialect Dialect) (renderedFS, error) {
	common, err := readMigrations(src, "common")
	if err != nil {
		return nil, err
	}
	own, err := readMigrations(src, string(dialect))
	if err != nil {
		return nil, err
	}
	chosen := map[int64]string{}
	for v, name := range common {
		chosen[v] = "common/" + name
	}
	for v, name := range own {
		chosen[v] = string(dialect) + "/" + name
	}
	out := renderedFS{}
	for _, file := range chosen {
		raw, err := fs.ReadFile(src, file)
		if err != nil {
			return nil, err
		}
		text, err := renderBlocks(string(raw), dialect)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", file, err)
		}
		out[path.Base(file)] = []byte(text)
	}
	return out, nil
}

// readMigrations returns the .sql files of dir by version; a missing
// directory holds none.
func readMigrations(src fs.FS, dir string) (map[int64]string, error) {
	entries, err := fs.ReadDir(src, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		v, err := goose.NumericComponent(e.Name())
		if err != nil {
			return nil, fmt.Errorf("migration %s/%s: %w", dir, e.Name(), err)
		}
		if other, ok := out[v]; ok {
			return nil, fmt.Errorf("migrations %s and %s in %s share version %d", other, e.Name(), dir, v)
		}
		out[v] = e.Name()
	}
	return out, nil
}

// renderBlocks keeps the lines of sql that apply to dialect: those outside
// any engine block and those inside dialect's blocks.
func renderBlocks(sql string, dialect Dialect) (string, error) {
	var b strings.Builder
	block := Dialect("") // the engine of the block being read, "" outside
	sc := bufio.NewScanner(strings.NewReader(sql))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), markerPrefix); ok {
			switch word := strings.TrimSpace(rest); Dialect(word) {
			case SQLite, Postgres:
				block = Dialect(word)
			case "end":
				if block == "" {
					return "", fmt.Errorf("line %d: %q outside an engine block", n, line)
				}
				block = ""
			default:
				return "", fmt.Errorf("line %d: %q: want %s sqlite, postgres or end", n, line, markerPrefix)
			}
			continue
		}
		if block == "" || block == dialect {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if block != "" {
		return "", fmt.Errorf("the %s block is not closed by %s end", block, markerPrefix)
	}
	return b.String(), nil
}

// MigrationVersions returns the versions of dialect's migrations, in order.
func MigrationVersions(dialect Dialect) ([]int64, error) {
	set, err := renderMigrations(embedded(), dialect)
	if err != nil {
		return nil, err
	}
	var out []int64
	for name := range set {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// embedded returns the migrations directory embedded in the binary.
func embedded() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// renderedFS is a flat in-memory directory of rendered migrations, the
// file system goose reads them from.
type renderedFS map[string][]byte

// Open opens the rendered file name.
func (r renderedFS) Open(name string) (fs.File, error) {
	data, ok := r[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &renderedFile{name: name, Reader: bytes.NewReader(data)}, nil
}

// Glob returns the names of the rendered files that match pattern.
func (r renderedFS) Glob(pattern string) ([]string, error) {
	var out []string
	for name := range r {
		ok, err := path.Match(pattern, name)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// renderedFile is an open rendered migration.
type renderedFile struct {
	*bytes.Reader
	name string
}

// A renderedFile is its own fs.FileInfo.
func (f *renderedFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *renderedFile) Close() error               { return nil }
func (f *renderedFile) Name() string               { return f.name }
func (f *renderedFile) Mode() fs.FileMode          { return 0o444 }
func (f *renderedFile) ModTime() time.Time         { return time.Time{} }
func (f *renderedFile) IsDir() bool                { return false }
func (f *renderedFile) Sys() any                   { return nil }

var _ fs.GlobFS = renderedFS(nil)
