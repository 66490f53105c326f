package party

import (
	"context"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func names(ms []Summary) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.DisplayName
	}
	return out
}

func TestQuickSearchFindsAccentedNameTypedWithoutAccents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		mustCreate(t, s, o.admin(), helene())
		mustCreate(t, s, o.advisor(), Input{FirstName: "Hector", LastName: "Dupont"})
		mustCreate(t, s, o.advisor(), Input{Kind: "organization", Name: "Œnologie Ærienne SARL"})
		for _, tc := range []struct{ q, want string }{
			{"helene dup", "Hélène Dupré"},
			{"DUPRE", "Hélène Dupré"},
			{"dupré hél", "Hélène Dupré"},
			{"oenologie", "Œnologie Ærienne SARL"},
			{"aerienne oe", "Œnologie Ærienne SARL"},
		} {
			res, err := s.QuickSearch(ctx, o.admin(), tc.q, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].DisplayName != tc.want || res[0].Match != "name" {
				t.Errorf("QuickSearch(%q) = %v, want [%s]", tc.q, names(res), tc.want)
			}
		}
		res, err := s.QuickSearch(ctx, o.admin(), "dup", 0)
		if err != nil || len(res) != 2 || res[0].DisplayName != "Hector Dupont" || res[1].City != "Lille" {
			t.Fatalf("dup = %+v, %v (want alphabetical by last name)", res, err)
		}
		for _, q := range []string{"", "h", " é ", `"*`, "AND OR NOT", "(x"} {
			if res, err := s.QuickSearch(ctx, o.admin(), q, 0); err != nil || (len(q) < 3 && len(res) != 0) {
				t.Errorf("QuickSearch(%q) = %v, %v", q, res, err)
			}
		}
	})
}

func TestQuickSearchFindsPhoneInAnyFormat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		mustCreate(t, s, o.admin(), helene())
		for _, q := range []string{"06 12 34 56 78", "0612345678", "+33612345678", "+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78"} {
			res, err := s.QuickSearch(ctx, o.admin(), q, 0)
			if err != nil || len(res) != 1 || res[0].Match != "phone" || res[0].DisplayName != "Hélène Dupré" {
				t.Errorf("QuickSearch(%q) = %+v, %v", q, res, err)
			}
		}
	})
}

func TestQuickSearchFindsByEmailClientNumberAndContractNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.admin(), helene())
		mustCreate(t, s, o.advisor(), Input{LastName: "Autre", Emails: []Email{{Address: "helene.dupre@example.fr.other.com"}}})
		if _, err := s.CreateContract(ctx, o.admin(), ContractInput{Number: "fr76-0001", Product: "savings", HolderIDs: []string{p.ID}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ q, match string }{
			{"Helene.Dupre@example.fr", "email"},
			{"helene.dupre@", "email"},
			{"1000000001", "client_number"},
			{" FR76-0001 ", "contract"},
			{"fr76-0001", "contract"},
		} {
			res, err := s.QuickSearch(ctx, o.admin(), tc.q, 0)
			if err != nil || len(res) == 0 || res[0].ID != p.ID || res[0].Match != tc.match {
				t.Errorf("QuickSearch(%q) = %+v, %v; want %s match first", tc.q, res, err, tc.match)
			}
		}
		res, _ := s.QuickSearch(ctx, o.admin(), "helene.dupre@", 0)
		if len(res) != 2 {
			t.Errorf("email prefix found %d parties, want 2", len(res))
		}
		res, _ = s.QuickSearch(ctx, o.admin(), "fr76-0001", 0)
		if res[0].ContractNumber != "FR76-0001" {
			t.Errorf("contract number = %q", res[0].ContractNumber)
		}
	})
}

