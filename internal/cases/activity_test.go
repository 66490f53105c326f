package cases_test

import (
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

func titles(ts []cases.Task) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return out
}

func TestTheActivityListShowsWhatTheAgentHasToDoTodayOverdueAndThisWeek(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d) // Monday 23 November 2026
		for _, tk := range []struct{ title, due, assignee string }{
			{"Overdue call", "2026-11-19", "adv1"},
			{"Today's meeting", "2026-11-23", "adv1"},
			{"Thursday's form", "2026-11-26", "adv1"},
			{"Next week", "2026-12-01", "adv1"},
			{"In the queue", "2026-11-23", ""},
			{"The manager's", "2026-11-23", "man1"},
		} {
			if _, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: tk.title, DueOn: tk.due, AssigneeLogin: tk.assignee}); err != nil {
				t.Fatal(err)
			}
		}
		done, _ := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Done", DueOn: "2026-11-20", AssigneeLogin: "adv1"})
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, done.ID); err != nil {
			t.Fatal(err)
		}
		mine, _ := f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: desk.ChannelPhone, Subject: "Mine", CustomerName: "A"})
		if _, err := f.App.App.Desk.Assign(f.ctx, f.Adv1, mine.ID, "adv1"); err != nil {
			t.Fatal(err)
		}
		closed, _ := f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: desk.ChannelPhone, Subject: "Closed", CustomerName: "B"})
		if _, err := f.App.App.Desk.Assign(f.ctx, f.Adv1, closed.ID, "adv1"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.App.App.Desk.Update(f.ctx, f.Adv1, closed.ID, desk.Patch{Status: ptr(desk.StatusClosed)}); err != nil {
			t.Fatal(err)
		}
		f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: desk.ChannelPhone, Subject: "Nobody's", CustomerName: "C"})

		for _, reader := range []*core.Actor{f.Adv1, f.Man1} {
			a, err := f.Cases.Activity(f.ctx, reader, f.Adv1.AgentID)
			if err != nil {
				t.Fatalf("%s reads adv1's activity: %v", reader.Login, err)
			}
			if !equal(titles(a.Overdue), []string{"Overdue call"}) || !equal(titles(a.Today), []string{"Today's meeting"}) ||
				!equal(titles(a.Week), []string{"Thursday's form"}) || a.TodayCount != 1 || a.Agent.Login != "adv1" {
				t.Fatalf("%s reads overdue %v, today %v, week %v", reader.Login, titles(a.Overdue), titles(a.Today), titles(a.Week))
			}
			if len(a.Requests) != 1 || a.Requests[0].ID != mine.ID || a.RequestsCount != 1 {
				t.Fatalf("%s reads requests %+v, want the one open request assigned to adv1", reader.Login, a.Requests)
			}
		}
		own, err := f.Cases.Activity(f.ctx, f.Adv1, "")
		if err != nil || len(own.Today) != 1 {
			t.Fatalf("adv1's own activity = %+v, %v", own, err)
		}
		_, err = f.Cases.Activity(f.ctx, f.Adv1, f.Man1.AgentID)
		wantCode(t, err, core.Forbidden)
		_, err = f.Cases.Activity(f.ctx, f.Adv2, f.Adv1.AgentID)
		wantCode(t, err, core.NotFound)
		unit, err := f.Cases.UnitActivity(f.ctx, f.Man1, f.A1)
		if err != nil || len(unit.Today) != 3 || len(unit.Requests) != 2 {
			t.Fatalf("A1's activity today %v, requests %d, %v; want 3 tasks and 2 requests", titles(unit.Today), len(unit.Requests), err)
		}
	})
}

func TestEachPartOfTheActivityListIsCappedWithItsCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		now := core.Millis(f.Clock.Now())
		rows := [][]any{}
		for i := range cases.ActivityCap + 5 {
			rows = append(rows, []any{core.NewID(), f.A1, fmt.Sprintf("Overdue %03d", i), "2026-11-20", f.Adv1.AgentID, now, now})
		}
		if err := db.InsertMany(f.ctx, f.DB, "INSERT INTO tasks (id, unit_id, title, due_on, assignee_id, status, created_at, updated_at) VALUES",
			"(?, ?, ?, ?, ?, 'open', ?, ?)", rows); err != nil {
			t.Fatal(err)
		}
		a, err := f.Cases.Activity(f.ctx, f.Adv1, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Overdue) != cases.ActivityCap || a.OverdueCount != cases.ActivityCap+5 || a.TodayCount != 0 {
			t.Fatalf("overdue: %d shown, count %d; want %d shown, count %d", len(a.Overdue), a.OverdueCount, cases.ActivityCap, cases.ActivityCap+5)
		}
	})
}
