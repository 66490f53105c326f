package party

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// tsvectorIndex is PostgreSQL's name index: the search_vec column of parties
// (the folded names under the 'simple' configuration, so both engines match
// the same way without the unaccent extension) with a GIN index. PostgreSQL
// combines it with the agency index by itself.
type tsvectorIndex struct{}

func (tsvectorIndex) rowColumn() (column, value string) {
	return "search_vec", "to_tsvector('simple', ?)"
}

func (tsvectorIndex) added(context.Context, db.Querier, []*Party) error { return nil }

func (tsvectorIndex) changed(context.Context, db.Querier, *Party, *Party) error { return nil }

// shortPrefix is the length under which a word's prefix matches too large a
// share of the names to be worth looking up in PostgreSQL's GIN index.
const shortPrefix = 3

// nameQuery matches every word as a prefix on the tsvector. A GIN index
// builds the whole list of rows a prefix matches before intersecting, so
// short words ("le" in "le goff", "m" in "dupont m") are not looked up in
// it when a longer word is there: they are checked on the rows the longer
// words found, through an expression (the tsvector concatenated with an
// empty one) the planner cannot serve from the index.
func (tsvectorIndex) nameQuery(text string, _ core.Scope) (from, cond string, args []any, ok bool) {
	words := strings.Fields(Fold(text))
	if len(words) == 0 {
		return "", "", nil, false
	}
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

// drivingJoin is a plain JOIN: PostgreSQL's planner has statistics to
// choose the order.
func (tsvectorIndex) drivingJoin() string { return "JOIN" }
