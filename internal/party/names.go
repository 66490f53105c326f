package party

import (
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// nameQuery returns the FROM clause and condition that keep the parties p
// whose names contain, for every folded word of text, a word starting with
// it, using the name index: FTS5 on SQLite, the tsvector on PostgreSQL.
// ok is false when text holds no word.
func nameQuery(d db.Dialect, text string, scope core.Scope) (from, cond string, args []any, ok bool) {
	words := strings.Fields(Fold(text))
	if len(words) == 0 {
		return "", "", nil, false
	}
	if d == db.Postgres {
		return pgNameQuery(words)
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
	}
	match := "terms : (" + strings.Join(terms, " AND ") + ")"
	if units := scopeTokens(scope); units != nil {
		match += " AND unit : (" + strings.Join(units, " OR ") + ")"
	}
	// CROSS JOIN keeps the full-text match as the outer loop.
	return " FROM party_fts f CROSS JOIN parties p ON p.seq = f.rowid",
		" AND party_fts MATCH ?", []any{match}, true
}

// shortPrefix is the length under which a word's prefix matches too large a
// share of the names to be worth looking up in PostgreSQL's GIN index.
const shortPrefix = 3

// pgNameQuery matches every word as a prefix on the tsvector. A GIN index
// builds the whole list of rows a prefix matches before intersecting, so
// short words ("le" in "le goff", "m" in "dupont m") are not looked up in
// it when a longer word is there: they are checked on the rows the longer
// words found, through an expression (the tsvector concatenated with an
// empty one) the planner cannot serve from the index.
func pgNameQuery(words []string) (from, cond string, args []any, ok bool) {
	var long, short []string
	for _, w := range words {
		term := w + ":*" // folded words hold only letters and digits
		if len([]rune(w)) < shortPrefix {
			short = append(short, term)
		} else {
			long = append(long, term)
		}
	}
	if len(long) == 0 {
		long, short = short, nil
	}
	cond = " AND p.search_vec @@ to_tsquery('simple', ?)"
	args = []any{strings.Join(long, " & ")}
	if len(short) > 0 {
		cond += " AND (p.search_vec || ''::tsvector) @@ to_tsquery('simple', ?)"
		args = append(args, strings.Join(short, " & "))
	}
	return " FROM parties p", cond, args, true
}

// maxScopeTokens bounds the agencies a name search filters inside FTS5;
// wider scopes are filtered by the SQL scope condition alone.
const maxScopeTokens = 64

// scopeTokens returns the FTS5 unit tokens of a limited scope, or nil for
// the whole organisation or a scope too wide to be worth it. The SQL scope
// filter still applies after it: the tokens only make the search fast.
func scopeTokens(scope core.Scope) []string {
	if scope.All || len(scope.UnitIDs) == 0 || len(scope.UnitIDs) > maxScopeTokens {
		return nil
	}
	out := make([]string, len(scope.UnitIDs))
	for i, id := range scope.UnitIDs {
		out[i] = unitToken(id)
	}
	return out
}

// unitToken is the FTS5 token of an agency: 'u' and its ID without dashes,
// one word for the unicode61 tokenizer.
func unitToken(unitID string) string { return "u" + strings.ReplaceAll(unitID, "-", "") }
