package party

import (
	"strings"

	"github.com/rapport-crm/rapport/internal/db"
)

// nameQuery returns the FROM clause and condition that keep the parties p
// whose names contain, for every folded word of text, a word starting with
// it, using the name index: FTS5 on SQLite, the tsvector on PostgreSQL.
// ok is false when text holds no word.
func nameQuery(d db.Dialect, text string) (from, cond string, args []any, ok bool) {
	words := strings.Fields(Fold(text))
	if len(words) == 0 {
		return "", "", nil, false
	}
	if d == db.Postgres {
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = w + ":*" // folded words hold only letters and digits
		}
		return " FROM parties p", " AND p.search_vec @@ to_tsquery('simple', ?)", []any{strings.Join(terms, " & ")}, true
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
	}
	// CROSS JOIN keeps the full-text match as the outer loop.
	return " FROM party_fts f CROSS JOIN parties p ON p.seq = f.rowid",
		" AND party_fts MATCH ?", []any{strings.Join(terms, " AND ")}, true
}
