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
	// seekWords bounds how many distinct words of a prefix a search
	// limited to some agencies seeks one by one, and seekMax how many
	// (word, agency) seeks it makes; beyond them it reads the rest of the
	// prefix's range. newSearchIndex sets them (seekWords, seekMax).
	seekWords, seekMax int
}

// nameWordColumns are the columns of party_name_words, in the order
// NameIndexRows gives them.
var nameWordColumns = []string{"word", "party_id", "agency_id", "terms", "sort_name"}

// nameWordsInsert starts the multi-row INSERT of party_name_words rows;
// each row's tuple is "(?, ?, ?, ?, ?)".
const nameWordsInsert = "INSERT INTO party_name_words (word, party_id, agency_id, terms, sort_name) VALUES "

// namePairColumns are the columns of party_name_pairs, in the order
// NameIndexRows gives them.
var namePairColumns = []string{"word", "other", "party_id", "terms", "sort_name"}

// namePairsInsert starts the multi-row INSERT of party_name_pairs rows;
// each row's tuple is "(?, ?, ?, ?, ?)".
const namePairsInsert = "INSERT INTO party_name_pairs (word, other, party_id, terms, sort_name) VALUES "

// pairWordsMax is how many distinct words a party's names may have to be
// indexed by pairs; one with more has a row per word with an empty other
// word (the migration 00029 says the same).
const pairWordsMax = 8

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

// NameIndexRows returns the name index rows of p, which needs its ID,
// kind, names and agency: party_name_words (word, party, agency, terms,
// sort name) and party_name_pairs (word, other word, party, terms, sort
// name). Every path that writes a party writes these; the bench's bulk
// generator too.
func NameIndexRows(p *Party) (words, pairs [][]any) {
	ws := nameWords(searchTerms(p.FirstName, p.LastName, p.Name))
	terms, sort := strings.Join(ws, " "), sortName(p.Kind, p.FirstName, p.LastName, p.Name)
	for _, w := range ws {
		words = append(words, []any{w, p.ID, p.AgencyID, terms, sort})
		if len(ws) > pairWordsMax {
			pairs = append(pairs, []any{w, "", p.ID, terms, sort})
			continue
		}
		for _, o := range ws {
			if o != w {
				pairs = append(pairs, []any{w, o, p.ID, terms, sort})
			}
		}
	}
	return words, pairs
}

func (wordIndex) rowColumn() (column, value string) { return "", "" }

func (wordIndex) added(ctx context.Context, q db.Querier, ps []*Party) error {
	var rows, pairs [][]any
	for _, p := range ps {
		w, pr := NameIndexRows(p)
		rows, pairs = append(rows, w...), append(pairs, pr...)
	}
	if err := db.InsertMany(ctx, q, nameWordsInsert, "(?, ?, ?, ?, ?)", rows); err != nil {
		return fmt.Errorf("index party names: %w", err)
	}
	if err := db.InsertMany(ctx, q, namePairsInsert, "(?, ?, ?, ?, ?)", pairs); err != nil {
		return fmt.Errorf("index party names by pairs: %w", err)
	}
	return nil
}

