package party

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAdvisorCannotReadOrSearchPartyOutsideScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		in := helene()
		in.AgencyCode = "A-NICE"
		nice := mustCreate(t, s, o.admin(), in)
		if _, err := s.CreateContract(ctx, o.admin(), ContractInput{Number: "CC-1", Product: "current_account", HolderIDs: []string{nice.ID}}); err != nil {
			t.Fatal(err)
		}
		adv := o.advisor()

		_, err := s.Get(ctx, adv, nice.ID)
		wantCode(t, err, core.NotFound)
		_, err = s.View(ctx, adv, nice.ID)
		wantCode(t, err, core.NotFound)
		_, err = s.Update(ctx, adv, nice.ID, Patch{Segment: ptr("x")})
		wantCode(t, err, core.NotFound)
		_, err = s.Contracts(ctx, adv, nice.ID)
		wantCode(t, err, core.NotFound)
		_, err = s.Relations(ctx, adv, nice.ID)
		wantCode(t, err, core.NotFound)
		_, err = s.ConvertToClient(ctx, adv, nice.ID, "")
		wantCode(t, err, core.NotFound)

		for _, q := range []string{"helene", "1000000001", "CC-1", "helene.dupre@example.fr", "06 12 34 56 78"} {
			res, err := s.QuickSearch(ctx, adv, q, 10)
			if err != nil || len(res) != 0 {
				t.Fatalf("quick search %q = %+v, %v", q, res, err)
			}
			res, err = s.QuickSearch(ctx, o.admin(), q, 10)
			if err != nil || len(res) != 1 {
				t.Fatalf("admin quick search %q = %+v, %v", q, res, err)
			}
		}
		page, err := s.Search(ctx, adv, Criteria{Name: "dupre"})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("search = %+v, %v", page, err)
		}
		page, err = s.Search(ctx, adv, Criteria{})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("search all = %+v, %v", page, err)
		}
		empty := &core.Actor{Permissions: []core.Permission{core.PermPartyRead}}
		if page, err = s.Search(ctx, empty, Criteria{}); err != nil || len(page.Items) != 0 {
			t.Fatalf("empty scope search = %+v, %v", page, err)
		}
		// The same party is visible to an advisor whose scope is the region above.
		region := &core.Actor{Permissions: []core.Permission{core.PermPartyRead}, Scope: core.Scope{UnitIDs: []string{o.Region2, o.Agency2}}}
		if _, err := s.Get(ctx, region, nice.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestViewRecordsWhoLookedAtWhom(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		if _, err := s.Get(ctx, o.advisor(), p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.View(ctx, o.advisor(), p.ID); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'party.view' AND party_id = ? AND agent_id = ?",
			p.ID, o.AdvisorID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("view entries = %d, %v", n, err)
		}
	})
}

// TestMovedPartyFollowsItsAgencyInSearch checks the name index follows a
// party moved to another agency: the new agency's advisors find it by name,
// the old one's no longer do.
func TestMovedPartyFollowsItsAgencyInSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.admin(), helene())
		adv := o.advisor()
		nice := &core.Actor{Permissions: []core.Permission{core.PermPartyRead}, Scope: core.Scope{UnitIDs: []string{o.Agency2}}}
		if res, _ := s.QuickSearch(ctx, adv, "helene dup", 10); len(res) != 1 {
			t.Fatalf("advisor finds %d before the move, want 1", len(res))
		}
		if _, err := s.Update(ctx, o.admin(), p.ID, Patch{AgencyCode: ptr("A-NICE")}); err != nil {
			t.Fatal(err)
		}
		if res, _ := s.QuickSearch(ctx, adv, "helene dup", 10); len(res) != 0 {
			t.Errorf("the old agency's advisor still finds the moved party: %+v", res)
		}
		if res, _ := s.QuickSearch(ctx, nice, "helene dup", 10); len(res) != 1 {
			t.Errorf("the new agency's advisor finds %d, want 1", len(res))
		}
		if page, _ := s.Search(ctx, nice, Criteria{Name: "dupre"}); len(page.Items) != 1 {
			t.Errorf("advanced search by the new agency finds %d, want 1", len(page.Items))
		}
	})
}
