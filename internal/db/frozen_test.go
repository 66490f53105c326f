package db

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// frozen holds, per engine and version, a digest of the SQL of every
// migration a released database may have applied. goose records versions,
// not contents, so a change to one of these would never reach those
// databases: fixing a schema takes a new migration. The digest ignores
// comments and spacing, so a migration can be documented, reformatted or
// folded from an engine pair into common freely. Add a version here once it
// has shipped.
//
// Versions 1 to 7 were taken from the engine folders before they were folded
// into common: the rendered files match them statement for statement.
var frozen = map[Dialect]map[int64]string{
	SQLite: {
		1: "ac7e0f53d7a7c15d",
		2: "22aa89799a97d574",
		3: "f41a21dfced4cd9d",
		4: "94273b7e4aa737ab",
		5: "d4d644f77ce9b84f",
		6: "8282c53ea5dcc73e",
		7: "716c239c28b7909f",
	},
	Postgres: {
		1: "7694cab2899951e9",
		2: "22aa89799a97d574",
		3: "b819587db421ba15",
		4: "94273b7e4aa737ab",
		5: "c347187e30be926a",
		6: "8282c53ea5dcc73e",
		7: "716c239c28b7909f",
	},
}

func TestShippedMigrationsAreNeverRewritten(t *testing.T) {
	for dialect, versions := range frozen {
		set, err := renderMigrations(embedded(), dialect)
		if err != nil {
			t.Fatal(err)
		}
		byVersion := map[int64]string{}
		for name, text := range set {
			var v int64
			if _, err := fmt.Sscanf(name, "%d_", &v); err != nil {
				t.Fatal(err)
			}
			byVersion[v] = digest(string(text))
		}
		var now []string
		for v, d := range byVersion {
			now = append(now, fmt.Sprintf("%d: %q,", v, d))
		}
		slices.Sort(now)
		for v, want := range versions {
			if got := byVersion[v]; got != want {
				t.Errorf("%s migration %d changed (digest %s, shipped %s): write a new migration instead; digests now:\n%s",
					dialect, v, got, want, strings.Join(now, "\n"))
			}
		}
	}
}

// digest is a short hash of sql's statements without comments or spacing
// (the space before a comma included).
func digest(sql string) string {
	var words []string
	for _, line := range strings.Split(sql, "\n") {
		if i := commentStart(line); i >= 0 {
			line = line[:i]
		}
		words = append(words, strings.Fields(line)...)
	}
	text := strings.ReplaceAll(strings.Join(words, " "), " ,", ",")
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:8])
}

// commentStart returns where a -- comment starts in line outside quotes, or
// -1; goose's annotations (-- +goose Up) are kept, as they change what runs.
func commentStart(line string) int {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\'':
			quoted = !quoted
		case !quoted && strings.HasPrefix(line[i:], "--") && !strings.HasPrefix(line[i:], "-- +goose"):
			return i
		}
	}
	return -1
}
