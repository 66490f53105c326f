package party

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// refParty is what the reference quick search knows of a party.
type refParty struct {
	id, agency, sortName, clientNumber string
	words, emails, phones, contracts   []string
	person                             bool
}

// refQuickSearch is the quick search as it answered before party_name_words,
// written as plain Go over the population, the test's reference: email
// exact then prefix (by address) when the text holds an '@'; otherwise the
// phone in any format, the exact client number, the contract number (holders
// by name), then the names, every folded word a prefix of one of the
// party's folded words, by sort name; identifiers first, no duplicates, at
// most limit. The old index read at most 200 name matches in its own order
// before sorting them: on a population where no query matches more, both
// are the exact answer, which is what it returns.
func refQuickSearch(pop []refParty, scope core.Scope, q string, limit int) (ids, matches []string) {
	limit = core.PageLimit(limit, 10, 50)
	q = strings.TrimSpace(q)
	if len([]rune(q)) < 2 {
		return nil, nil
	}
	inScope := func(p refParty) bool { return scope.All || slices.Contains(scope.UnitIDs, p.agency) }
	seen := map[string]bool{}
	add := func(ps []refParty, match string, less func(a, b refParty) int) {
		slices.SortFunc(ps, func(a, b refParty) int { return cmp.Or(less(a, b), cmp.Compare(a.id, b.id)) })
		for _, p := range ps {
			if len(ids) < limit && !seen[p.id] {
				seen[p.id] = true
				ids, matches = append(ids, p.id), append(matches, match)
			}
		}
	}
	bySortName := func(a, b refParty) int { return cmp.Compare(a.sortName, b.sortName) }
	find := func(keep func(refParty) bool) []refParty {
		var out []refParty
		for _, p := range pop {
			if inScope(p) && keep(p) {
				out = append(out, p)
			}
		}
		return out
	}
	if strings.Contains(q, "@") {
		email := strings.ToLower(q)
		for _, prefix := range []bool{false, true} {
			// one row per (address, party), by address: the first address found
			var rows []refParty
			for _, p := range pop {
				for _, e := range p.emails {
					if inScope(p) && (e == email || prefix && strings.HasPrefix(e, email)) {
						r := p
						r.sortName = e // the order of this search
						rows = append(rows, r)
					}
				}
			}
			add(rows, "email", bySortName)
		}
		return ids, matches
	}
	if looksLikePhone(q) {
		if number, err := NormalizePhone(q); err == nil {
			add(find(func(p refParty) bool { return slices.Contains(p.phones, number) }), "phone", bySortName)
		}
	}
	if compact := strings.ReplaceAll(normalizeNumber(q), " ", ""); validNumber(compact) {
		add(find(func(p refParty) bool { return p.clientNumber == compact }), "client_number", bySortName)
		add(find(func(p refParty) bool { return slices.Contains(p.contracts, compact) }), "contract", bySortName)
	}
	words := strings.Fields(Fold(q))
	if len(words) > 0 {
		add(find(func(p refParty) bool {
			for _, w := range words {
				if !slices.ContainsFunc(p.words, func(x string) bool { return strings.HasPrefix(x, w) }) {
					return false
				}
			}
			return true
		}), "name", bySortName)
	}
	return ids, matches
}

var (
	eqFirst = []string{"Hélène", "Hector", "Jean-Pierre", "Zoé", "François", "Anaïs", "Li", "Ng", "Œdipe", "Bjørn",
		"Łukasz", "José", "Mathéo", "Marie", "Marc", "Martine", "Ève", "Dương", "Ahmed", "Ødegaard"}
	eqLast = []string{"Dupré", "Dupont", "Le Goff", "Lefèvre", "Martin", "Martinez", "Bézier", "N'Diaye", "O'Brien",
		"Van der Berg", "Müller", "Straße", "Ng", "Li", "de La Tour", "Lê", "Marchand", "Dupont-Aignan", "Garçon", "Æbelø"}
	eqTrades = []string{"Boulangerie", "Garage du 8 Mai", "SARL Œnologie", "Pharmacie", "Cabinet L'Étoile",
		"Société Civile Immobilière de la Vallée du Rhône et des Alpes"} // more words than pairs index
)

// seedEquivalence creates n parties drawn by r in both agencies, half with a
// contract, and returns the reference's view of them.
func seedEquivalence(t *testing.T, s *Store, o org, r *rand.Rand, n int) []refParty {
	t.Helper()
	ctx := context.Background()
	var pop []refParty
	for i := range n {
		in := Input{Status: "client", ClientNumber: fmt.Sprintf("%010d", 2_000_000_000+i), AgencyCode: "A-LILLE",
			Phones: []Phone{{Number: fmt.Sprintf("06 %02d %02d %02d %02d", 10+i/1000, i/100%10, i/10%10, i%10), Kind: "mobile"}}}
		if r.IntN(2) == 0 {
			in.AgencyCode = "A-NICE"
		}
		if r.IntN(8) == 0 {
			in.Kind, in.Name = "organization", eqTrades[r.IntN(len(eqTrades))]+" "+eqLast[r.IntN(len(eqLast))]
		} else {
			in.FirstName, in.LastName = eqFirst[r.IntN(len(eqFirst))], eqLast[r.IntN(len(eqLast))]
			if r.IntN(6) == 0 { // a compound last name, or the same word twice
				in.LastName += " " + eqLast[r.IntN(len(eqLast))]
			}
		}
		local := strings.ReplaceAll(Fold(in.FirstName+" "+in.LastName+" "+in.Name), " ", ".")
		in.Emails = []Email{{Address: fmt.Sprintf("%s%d@exemple.fr", local, i%7), Kind: "personal"}}
		p := mustCreate(t, s, o.admin(), in)
		rp := refParty{id: p.ID, agency: p.AgencyID, sortName: sortName(string(p.Kind), p.FirstName, p.LastName, p.Name),
			clientNumber: p.ClientNumber, words: strings.Fields(searchTerms(p.FirstName, p.LastName, p.Name)),
			person: p.Kind != string(Organization)}
		for _, e := range p.Emails {
			rp.emails = append(rp.emails, e.Address)
		}
		for _, ph := range p.Phones {
			rp.phones = append(rp.phones, ph.Number)
		}
		if i%2 == 0 {
			c, err := s.CreateContract(ctx, o.admin(), ContractInput{Number: fmt.Sprintf("fr76-%04d", i), Product: "savings", HolderIDs: []string{p.ID}})
			if err != nil {
				t.Fatal(err)
			}
			rp.contracts = append(rp.contracts, c.Number)
		}
		pop = append(pop, rp)
	}
	return pop
}

