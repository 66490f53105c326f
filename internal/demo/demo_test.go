package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// seeded is a database seeded with 300 customers and the stores on it.
type seeded struct {
	d       *db.DB
	orgs    *org.Store
	parties *party.Store
	auth    *auth.Service
	sum     demo.Summary
}

func seed(t *testing.T, d *db.DB) *seeded {
	t.Helper()
	ctx := context.Background()
	clock := core.NewFixedClock(time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC))
	log := audit.New(d, clock)
	s := &seeded{d: d, orgs: org.NewStore(d, clock, log), parties: party.NewStore(d, clock, log)}
	s.auth = auth.NewService(d, clock, s.orgs, log)
	if ok, err := demo.IsSeeded(ctx, d); err != nil || ok {
		t.Fatalf("IsSeeded on an empty database = %v, %v; want false", ok, err)
	}
	start := time.Now()
	sum, err := demo.Seed(ctx, d, s.orgs, s.parties, demo.Options{Parties: 300})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	t.Logf("seeded %d units, %d agents, %d parties, %d contracts in %s", sum.Units, sum.Agents, sum.Parties, sum.Contracts, time.Since(start))
	if ok, err := demo.IsSeeded(ctx, d); err != nil || !ok {
		t.Fatalf("IsSeeded after Seed = %v, %v; want true", ok, err)
	}
	s.sum = sum
	return s
}

// signIn signs in with a demo account, failing the test when it is refused.
func (s *seeded) signIn(t *testing.T, login string) *core.Actor {
	t.Helper()
	for _, acc := range demo.Accounts() {
		if acc.Login == login {
			_, actor, err := s.auth.Login(context.Background(), acc.Login, acc.Password, "192.0.2.1")
			if err != nil {
				t.Fatalf("sign in as %s: %v", login, err)
			}
			return actor
		}
	}
	t.Fatalf("no demo account %s", login)
	return nil
}

func (s *seeded) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestSeedBuildsTheBankWithItsCustomersAndContracts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		if s.sum.Units != 11 || s.sum.Parties != 300 || s.sum.Agents < 35 || s.sum.Agents > 45 || s.sum.Contracts < 300 {
			t.Fatalf("summary = %+v; want 11 units, ~40 agents, 300 parties, contracts", s.sum)
		}
		if len(s.sum.Accounts) != len(demo.Accounts()) {
			t.Fatalf("summary lists %d accounts, want %d", len(s.sum.Accounts), len(demo.Accounts()))
		}
		for query, want := range map[string]int{
			"SELECT COUNT(*) FROM units":                                                           s.sum.Units,
			"SELECT COUNT(*) FROM units WHERE kind = 'agency'":                                     6,
			"SELECT COUNT(*) FROM units WHERE kind = 'region'":                                     2,
			"SELECT COUNT(*) FROM agents":                                                          s.sum.Agents,
			"SELECT COUNT(*) FROM parties":                                                         300,
			"SELECT COUNT(*) FROM contracts":                                                       s.sum.Contracts,
			"SELECT COUNT(*) FROM parties WHERE status = 'prospect' AND client_number IS NOT NULL": 0,
			"SELECT COUNT(*) FROM parties WHERE status = 'client' AND client_number IS NULL":       0,
		} {
			if got := s.count(t, query); got != want {
				t.Errorf("%s = %d, want %d", query, got, want)
			}
		}
		for query, atLeast := range map[string]int{
			"SELECT COUNT(*) FROM parties WHERE status = 'prospect'":                                 20,
			"SELECT COUNT(*) FROM parties WHERE kind = 'organization'":                               3,
			"SELECT COUNT(*) FROM party_relations WHERE kind = 'director'":                           3,
			"SELECT COUNT(*) FROM party_relations WHERE kind = 'household'":                          10,
			"SELECT COUNT(*) FROM party_phones WHERE kind = 'home'":                                  20,
			"SELECT COUNT(*) FROM party_emails WHERE kind = 'professional'":                          20,
			"SELECT COUNT(*) FROM contract_holders GROUP BY contract_id HAVING COUNT(*) > 1 LIMIT 1": 1,
			"SELECT COUNT(*) FROM party_emails GROUP BY address HAVING COUNT(*) = 2 LIMIT 1":         1,
		} {
			if got := s.count(t, query); got < atLeast {
				t.Errorf("%s = %d, want at least %d", query, got, atLeast)
			}
		}
		for _, product := range party.Products {
			if s.count(t, "SELECT COUNT(*) FROM contracts WHERE product = ?", product) == 0 {
				t.Errorf("no %s contract", product)
			}
		}
	})
}

func TestDemoAccountsSignInWithTheirRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		for _, acc := range demo.Accounts() {
			if len(acc.Password) < 8 || acc.Description == "" {
				t.Errorf("account %+v: password too short or no description", acc)
			}
			actor := s.signIn(t, acc.Login)
			switch acc.Login {
			case "admin":
				if !actor.Can(core.PermAdmin) || !actor.Scope.All {
					t.Errorf("admin actor = %+v, want admin on the whole bank", actor)
				}
			case "advisor":
				if actor.Can(core.PermAdmin) || actor.Scope.All || len(actor.Scope.UnitIDs) != 1 {
					t.Errorf("advisor actor = %+v, want one agency without admin", actor)
				}
			case "manager":
				if actor.Scope.All || len(actor.Scope.UnitIDs) != 4 {
					t.Errorf("manager scope = %+v, want the region and its three agencies", actor.Scope)
				}
			case "contactcentre":
				if !actor.Scope.All || actor.Can(core.PermAdmin) {
					t.Errorf("contact-centre actor = %+v, want the whole bank without admin", actor)
				}
			}
		}
	})
}

func TestAdvisorFindsHeleneDupreButNotZoeLefevreOfAnotherAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		advisor, admin := s.signIn(t, "advisor"), s.signIn(t, "admin")
		search := func(actor *core.Actor, q string) []party.Summary {
			t.Helper()
			found, err := s.parties.QuickSearch(ctx, actor, q, 10)
			if err != nil {
				t.Fatalf("quick search %q: %v", q, err)
			}
			return found
		}
		if got := search(advisor, "helene dup"); len(got) != 1 || got[0].DisplayName != "Hélène Dupré" || got[0].AgencyCode != "A-LYON-PD" {
			t.Fatalf("advisor searching \"helene dup\" got %+v, want Hélène Dupré of Lyon Part-Dieu", got)
		}
		if got := search(admin, "zoe lefevre"); len(got) != 1 || got[0].DisplayName != "Zoé Lefèvre" {
			t.Fatalf("admin searching \"zoe lefevre\" got %+v, want Zoé Lefèvre", got)
		}
		if got := search(advisor, "zoe lefevre"); len(got) != 0 {
			t.Fatalf("advisor searching \"zoe lefevre\" got %+v, want nothing: she is in another agency", got)
		}
		if got := search(admin, "martin"); len(got) == 0 {
			t.Fatalf("admin found no Martin among %d parties", s.sum.Parties)
		}
		relations, err := s.parties.Relations(ctx, advisor, search(advisor, "helene dupre")[0].ID)
		if err != nil || len(relations) != 1 || relations[0].Kind != party.RelHousehold {
			t.Fatalf("Hélène's relations = %+v, %v; want her household", relations, err)
		}
	})
}