func (x wordIndex) changed(ctx context.Context, q db.Querier, old, p *Party) error {
	if searchTerms(p.FirstName, p.LastName, p.Name) == searchTerms(old.FirstName, old.LastName, old.Name) &&
		p.AgencyID == old.AgencyID {
		return nil
	}
	for _, table := range []string{"party_name_words", "party_name_pairs"} {
		if _, err := q.Exec(ctx, "DELETE FROM "+table+" WHERE party_id = ?", p.ID); err != nil {
			return fmt.Errorf("unindex party %s: %w", p.ID, err)
		}
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

// seekWords and seekMax are wordIndex's bounds on the seeks of a search
// limited to some agencies: past a few hundred seeks, reading the range
// costs less.
const (
	seekWords = 64
	seekMax   = 512
)

// candidates reads the range of the longest word (the fewest matches, as a
// rule) and checks the other words on each row's terms, unless a search
// of two words or more across the organisation can seek pairs
// (pairCandidates), or a search limited to some agencies can seek its
// words in them (agencyCandidates).
func (x wordIndex) candidates(ctx context.Context, q db.Querier, text string, scope core.Scope, limit int) (query string, args []any, ok bool, err error) {
	words := nameWords(text)
	if len(words) == 0 {
		return "", nil, false, nil
	}
	lead := longest(words, -1)
	switch {
	case !scope.All && len(scope.UnitIDs) > 0:
		return x.agencyCandidates(ctx, q, words, lead, scope, limit)
	case scope.All && len(words) > 1:
		// A party word starting with the lead word starts with the second
		// too when the second is a prefix of it: pairs of two distinct
		// words would miss a party with that one word.
		if second := longest(words, lead); !strings.HasPrefix(words[lead], words[second]) {
			return x.pairCandidates(ctx, q, words, lead, second, limit)
		}
	}
	query, args = rangeCandidates(words, lead, scope, words[lead], false)
	return query + " LIMIT ?", append(args, limit), true, nil
}

// longest returns the index of the longest of words but skip (the first
// of equals).
func longest(words []string, skip int) int {
	at := -1
	for i, w := range words {
		if i != skip && (at < 0 || len(w) > len(words[at])) {
			at = i
		}
	}
	return at
}

// wordsLike is the condition that the terms of the row w hold a word
// starting with each of words but those at skip.
func wordsLike(words []string, skip ...int) (string, []any) {
	var cond string
	var args []any
	for i, w := range words {
		if !slices.Contains(skip, i) {
			cond += ` AND (' ' || w.terms) LIKE ? ESCAPE '\'`
			args = append(args, "% "+likePrefix(w))
		}
	}
	return cond, args
}

// candidatesHead starts every candidates query: a name index table's rows w.
const candidatesHead = "SELECT w.party_id, w.sort_name FROM "

// rangeCandidates reads party_name_words from the word from (after it when
// exclusive) to the end of the lead word's prefix, keeps the scope's rows
// and checks the other words on terms.
func rangeCandidates(words []string, lead int, scope core.Scope, from string, exclusive bool) (string, []any) {
	op := " >= ?"
	if exclusive {
		op = " > ?"
	}
	sc, scArgs := scopeFilter("w.agency_id", scope)
	like, likeArgs := wordsLike(words, lead)
	return candidatesHead + "party_name_words w WHERE w.word" + op + " AND w.word < ?" + sc + like,
		append(append([]any{from, prefixEnd(words[lead])}, scArgs...), likeArgs...)
}

// pairCandidates seeks, in party_name_pairs, each word starting with the
// lead word (listed by prefixWords) with the range of the second word as
// its other word, and each with an empty other word (parties of too many
// words for pairs); the remaining words are checked on terms. Past
// seekWords words of the prefix it reads the rest of its range.
func (x wordIndex) pairCandidates(ctx context.Context, q db.Querier, words []string, lead, second, limit int) (string, []any, bool, error) {
	found, err := prefixWords(ctx, q, words[lead], x.seekWords)
	if err != nil || len(found) == 0 {
		return "", nil, false, err // none: no party has a word of this prefix
	}
	in := inList(found)
	seek := candidatesHead + "party_name_pairs w WHERE w.word IN (" + db.Placeholders(len(in)) + ")"
	rest, restArgs := wordsLike(words, lead, second)
	all, allArgs := wordsLike(words, lead)
	query := seek + " AND w.other >= ? AND w.other < ?" + rest + " UNION ALL " + seek + " AND w.other = ''" + all
	args := append(append(append(append(in, words[second], prefixEnd(words[second])), restArgs...), in...), allArgs...)
	if len(found) == x.seekWords {
		tail, tailArgs := rangeCandidates(words, lead, core.Scope{All: true}, found[len(found)-1], true)
		query, args = query+" UNION ALL "+tail, append(args, tailArgs...)
	}
	return query + " LIMIT ?", append(args, limit), true, nil
}

// agencyCandidates lists the distinct words starting with the lead word
// (prefixWords) and seeks each in each of the scope's agencies, as
// party_name_words is keyed by (word, agency, party): it reads the rows of
// its agencies only, where the range holds every agency's. Past seekWords
// words, or seekMax seeks, it reads the rest of the range.
func (x wordIndex) agencyCandidates(ctx context.Context, q db.Querier, words []string, lead int, scope core.Scope, limit int) (string, []any, bool, error) {
	found, err := prefixWords(ctx, q, words[lead], x.seekWords)
	if err != nil || len(found) == 0 {
		return "", nil, false, err // none: no party has a word of this prefix
	}
	complete := len(found) < x.seekWords
	if len(found)*len(scope.UnitIDs) > x.seekMax {
		found, complete = found[:max(1, x.seekMax/len(scope.UnitIDs))], false
	}
	in := inList(found)
	sc, scArgs := scopeFilter("w.agency_id", scope)
	like, likeArgs := wordsLike(words, lead)
	query := candidatesHead + "party_name_words w WHERE w.word IN (" + db.Placeholders(len(in)) + ")" + sc + like
	args := append(append(in, scArgs...), likeArgs...)
	if !complete {
		tail, tailArgs := rangeCandidates(words, lead, scope, found[len(found)-1], true)
		query, args = query+" UNION ALL "+tail, append(args, tailArgs...)
	}
	return query + " LIMIT ?", append(args, limit), true, nil
}

// inList returns words as the values of an IN list whose length is a power
// of two, the last word repeated: the reading statements stay prepared
// (db.stmtCache) for a handful of lengths instead of one per count of
// words, each statement parsed again on each connection.
func inList(words []string) []any {
	n := 1
	for n < len(words) {
		n *= 2
	}
	in := make([]any, n)
	for i := range in {
		in[i] = words[min(i, len(words)-1)]
	}
	return in
}

// prefixWords returns the first n distinct words of the name index that
// start with prefix, in order: a loose index scan, each step one seek past
// the word before.
func prefixWords(ctx context.Context, q db.Querier, prefix string, n int) ([]string, error) {
	end := prefixEnd(prefix)
	rows, err := q.Query(ctx, `WITH RECURSIVE v (word) AS (
		SELECT MIN(word) FROM party_name_words WHERE word >= ? AND word < ?
		UNION ALL
		SELECT (SELECT MIN(w.word) FROM party_name_words w WHERE w.word > v.word AND w.word < ?) FROM v WHERE v.word IS NOT NULL
	) SELECT word FROM v WHERE word IS NOT NULL LIMIT ?`, prefix, end, end, n)
	if err != nil {
		return nil, fmt.Errorf("words starting with %q: %w", prefix, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (x wordIndex) drivingJoin() string { return x.join }
