package party

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// ftsIndex is SQLite's name index: the FTS5 table party_fts, whose rowid is
// parties.seq, with the folded names in terms and the agency's token in
// unit, so a scoped search intersects the name and agency posting lists
// inside FTS5 instead of reading every name match's row to test its agency.
type ftsIndex struct{}

func (ftsIndex) rowColumn() (column, value string) { return "", "" }

func (ftsIndex) added(ctx context.Context, q db.Querier, ps []*Party) error {
	fts := make([][]any, len(ps))
	for i, p := range ps {
		fts[i] = []any{p.ID, searchTerms(p.FirstName, p.LastName, p.Name), unitToken(p.AgencyID)}
	}
	if err := db.InsertMany(ctx, q, "INSERT INTO party_fts (rowid, terms, unit) VALUES ",
		"((SELECT seq FROM parties WHERE id = ?), ?, ?)", fts); err != nil {
		return fmt.Errorf("index party names: %w", err)
	}
	return nil
}

func (ftsIndex) changed(ctx context.Context, q db.Querier, old, p *Party) error {
	terms := searchTerms(p.FirstName, p.LastName, p.Name)
	if terms == searchTerms(old.FirstName, old.LastName, old.Name) && p.AgencyID == old.AgencyID {
		return nil
	}
	if _, err := q.Exec(ctx, "DELETE FROM party_fts WHERE rowid = (SELECT seq FROM parties WHERE id = ?)", p.ID); err != nil {
		return fmt.Errorf("unindex party %s: %w", p.ID, err)
	}
	if _, err := q.Exec(ctx, "INSERT INTO party_fts (rowid, terms, unit) SELECT seq, ?, ? FROM parties WHERE id = ?", terms, unitToken(p.AgencyID), p.ID); err != nil {
		return fmt.Errorf("index party %s: %w", p.ID, err)
	}
	return nil
}

func (ftsIndex) nameQuery(text string, scope core.Scope) (from, cond string, args []any, ok bool) {
	words := strings.Fields(Fold(text))
	if len(words) == 0 {
		return "", "", nil, false
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

// drivingJoin is CROSS JOIN, which SQLite's planner never reorders: without
// statistics it may otherwise start from the agency index of a scoped query
// and scan a whole agency.
func (ftsIndex) drivingJoin() string { return "CROSS JOIN" }

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
