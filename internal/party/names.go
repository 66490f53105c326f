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
	match := "terms : (" + strings.Join(terms, " AND ") + ")"
	if units := scopeTokens(scope); units != nil {
		match += " AND unit : (" + strings.Join(units, " OR ") + ")"
	}
	// CROSS JOIN keeps the full-text match as the outer loop.
	return " FROM party_fts f CROSS JOIN parties p ON p.seq = f.rowid",
		" AND party_fts MATCH ?", []any{match}, true
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
