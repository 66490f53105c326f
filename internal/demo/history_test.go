package demo_test

import (
	"context"
	"database/sql"
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

func TestTheDemoHistoryHappensAtHoursABankKeeps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d)
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2025, 9, 15, 8, 0, 0, 0, time.UTC))
		hist := history.NewStore(d, clock, audit.New(d, clock), s.parties, history.DefaultRules(), fileStore(t, clock))
		if _, err := demo.SeedHistory(ctx, d, hist, clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := demo.SeedReports(ctx, d, hist, clock.Now()); err != nil {
			t.Fatal(err)
		}
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Skip("no time zone data")
		}
		rows, err := d.Query(ctx, `SELECT i.channel, i.outcome, i.duration_seconds, i.occurred_at, i.subject, COALESCE(i.body, '')
			FROM interactions i WHERE i.source <> 'report'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		subjects, bodies := map[string]bool{}, map[string]bool{}
		for rows.Next() {
			var channel, outcome, subject, body string
			var duration sql.NullInt64
			var at int64
			if err := rows.Scan(&channel, &outcome, &duration, &at, &subject, &body); err != nil {
				t.Fatal(err)
			}
			local := core.FromMillis(at).In(paris)
			if channel == "phone" {
				if h := local.Hour(); h < 9 || h >= 18 || local.Weekday() == time.Sunday {
					t.Errorf("a call at %s", local.Format("Mon 15:04"))
				}
				if outcome == "unanswered" && duration.Valid {
					t.Errorf("an unanswered call lasted %d s", duration.Int64)
				}
			}
			if h := local.Hour(); h < 6 || h >= 23 {
				t.Errorf("a %s at %s", channel, local.Format("Mon 15:04"))
			}
			if !local.Before(clock.Now()) {
				t.Errorf("a %s in the future: %s", channel, local)
			}
			subjects[subject], bodies[body] = true, true
		}
		if len(subjects) < 15 || len(bodies) < 15 {
			t.Errorf("%d subjects and %d bodies: the demo repeats itself", len(subjects), len(bodies))
		}
		var lateReports, files int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM interaction_attachments").Scan(&files)
		rrows, err := d.Query(ctx, "SELECT written_at FROM reports")
		if err != nil {
			t.Fatal(err)
		}
		defer rrows.Close()
		for rrows.Next() {
			var at int64
			rrows.Scan(&at)
			if h := core.FromMillis(at).In(paris).Hour(); h < 9 || h >= 18 {
				lateReports++
			}
		}
		if lateReports > 0 || files == 0 {
			t.Errorf("%d reports written out of office hours, %d files attached", lateReports, files)
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
