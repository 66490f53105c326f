package desk_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

// TestScopeAndPermissions: an agent reads only the requests of the units
// in their scope (others are "not found"); a viewer reads but cannot act;
// an advisor takes a request but cannot give one to someone else.
func TestScopeAndPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.actor(t, "admin")
		a2, _ := f.Orgs.UnitByCode(f.ctx, "A2")
		other, err := f.Desk.Create(f.ctx, admin, desk.NewRequest{UnitID: a2.ID, Channel: "phone", Subject: "Lyon", Body: "…", PartyID: f.P2.ID})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := f.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: "phone", Subject: "Paris", Body: "Question sur un prêt", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{UnitID: a2.ID, Channel: "phone", Subject: "Lyon", Body: "…"}); core.ErrorCode(err) != core.Invalid || !strings.Contains(core.Summary(err), "unit_code") {
			t.Fatalf("an A1 advisor recording a request in A2: %v, want unit_code outside scope", err)
		}
		if _, err := f.Desk.Get(f.ctx, f.Adv1, other.ID); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("an A1 advisor reading an A2 request: %v, want not found", err)
		}
		page, _ := f.Desk.List(f.ctx, f.Adv1, desk.Filter{})
		if len(page.Requests) != 1 || page.Requests[0].ID != mine.ID {
			t.Fatalf("the A1 advisor's list: %+v", page.Requests)
		}
		if _, err := f.Desk.Reply(f.ctx, f.Viewer, mine.ID, desk.Draft{Body: "x"}); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("a viewer replying: %v, want forbidden", err)
		}
		if _, err := f.Desk.Get(f.ctx, f.Viewer, mine.ID); err != nil {
			t.Fatalf("a viewer reading: %v", err)
		}
		if _, err := f.Desk.Assign(f.ctx, f.Adv1, mine.ID, "admin"); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("an advisor giving a request away: %v, want forbidden", err)
		}
		got, err := f.Desk.Assign(f.ctx, f.Adv1, mine.ID, "adv1")
		if err != nil || got.Assignee == nil || got.Assignee.Initials == "" || got.Status != desk.StatusOpen {
			t.Fatalf("taking a request: %+v %v", got, err)
		}
		if _, err := f.Desk.Update(f.ctx, f.Adv1, mine.ID, desk.Patch{PartyID: &f.P2.ID}); core.ErrorCode(err) != core.Invalid {
			t.Fatalf("linking a party out of scope: %v, want invalid", err)
		}
		bad := "urgent"
		if _, err := f.Desk.Update(f.ctx, f.Adv1, mine.ID, desk.Patch{Priority: &bad}); core.ErrorCode(err) != core.Invalid {
			t.Fatalf("an unknown priority: %v", err)
		}
		counts, err := f.Desk.Counts(f.ctx, f.Adv1, desk.Filter{})
		if err != nil || counts[desk.ViewMine] != 1 || counts[desk.ViewUnassigned] != 0 || counts[desk.ViewAll] != 1 {
			t.Fatalf("counts %v %v", counts, err)
		}
	})
}
