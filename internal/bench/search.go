package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// searchFigure is the quick search's latency beside the bare index lookup's.
type searchFigure struct {
	Figure    string  `json:"figure"`
	Queries   int     `json:"queries"`
	P50       float64 `json:"p50_ms"`
	P99       float64 `json:"p99_ms"`
	BareP50   float64 `json:"bare_p50_ms"`
	BareP99   float64 `json:"bare_p99_ms"`
	AvgResult float64 `json:"avg_results"`
}

// query is one search box entry and the bare lookup it amounts to.
type query struct {
	text string
	bare string // SQL with ? placeholders, returning at most ten rows
	args []any
}

// commonNames are what people type in the search box most: frequent
// names, with and without accents, whole or cut short.
var commonNames = []string{"helene dup", "hélène dupré", "martin", "marti", "lefèvre", "lefev", "jean-pierre",
	"françois", "zoé", "dupont m", "le goff", "bézier", "thomas ber", "garnier sophie", "moreau"}

// queries draws n search box entries: 50% names (common ones and those of
// existing parties), then phone numbers, emails and client numbers of
// existing parties.
func queries(dialect db.Dialect, g *generator, parties, n int, seed uint64) []query {
	r := rand.New(rand.NewPCG(seed, 0x5ea7c4))
	out := make([]query, 0, n)
	for range n {
		w := g.row(r.IntN(parties))
		switch u := r.IntN(20); {
		case u < 4:
			out = append(out, nameQuery(dialect, commonNames[r.IntN(len(commonNames))]))
		case u < 10 && w.name != "":
			out = append(out, nameQuery(dialect, w.name))
		case u < 7:
			out = append(out, nameQuery(dialect, w.first+" "+w.last))
		case u < 10:
			// The start of the last name and the first name's initial, folded.
			last := []rune(party.Fold(w.last))
			out = append(out, nameQuery(dialect, string(last[:min(len(last), 3+r.IntN(3))])+" "+string([]rune(party.Fold(w.first))[:1])))
		case u < 13:
			e164, _ := party.NormalizePhone(w.phone)
			out = append(out, query{text: w.phone, bare: "SELECT party_id FROM party_phones WHERE number = ? LIMIT 10", args: []any{e164}})
		case u < 16:
			out = append(out, query{text: w.email, bare: "SELECT party_id FROM party_emails WHERE address = ? LIMIT 10", args: []any{w.email}})
		default:
			out = append(out, query{text: w.clientNumber, bare: "SELECT id FROM parties WHERE client_number = ? LIMIT 10", args: []any{w.clientNumber}})
		}
	}
	return out
}

// nameQuery is a name search and its bare index lookup: the range of its
// longest folded word in party_name_words, every other word checked on the
// row's terms, LIMIT 10 (the shape of party.wordIndex's candidates, without the
// scope, the sort or the summaries). dialect is unused: the index is the
// same table on both engines.
func nameQuery(_ db.Dialect, text string) query {
	words := strings.Fields(party.Fold(text))
	lead := 0
	for i, w := range words {
		if len(w) > len(words[lead]) {
			lead = i
		}
	}
	bare := "SELECT w.party_id FROM party_name_words w WHERE w.word >= ? AND w.word < ?"
	args := []any{words[lead], words[lead] + "\U0010FFFF"}
	for i, w := range words {
		if i != lead {
			bare += " AND (' ' || w.terms) LIKE ?" // folded words hold no LIKE wildcard
			args = append(args, "% "+w+"%")
		}
	}
	return query{text: text, bare: bare + " LIMIT 10", args: args}
}

// timeSearches runs each query through QuickSearch as actor and then
// bare, alternating so both see the same cache, and returns the figure.
func timeSearches(ctx context.Context, d *db.DB, parties *party.Store, actor *core.Actor, figure string, qs []query) (searchFigure, error) {
	took := make([]time.Duration, len(qs))
	bare := make([]time.Duration, len(qs))
	results := 0
	for i, q := range qs {
		t := time.Now()
		found, err := parties.QuickSearch(ctx, actor, q.text, 10)
		took[i] = time.Since(t)
		if err != nil {
			return searchFigure{}, fmt.Errorf("quick search %q: %w", q.text, err)
		}
		results += len(found)
		t = time.Now()
		if err := runBare(ctx, d, q); err != nil {
			return searchFigure{}, err
		}
		bare[i] = time.Since(t)
	}
	return searchFigure{Figure: figure, Queries: len(qs),
		P50: ms(percentile(took, 50)), P99: ms(percentile(took, 99)),
		BareP50: ms(percentile(bare, 50)), BareP99: ms(percentile(bare, 99)),
		AvgResult: round(float64(results) / float64(len(qs)))}, nil
}

// runBare runs q's bare lookup on the reading pool and reads its rows.
func runBare(ctx context.Context, d *db.DB, q query) error {
	rows, err := d.Reader().QueryContext(ctx, d.Rebind(q.bare), q.args...)
	if err != nil {
		return fmt.Errorf("bare %q: %w", q.text, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id any
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("bare %q: %w", q.text, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bare %q: %w", q.text, err)
	}
	return nil
}

// percentile returns the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

// ms converts d to milliseconds, rounded to the microsecond.
func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
