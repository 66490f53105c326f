package party

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// searchIndex is the parties' name index, which each engine keeps its own
// way: an FTS5 table beside parties on SQLite (ftsIndex), a tsvector column
// of parties with a GIN index on PostgreSQL (tsvectorIndex). Both hold the
// folded names (searchTerms) and match every folded word of a search as a
// prefix. NewStore picks one; the writes and searches of parties go through
// it.
type searchIndex interface {
	// rowColumn returns the parties column that holds a party's entry and
	// the SQL expression it is written with, of one ? (the folded names);
	// "" when the index is a table of its own.
	rowColumn() (column, value string)
	// added indexes parties whose rows were just inserted.
	added(ctx context.Context, q db.Querier, ps []*Party) error
	// changed indexes p again after its row was rewritten from old.
	changed(ctx context.Context, q db.Querier, old, p *Party) error
	// nameQuery returns the FROM clause and condition that keep the parties
	// p whose names contain, for every folded word of text, a word starting
	// with it; scope may narrow the lookup, but the caller still applies
	// the SQL scope condition. ok is false when text holds no word.
	nameQuery(text string, scope core.Scope) (from, cond string, args []any, ok bool)
	// drivingJoin is the join keyword that keeps the table on its left as
	// the outer loop of the plan, for the lookups that start from an index
	// (a name match, an email, a phone, a contract).
	drivingJoin() string
}

// newSearchIndex returns the name index of the engine behind d.
func newSearchIndex(d db.Dialect) searchIndex {
	if d == db.Postgres {
		return tsvectorIndex{}
	}
	return ftsIndex{}
}
