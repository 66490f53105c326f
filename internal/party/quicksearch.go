package party

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// QuickSearch answers the one search box: it finds parties in the actor's
// scope by email (exact, then prefix) when the text holds an '@'; otherwise
// by phone in any format, exact client number and contract number, and
// always by name (every folded word a prefix, accents and case ignored).
// Identifier matches come first, then names in alphabetical order, without
// duplicates, at most limit (10 by default, 50 at most). Text shorter than
// two characters finds nothing. Requires party.read.
func (s *Store) QuickSearch(ctx context.Context, actor *core.Actor, q string, limit int) ([]Summary, error) {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return nil, err
	}
	limit = core.PageLimit(limit, 10, 50)
	q = strings.TrimSpace(q)
	f := core.Fields{}
	if !core.CheckText(f, "q", q, core.MaxQuery) {
		return nil, f.Err()
	}
	out := []Summary{}
	if len([]rune(q)) < 2 {
		return out, nil
	}
	seen := map[string]bool{}
	add := func(ms []Summary) {
		for _, m := range ms {
			if len(out) < limit && !seen[m.ID] {
				seen[m.ID] = true
				out = append(out, m)
			}
		}
	}
	var searches []func() ([]Summary, error)
	if strings.Contains(q, "@") {
		email := strings.ToLower(q)
		searches = append(searches,
			func() ([]Summary, error) { return s.byEmail(ctx, actor.Scope, email, false, limit) },
			func() ([]Summary, error) { return s.byEmail(ctx, actor.Scope, email, true, limit) })
	} else {
		if looksLikePhone(q) {
			if number, err := NormalizePhone(q); err == nil {
				searches = append(searches, func() ([]Summary, error) { return s.byPhone(ctx, actor.Scope, number, limit) })
			}
		}
		number := normalizeNumber(q)
		if compact := strings.ReplaceAll(number, " ", ""); validNumber(compact) {
			searches = append(searches,
				func() ([]Summary, error) { return s.byClientNumber(ctx, actor.Scope, compact) },
				func() ([]Summary, error) { return s.byContractNumber(ctx, actor.Scope, compact, limit) })
		}
		searches = append(searches, func() ([]Summary, error) { return s.byName(ctx, actor.Scope, q, limit) })
	}
	for _, search := range searches {
		if len(out) >= limit {
			break
		}
		ms, err := search()
		if err != nil {
			return nil, err
		}
		add(ms)
	}
	return out, nil
}

// looksLikePhone reports whether q is made of phone characters with at
// least six digits.
func looksLikePhone(q string) bool {
	digits := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ .-()/", r):
		default:
			return false
		}
	}
	return digits >= 6
}

// fromParty joins a party p to its agency u, for summaries.
const fromParty = " FROM parties p JOIN units u ON u.id = p.agency_id"

func (s *Store) byEmail(ctx context.Context, scope core.Scope, email string, prefix bool, limit int) ([]Summary, error) {
	cond, args := scopeFilter("p.agency_id", scope)
	where := " WHERE e.address = ?"
	first := []any{email}
	if prefix {
		// The range uses the index; LIKE keeps the range exact on any collation.
		where = " WHERE e.address >= ? AND e.address < ? AND e.address LIKE ? ESCAPE '\\'"
		first = []any{email, prefixEnd(email), likePrefix(email)}
	}
	return querySummaries(ctx, s.db, "email", selectSummary+" FROM party_emails e "+s.index.drivingJoin()+" parties p ON p.id = e.party_id"+
		" JOIN units u ON u.id = p.agency_id"+where+cond+" ORDER BY e.address, p.id LIMIT ?",
		append(append(first, args...), limit)...)
}

func (s *Store) byPhone(ctx context.Context, scope core.Scope, number string, limit int) ([]Summary, error) {
	cond, args := scopeFilter("p.agency_id", scope)
	return querySummaries(ctx, s.db, "phone", selectSummary+" FROM party_phones ph "+s.index.drivingJoin()+" parties p ON p.id = ph.party_id"+
		" JOIN units u ON u.id = p.agency_id WHERE ph.number = ?"+cond+" ORDER BY p.sort_name, p.id LIMIT ?",
		append(append([]any{number}, args...), limit)...)
}

func (s *Store) byClientNumber(ctx context.Context, scope core.Scope, number string) ([]Summary, error) {
	cond, args := scopeFilter("p.agency_id", scope)
	return querySummaries(ctx, s.db, "client_number", selectSummary+fromParty+" WHERE p.client_number = ?"+cond,
		append([]any{number}, args...)...)
}

func (s *Store) byContractNumber(ctx context.Context, scope core.Scope, number string, limit int) ([]Summary, error) {
	cond, args := scopeFilter("p.agency_id", scope)
	ms, err := querySummaries(ctx, s.db, "contract", selectSummary+" FROM contracts c "+s.index.drivingJoin()+" contract_holders h ON h.contract_id = c.id "+
		s.index.drivingJoin()+" parties p ON p.id = h.party_id JOIN units u ON u.id = p.agency_id WHERE c.number = ?"+cond+
		" ORDER BY p.sort_name, p.id LIMIT ?", append(append([]any{number}, args...), limit)...)
	for i := range ms {
		ms[i].ContractNumber = number
	}
	return ms, err
}

// nameCandidates bounds how many name matches quick search sorts: a broad
// prefix ("ma") matches a large share of ten million parties, and reading
// them all to sort them would break the latency target. Up to this many
// matches are taken in the index's order (party_name_words: word, then
// party), then sorted by name; narrower queries are exact.
const nameCandidates = 200

func (s *Store) byName(ctx context.Context, scope core.Scope, text string, limit int) ([]Summary, error) {
	inner, args, ok, err := s.index.candidates(ctx, s.db, text, scope, nameCandidates)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []Summary{}, nil
	}
	sc, scArgs := scopeFilter("p.agency_id", scope)
	args = append(append(args, limit), scArgs...)
	join := s.index.drivingJoin()
	// The first `limit` candidates by name are chosen on the index rows
	// alone (DISTINCT: a party whose names hold two words of the range
	// comes twice); only they are read from parties and summarised.
	first := "SELECT DISTINCT c.party_id AS id, c.sort_name FROM (" + inner + ") c ORDER BY sort_name, id LIMIT ?"
	return querySummaries(ctx, s.db, "name", selectSummary+" FROM ("+first+") t "+join+
		" parties p ON p.id = t.id JOIN units u ON u.id = p.agency_id WHERE 1 = 1"+sc+" ORDER BY t.sort_name, t.id", args...)
}

// prefixEnd returns the smallest string above every string starting with p.
func prefixEnd(p string) string { return p + "\U0010FFFF" }

// likePrefix returns a LIKE pattern matching strings starting with p.
func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p) + "%"
}
