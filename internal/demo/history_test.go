package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/history"
)

func TestSeedHistoryGivesHeleneALongTimelineAndKeepsRuledOutItemsOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC))
		hist := history.NewStore(d, clock, audit.New(d, clock), s.parties, history.DefaultRules(), fileStore(t, clock))
		stored, err := demo.SeedHistory(ctx, d, hist, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		var pushed int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interactions").Scan(&pushed); err != nil || pushed != stored || stored < 300 {
			t.Fatalf("%d stored, %d rows (%v)", stored, pushed, err)
		}
		hits, err := s.parties.QuickSearch(ctx, core.System(), "helene dupre", 1)
		if err != nil || len(hits) != 1 {
			t.Fatalf("find Hélène: %v %v", hits, err)
		}
		page, err := hist.Timeline(ctx, core.System(), hits[0].ID, history.Filter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) < 25 {
			t.Errorf("Hélène has %d lines, want a long history", len(page.Items))
		}
		var short, private int
		if err := d.QueryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM interactions WHERE channel = 'phone' AND direction = 'outbound' AND duration_seconds < 40),
			(SELECT COUNT(*) FROM interactions WHERE subject LIKE 'Perso%')`).Scan(&short, &private); err != nil || short+private != 0 {
			t.Errorf("ruled-out items stored: %d short outbound calls, %d private emails (%v)", short, private, err)
		}
	})
}

func TestSeedReportsReconcileMostAndLeaveTheAdvisorOrphansToFix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC))
		hist := history.NewStore(d, clock, audit.New(d, clock), s.parties, history.DefaultRules(), fileStore(t, clock))
		if _, err := demo.SeedHistory(ctx, d, hist, clock.Now()); err != nil {
			t.Fatal(err)
		}
		written, orphans, err := demo.SeedReports(ctx, d, hist, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if written < 20 || orphans == 0 || orphans*3 > written {
			t.Errorf("%d reports, %d orphans: want most reconciled and a few orphans", written, orphans)
		}
		var advisorOrphans int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM reports r JOIN agents a ON a.id = r.agent_id
			WHERE a.login = 'advisor' AND r.status = 'orphan'`).Scan(&advisorOrphans); err != nil || advisorOrphans == 0 {
			t.Errorf("the demo advisor has %d orphans to fix (%v)", advisorOrphans, err)
		}
	})
}

// fileStore is a file store in a temporary directory.
func fileStore(t *testing.T, clock core.Clock) *blob.Disk {
	t.Helper()
	files, err := blob.NewDisk(t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
