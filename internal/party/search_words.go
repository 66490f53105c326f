package party

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// wordIndex is the name index kept in party_name_words: for each party,
// one row per distinct folded word of its names, with its agency and all
// its words (terms), keyed by (word, party_id). A search word is a prefix,
// so a range of that key read in order: a quick search takes its
// candidates from the range of its longest word and stops after enough of
// them, whatever the number of matches (a GIN or FTS5 prefix query first
// gathers them all); the other words are checked on the terms of the row
// read, not by a lookup per row.
type wordIndex struct {
	join string // drivingJoin's keyword for the engine
}

// nameWordColumns are the columns of party_name_words, in the order
// nameWordRows gives them.
var nameWordColumns = []string{"word", "party_id", "agency_id", "terms", "sort_name"}

// nameWordsInsert starts the multi-row INSERT of party_name_words rows;
// each row's tuple is "(?, ?, ?, ?, ?)".
const nameWordsInsert = "INSERT INTO party_name_words (word, party_id, agency_id, terms, sort_name) VALUES "

// nameWords returns the distinct folded words of text, in their order.
func nameWords(text string) []string {
	words := strings.Fields(Fold(text))
	out := words[:0]
	for i, w := range words {
		if !slices.Contains(words[:i], w) {
			out = append(out, w)
		}
	}
	return out
}

// nameWordRows returns the party_name_words rows of p: word, party,
// agency, terms, sort name.
func nameWordRows(p *Party) [][]any {
	words := nameWords(searchTerms(p.FirstName, p.LastName, p.Name))
	terms, sort := strings.Join(words, " "), sortName(p.Kind, p.FirstName, p.LastName, p.Name)
	rows := make([][]any, len(words))
	for i, w := range words {
		rows[i] = []any{w, p.ID, p.AgencyID, terms, sort}
	}
	return rows
}

func (wordIndex) rowColumn() (column, value string) { return "", "" }

func (wordIndex) added(ctx context.Context, q db.Querier, ps []*Party) error {
	var rows [][]any
	for _, p := range ps {
		rows = append(rows, nameWordRows(p)...)
	}
	if err := db.InsertMany(ctx, q, nameWordsInsert, "(?, ?, ?, ?, ?)", rows); err != nil {
		return fmt.Errorf("index party names: %w", err)
	}
	return nil
}

func (x wordIndex) changed(ctx context.Context, q db.Querier, old, p *Party) error {
	if searchTerms(p.FirstName, p.LastName, p.Name) == searchTerms(old.FirstName, old.LastName, old.Name) &&
		p.AgencyID == old.AgencyID {
		return nil
	}
	if _, err := q.Exec(ctx, "DELETE FROM party_name_words WHERE party_id = ?", p.ID); err != nil {
		return fmt.Errorf("unindex party %s: %w", p.ID, err)
	}
	return x.added(ctx, q, []*Party{p})
}

// hasWord is the condition that party col holds a word in [?, ?).
func hasWord(col string) string {
	return " AND EXISTS (SELECT 1 FROM party_name_words o WHERE o.party_id = " + col + " AND o.word >= ? AND o.word < ?)"
}

func (wordIndex) nameQuery(text string, _ core.Scope) (from, cond string, args []any, ok bool) {
	words := nameWords(text)
	if len(words) == 0 {
		return "", "", nil, false
	}
	for _, w := range words {
		cond += hasWord("p.id")
		args = append(args, w, prefixEnd(w))
	}
	return " FROM parties p", cond, args, true
}

// candidates reads the range of the longest word (the fewest matches, as a
// rule), keeps the rows of the scope's agencies, and checks the other words
// on each party found.
func (wordIndex) candidates(text string, scope core.Scope, limit int) (query string, args []any, ok bool) {
	words := nameWords(text)
	if len(words) == 0 {
		return "", nil, false
	}
	lead := 0
	for i, w := range words {
		if len(w) > len(words[lead]) {
			lead = i
		}
	}
	query = "SELECT w.party_id, w.sort_name FROM party_name_words w WHERE w.word >= ? AND w.word < ?"
	args = []any{words[lead], prefixEnd(words[lead])}
	sc, scArgs := scopeFilter("w.agency_id", scope)
	query += sc
	args = append(args, scArgs...)
	for i, w := range words {
		if i != lead { // a word of terms starts with w
			query += ` AND (' ' || w.terms) LIKE ? ESCAPE '\'`
			args = append(args, "% "+likePrefix(w))
		}
	}
	return query + " LIMIT ?", append(args, limit), true
}

func (x wordIndex) drivingJoin() string { return x.join }