// equivalenceQueries draws what agents type about the population: names
// whole, cut short, without accents, upper case, reordered, two letters;
// phones in several formats; emails whole and cut; client and contract
// numbers; and text that matches nothing.
func equivalenceQueries(pop []refParty, r *rand.Rand, n int) []string {
	qs := []string{"le goff", "li", "ng", "ma", "mar", "dup", "DUPONT", "helene dup", "hélène dupré", "oe", "œdipe",
		"aebelo", "strasse", "o brien", "n'diaye", "van der", "8 mai", "garage 8", "jean-pierre", "Ødeg", "duong",
		"x", "zz", "@", "06", "exemple.fr", "fr76", "FR76-0002", "2000000003", "+33 6 10 00 00 07", "0610000011",
		"06.10.00.01.02", "0033610000013", "marc martin", "martin marc", "de la", "la de", "e", "é è", "ève"}
	for range n {
		p := pop[r.IntN(len(pop))]
		w := p.words[r.IntN(len(p.words))]
		switch r.IntN(8) {
		case 0:
			qs = append(qs, strings.Join(p.words, " "))
		case 1:
			qs = append(qs, w[:min(len(w), 2+r.IntN(3))])
		case 2:
			qs = append(qs, strings.ToUpper(w)+" "+p.words[0][:1])
		case 3:
			qs = append(qs, p.phones[0])
		case 4:
			qs = append(qs, p.emails[0], p.emails[0][:strings.Index(p.emails[0], "@")+1])
		case 5:
			qs = append(qs, p.clientNumber)
		case 6:
			if len(p.contracts) > 0 {
				qs = append(qs, strings.ToLower(p.contracts[0]))
			}
		default:
			qs = append(qs, p.sortName[:min(len(p.sortName), 3+r.IntN(8))])
		}
	}
	return qs
}

func TestQuickSearchAnswersAsBeforeOnAGeneratedPopulation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		r := rand.New(rand.NewPCG(14, 1))
		pop := seedEquivalence(t, s, o, r, 180)
		check := func(t *testing.T, pop []refParty) {
			t.Helper()
			compared := 0
			for _, q := range equivalenceQueries(pop, r, 150) {
				for _, actor := range []*core.Actor{o.admin(), o.advisor()} {
					for _, limit := range []int{0, 50} {
						wantIDs, wantMatches := refQuickSearch(pop, actor.Scope, q, limit)
						got, err := s.QuickSearch(ctx, actor, q, limit)
						if err != nil {
							t.Fatalf("QuickSearch(%q): %v", q, err)
						}
						var gotIDs, gotMatches []string
						for _, m := range got {
							gotIDs, gotMatches = append(gotIDs, m.ID), append(gotMatches, m.Match)
						}
						if !slices.Equal(gotIDs, wantIDs) || !slices.Equal(gotMatches, wantMatches) {
							t.Errorf("QuickSearch(%q) as %s, limit %d = %v %v, want %v %v", q, actor.Login, limit,
								names(got), gotMatches, wantIDs, wantMatches)
						}
						compared++
					}
				}
			}
			if compared < 600 {
				t.Fatalf("only %d answers compared", compared)
			}
		}
		check(t, pop)

		// The same answers when an advisor's search seeks few words of a
		// prefix and reads the rest of its range.
		full := s.index
		s.index = wordIndex{join: full.drivingJoin(), seekWords: 2, seekMax: 3}
		check(t, pop)
		s.index = full

		// Renamed and moved parties are found by their new names in their new agency only.
		for i := 0; i < len(pop); i += 9 {
			first, last, agency := eqFirst[r.IntN(len(eqFirst))], eqLast[r.IntN(len(eqLast))], "A-NICE"
			if pop[i].agency == o.Agency2 {
				agency = "A-LILLE"
			}
			patch := Patch{AgencyCode: &agency}
			if pop[i].person && r.IntN(2) == 0 {
				patch.FirstName, patch.LastName = &first, &last
			}
			p, err := s.Update(ctx, o.admin(), pop[i].id, patch)
			if err != nil {
				t.Fatal(err)
			}
			pop[i].agency = p.AgencyID
			pop[i].sortName = sortName(string(p.Kind), p.FirstName, p.LastName, p.Name)
			pop[i].words = strings.Fields(searchTerms(p.FirstName, p.LastName, p.Name))
		}
		check(t, pop)
	})
}