func TestQuickSearchPutsIdentifierMatchesFirstWithoutDuplicatesAndLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		for _, n := range []string{"Martin", "Martinez", "Martineau", "Marty"} {
			mustCreate(t, s, o.advisor(), Input{LastName: n})
		}
		// A party whose client number is also a word of other parties' names.
		num := mustCreate(t, s, o.advisor(), Input{LastName: "Zorro", Status: "client", ClientNumber: "MARTIN"})
		res, err := s.QuickSearch(ctx, o.admin(), "martin", 0)
		if err != nil || len(res) != 4 || res[0].ID != num.ID || res[0].Match != "client_number" {
			t.Fatalf("martin = %+v, %v", res, err)
		}
		if got := names(res[1:]); got[0] != "Martin" || got[1] != "Martineau" || got[2] != "Martinez" {
			t.Fatalf("name order = %v", got)
		}
		res, _ = s.QuickSearch(ctx, o.admin(), "mar", 2)
		if len(res) != 2 {
			t.Fatalf("limit 2 gave %d", len(res))
		}
	})
}

func TestSearchCombinesCriteriaAndPagesAlphabetically(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.admin(), helene())
		for _, n := range []string{"Bernard", "Dubois", "Durand", "Petit", "Robert"} {
			mustCreate(t, s, o.admin(), Input{LastName: n, FirstName: "Léa", BirthDate: "1990-01-02",
				Addresses: []Address{{Line1: "1 place", PostalCode: "06000", City: "Nice"}}, AgencyCode: "A-NICE"})
		}
		if _, err := s.CreateContract(ctx, o.admin(), ContractInput{Number: "HL-1", Product: "home_loan", HolderIDs: []string{p.ID}}); err != nil {
			t.Fatal(err)
		}
		var all []string
		cursor := ""
		for range 10 {
			page, err := s.Search(ctx, o.admin(), Criteria{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, names(page.Items)...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		want := []string{"Léa Bernard", "Léa Dubois", "Hélène Dupré", "Léa Durand", "Léa Petit", "Léa Robert"}
		if len(all) != len(want) {
			t.Fatalf("pages = %v", all)
		}
		for i := range want {
			if all[i] != want[i] {
				t.Fatalf("pages = %v, want %v", all, want)
			}
		}
		for _, tc := range []struct {
			c    Criteria
			want int
		}{
			{Criteria{Name: "lea"}, 5},
			{Criteria{Name: "du"}, 3},
			{Criteria{Name: "du", AgencyCode: "A-NICE"}, 2},
			{Criteria{City: "NICE", BirthDate: "1990-01-02"}, 5},
			{Criteria{PostalCode: "59"}, 1},
			{Criteria{City: "lil"}, 1},
			{Criteria{AdvisorLogin: "jmartin"}, 1},
			{Criteria{Status: "client"}, 1},
			{Criteria{Status: "prospect", Kind: "person"}, 5},
			{Criteria{Product: "home_loan"}, 1},
			{Criteria{Product: "savings"}, 0},
			{Criteria{Kind: "organization"}, 0},
		} {
			page, err := s.Search(ctx, o.admin(), tc.c)
			if err != nil || len(page.Items) != tc.want {
				t.Errorf("Search(%+v) = %v, %v; want %d", tc.c, names(page.Items), err, tc.want)
			}
		}
	})
}

// TestQuickSearchShortWordsStillFilter checks a short word next to a longer
// one ("le goff", "goff y") still has to match, on both engines, though
// PostgreSQL checks it on the rows the longer word found.
func TestQuickSearchShortWordsStillFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		for _, n := range [][2]string{{"Yann", "Le Goff"}, {"Marc", "Goff"}, {"Léa", "Goffin"}} {
			in := helene()
			in.ClientNumber, in.FirstName, in.LastName, in.Emails, in.Phones = "", n[0], n[1], nil, nil
			in.Status = "prospect"
			mustCreate(t, s, o.admin(), in)
		}
		names := func(q string) []string {
			res, err := s.QuickSearch(ctx, o.admin(), q, 10)
			if err != nil {
				t.Fatalf("quick search %q: %v", q, err)
			}
			var out []string
			for _, r := range res {
				out = append(out, r.DisplayName)
			}
			return out
		}
		if got := names("le goff"); len(got) != 2 || !slices.Contains(got, "Yann Le Goff") || !slices.Contains(got, "Léa Goffin") {
			t.Errorf("le goff = %v, want Yann Le Goff and Léa Goffin", got)
		}
		if got := names("goff m"); len(got) != 1 || got[0] != "Marc Goff" {
			t.Errorf("goff m = %v, want Marc Goff", got)
		}
	})
}
