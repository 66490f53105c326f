package desk_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

// TestPriorityIsLowByDefaultAndNewRequestsAreOnTop: a request recorded
// without a priority is low; the list shows the newest request first.
func TestPriorityIsLowByDefaultAndNewRequestsAreOnTop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		clock := f.App.App.Clock.(*core.FixedClock)
		var ids []string
		for _, subject := range []string{"Première", "Deuxième", "Troisième"} {
			r, err := f.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: "phone", Subject: subject, Body: "…", PartyID: f.P1.ID})
			if err != nil {
				t.Fatal(err)
			}
			if r.Priority != desk.PriorityLow {
				t.Fatalf("priority %q without one given, want low", r.Priority)
			}
			ids = append(ids, r.ID)
			clock.Advance(time.Minute)
		}
		page, err := f.Desk.List(f.ctx, f.Adv1, desk.Filter{View: desk.ViewAll})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Requests) != 3 || page.Requests[0].ID != ids[2] || page.Requests[2].ID != ids[0] {
			t.Fatalf("list order %v, want the newest first", page.Requests)
		}
	})
}
