package dashboard_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/leads"
)

// card is the card of kind on d.
func card(t *testing.T, d dashboard.Dashboard, kind string) dashboard.Card {
	t.Helper()
	for _, c := range d.Cards {
		if c.Kind == kind {
			if c.Failed {
				t.Fatalf("the %s widget failed", kind)
			}
			return c
		}
	}
	t.Fatalf("no %s widget on %+v", kind, d.Layout)
	return dashboard.Card{}
}

func TestEachWidgetCountsTheAgentsOwnWorkInTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		now := f.App.App.Clock.Now() // 2026-11-23 09:00 UTC
		a1, _ := f.Orgs.UnitByCode(f.ctx, "A1")
		a2, _ := f.Orgs.UnitByCode(f.ctx, "A2")
		br, _ := f.Orgs.UnitByCode(f.ctx, "BR")
		// Tasks: one overdue, one today, one next week; the administrator's own.
		for _, in := range []cases.NewTask{{Title: "Rappeler", DueOn: "2026-11-20", AssigneeLogin: "adv1"},
			{Title: "Préparer le rendez-vous", DueOn: "2026-11-23", AssigneeLogin: "adv1"},
			{Title: "Plus tard", DueOn: "2026-11-30", AssigneeLogin: "adv1"}} {
			if _, err := f.App.App.Cases.CreateTask(f.ctx, f.Adv1, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.App.App.Cases.CreateTask(f.ctx, f.Admin, cases.NewTask{Title: "Le sien", DueOn: "2026-11-20", AssigneeLogin: "admin"}); err != nil {
			t.Fatal(err)
		}
		// Requests: two assigned to the advisor (one read), one nobody's.
		for i, subject := range []string{"Plafond de carte", "Changement d'adresse", "Personne"} {
			r, err := f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{UnitID: a1.ID, Channel: desk.ChannelWebForm,
				Subject: subject, Body: "Bonjour", CustomerName: "Hélène Dupré", CustomerEmail: "helene.dupre@example.fr"})
			if err != nil {
				t.Fatal(err)
			}
			switch i {
			case 0:
				if _, err := d.Exec(f.ctx, "UPDATE desk_requests SET assignee_id = ?, unread = 1 WHERE id = ?", f.Adv1.AgentID, r.ID); err != nil {
					t.Fatal(err)
				}
			case 1:
				if _, err := d.Exec(f.ctx, "UPDATE desk_requests SET assignee_id = ?, unread = 0 WHERE id = ?", f.Adv1.AgentID, r.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A meeting report no exchange matches: an orphan to fix.
		if _, err := f.History.WriteReport(f.ctx, f.Adv1, history.ReportInput{PartyID: f.P1.ID, Medium: "phone",
			Initiative: "outbound", Reason: "savings", Comment: "Rappel"}); err != nil {
			t.Fatal(err)
		}
		// Leads: three of the advisor's agency received this morning, one answered; one of Lyon's.
		for i, l := range []struct {
			unit     string
			assignee *core.Actor
			minutes  any
		}{{a1.ID, f.Adv1, int64(40)}, {a1.ID, f.Adv1, nil}, {a2.ID, nil, int64(5)}, {a1.ID, f.Adv1, nil}} {
			at := core.Millis(now.Add(-time.Duration(i+1) * time.Hour))
			status, answered, assignee := leads.StatusAssigned, any(nil), any(nil)
			if l.minutes != nil {
				status, answered = leads.StatusAnswered, at+int64(time.Hour/time.Millisecond)/2
			}
			if l.assignee != nil {
				assignee = l.assignee.AgentID
			}
			if _, err := d.Exec(f.ctx, `INSERT INTO leads (id, establishment_id, unit_id, channel, source, external_id, received_at,
				clock_start_at, status, route, assignee_id, first_response_at, response_minutes, created_at, updated_at)
				VALUES (?, ?, ?, 'api', 'site', ?, ?, ?, ?, 'unit', ?, ?, ?, ?, ?)`, core.NewID(), br.ID, l.unit, fmt.Sprint("x", i),
				at, at, status, assignee, answered, l.minutes, at, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Store.RecordVisit(f.ctx, f.Adv1, f.P1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Add(f.ctx, f.Adv1, dashboard.KindOrphanReports, nil); err != nil {
			t.Fatal(err)
		}

		dash, err := f.Store.View(f.ctx, f.Adv1)
		if err != nil {
			t.Fatal(err)
		}
		tasks := card(t, dash, dashboard.KindMyTasks).Tasks
		if tasks.Overdue != 1 || tasks.Today != 1 || len(tasks.Items) != 2 || tasks.Items[0].Title != "Rappeler" {
			t.Errorf("tasks: %+v", tasks)
		}
		requests := card(t, dash, dashboard.KindMyRequests).Requests
		if requests.Count != 2 || requests.Unread != 1 || len(requests.Newest) != 2 {
			t.Errorf("requests: count %d unread %d", requests.Count, requests.Unread)
		}
		orphans := card(t, dash, dashboard.KindOrphanReports).Orphans
		if orphans.Count != 1 || orphans.Items[0].PartyName != "Hélène Dupré" {
			t.Errorf("orphans: %+v", orphans)
		}
		resp := card(t, dash, dashboard.KindLeadResponse).Response
		if resp.Received != 3 || resp.Answered != 1 || *resp.AverageResponseMinutes != 40 {
			t.Errorf("lead response (Lyon's lead is out of scope): %+v", resp)
		}
		if recent := card(t, dash, dashboard.KindRecentCustomers).Recent; len(recent) != 1 || recent[0].Name != "Hélène Dupré" {
			t.Errorf("recent: %+v", recent)
		}
		if mine := card(t, dash, dashboard.KindMyLeads).Leads; mine.Count != 2 || mine.More || len(mine.Oldest) != 2 ||
			mine.Oldest[0].ExternalID != "x3" {
			t.Errorf("my open leads, the oldest first (the answered one is not open): %+v", mine)
		}
	})
}

func TestAWidgetWhoseFiguresCannotBeReadSaysSoAndTheOthersStillShow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		w, err := f.Store.Configure(f.ctx, f.Adv1, dashboard.KindLeadResponse, dashboard.Settings{"unit": "A1"})
		if err != nil {
			t.Fatal(err)
		}
		// The unit it names is renamed since: its code no longer exists.
		if _, err := d.Exec(f.ctx, "UPDATE units SET code = 'A1-OLD' WHERE code = 'A1'"); err != nil {
			t.Fatal(err)
		}
		dash, err := f.Store.View(f.ctx, f.Adv1)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range dash.Cards {
			if c.Failed != (c.ID == w.ID) {
				t.Errorf("%s failed: %v", c.Kind, c.Failed)
			}
		}
	})
}
