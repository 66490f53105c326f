package party

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// searchIndex is the parties' name index: the table party_name_words on
// both engines (wordIndex), one row per folded word of a party's names
// with its agency. It matches every folded word of a search as a prefix.
// NewStore picks it; the writes and searches of parties go through it.
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
	// with it; the caller applies the SQL scope condition. ok is false when
	// text holds no word.
	nameQuery(text string, scope core.Scope) (from, cond string, args []any, ok bool)
	// candidates returns a query of two columns, party_id and sort_name, of
	// at most limit parties in scope matching text as nameQuery does (a
	// party may come twice), read in the index's order and stopping there;
	// ok is false when no party can match (text holds no word, or no party
	// a word of its prefix). It may read the index through q to build it.
	candidates(ctx context.Context, q db.Querier, text string, scope core.Scope, limit int) (query string, args []any, ok bool, err error)
	// drivingJoin is the join keyword that keeps the table on its left as
	// the outer loop of the plan, for the lookups that start from an index
	// (a name match, an email, a phone, a contract).
	drivingJoin() string
}

// newSearchIndex returns the name index of the engine behind d.
func newSearchIndex(d db.Dialect) searchIndex {
	x := wordIndex{seekWords: seekWords, seekMax: seekMax}
	if d == db.Postgres {
		// PostgreSQL's planner has statistics to choose the join order.
		x.join = "JOIN"
		return x
	}
	// CROSS JOIN, which SQLite's planner never reorders: without
	// statistics it may otherwise start from the agency index of a scoped
	// query and scan a whole agency.
	x.join = "CROSS JOIN"
	return x
}
