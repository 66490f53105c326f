package cases_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

func TestATaskWithoutAssigneeWaitsInItsUnitsQueueUntilTaken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "")
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Call the customer back", Kind: cases.TaskCall,
			DueOn: "2026-11-24", CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		if task.Assignee != nil || task.Queue != "A1" || task.UnitCode != "A1" || task.PartyID != f.P1.ID ||
			task.PartyName != "Hélène Dupré" || task.CaseReference == "" || task.Priority != "low" || task.Status != "open" {
			t.Fatalf("task = %+v, want in A1's queue, on Hélène Dupré's case, low priority", task)
		}
		queue, err := f.Cases.Tasks(f.ctx, f.Adv1, cases.TaskFilter{QueueUnitID: f.A1})
		if err != nil || len(queue.Tasks) != 1 {
			t.Fatalf("A1's queue = %+v, %v; want the task", queue, err)
		}
		taken, err := f.Cases.TakeTask(f.ctx, f.Man1, task.ID)
		if err != nil || taken.Assignee == nil || taken.Assignee.Login != "man1" || taken.Queue != "" {
			t.Fatalf("TakeTask = %+v, %v; want man1's", taken, err)
		}
		_, err = f.Cases.TakeTask(f.ctx, f.Adv1, task.ID)
		wantCode(t, err, core.Conflict)
		queue, _ = f.Cases.Tasks(f.ctx, f.Adv1, cases.TaskFilter{QueueUnitID: f.A1})
		if len(queue.Tasks) != 0 {
			t.Fatalf("A1's queue = %+v, want empty once taken", queue.Tasks)
		}
	})
}

func TestATasksAssigneeIsAnActiveAgentWhoseScopeHoldsItsUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		in := cases.NewTask{Title: "Check the documents", DueOn: "2026-11-24", AssigneeLogin: "adv2"}
		_, err := f.Cases.CreateTask(f.ctx, f.Adv1, in)
		wantReason(t, err, "assignee", "outside_scope")
		in.AssigneeLogin = "nobody"
		_, err = f.Cases.CreateTask(f.ctx, f.Adv1, in)
		wantReason(t, err, "assignee", "unknown_agent")
		in.AssigneeLogin, in.DueOn = "man1", "24/11/2026"
		_, err = f.Cases.CreateTask(f.ctx, f.Adv1, in)
		wantReason(t, err, "due_on", "date")
		in.DueOn = "2026-11-24"
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, in)
		if err != nil || task.Assignee == nil || task.Assignee.Login != "man1" {
			t.Fatalf("CreateTask = %+v, %v; want man1's task", task, err)
		}
		_, err = f.Cases.CreateTask(f.ctx, f.Viewer, in)
		wantCode(t, err, core.Forbidden)
		_, err = f.Cases.CreateTask(f.ctx, f.Adv2, cases.NewTask{Title: "x", DueOn: "2026-11-24", PartyID: f.P1.ID})
		wantReason(t, err, "party_id", "party_not_found")
	})
}

func TestAnAgentOfAnotherAgencyNeitherSeesNorCompletesTheTask(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Send the form", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Cases.Task(f.ctx, f.Adv2, task.ID)
		wantCode(t, err, core.NotFound)
		_, err = f.Cases.CompleteTask(f.ctx, f.Adv2, task.ID)
		wantCode(t, err, core.NotFound)
		_, err = f.Cases.UpdateTask(f.ctx, f.Adv2, task.ID, cases.TaskPatch{DueOn: ptr("2026-12-01")})
		wantCode(t, err, core.NotFound)
		_, err = f.Cases.TakeTask(f.ctx, f.Adv2, task.ID)
		wantCode(t, err, core.NotFound)
		for _, filter := range []cases.TaskFilter{{}, {Due: cases.DueToday}, {AssigneeID: f.Adv1.AgentID}, {UnitID: f.A1}} {
			page, err := f.Cases.Tasks(f.ctx, f.Adv2, filter)
			if err != nil || len(page.Tasks) != 0 {
				t.Fatalf("adv2's Tasks(%+v) = %+v, %v; want nothing", filter, page.Tasks, err)
			}
		}
		if got := f.str(t, "SELECT status FROM tasks WHERE id = ?", task.ID); got != "open" {
			t.Fatalf("status = %s, want open", got)
		}
	})
}

func TestCompletingATaskMovesItsCaseAndATaskIsDoneOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "documents_received", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "adv1")
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Check the documents", DueOn: "2026-11-23",
			AssigneeLogin: "adv1", CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		f.exec(t, "UPDATE tasks SET moves_to = 'documents_received' WHERE id = ?", task.ID)
		done, err := f.Cases.CompleteTask(f.ctx, f.Adv1, task.ID)
		if err != nil || done.Status != cases.TaskDone || done.CompletedAt == nil {
			t.Fatalf("CompleteTask = %+v, %v; want done", done, err)
		}
		if got := f.str(t, "SELECT status FROM cases WHERE id = ?", c); got != "documents_received" {
			t.Fatalf("case status = %s, want documents_received", got)
		}
		_, err = f.Cases.CompleteTask(f.ctx, f.Adv1, task.ID)
		wantCode(t, err, core.Conflict)
		_, err = f.Cases.CancelTask(f.ctx, f.Adv1, task.ID)
		wantCode(t, err, core.Conflict)
		if got := f.str(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'task.complete' AND object_id = ?", task.ID); got != "1" {
			t.Fatalf("task.complete audit entries = %s, want 1", got)
		}
	})
}

func TestCompletingATaskMovesItsRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		r, err := f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: desk.ChannelPhone, Subject: "Card blocked",
			CustomerName: "Hélène Dupré", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Confirm the new card", DueOn: "2026-11-23",
			AssigneeLogin: "adv1", RequestID: r.ID})
		if err != nil || task.RequestReference != r.Reference || task.PartyID != f.P1.ID {
			t.Fatalf("CreateTask = %+v, %v; want on %s", task, err, r.Reference)
		}
		f.exec(t, "UPDATE tasks SET moves_to = 'closed' WHERE id = ?", task.ID)
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, task.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.App.App.Desk.Get(f.ctx, f.Adv1, r.ID)
		if err != nil || got.Status != desk.StatusClosed || got.ClosedAt == nil {
			t.Fatalf("request = %+v, %v; want closed", got, err)
		}
	})
}

func TestTaskDueWindowsAreCountedInTheAgentsTimeZone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d) // Monday 23 November 2026, 09:00 UTC
		for _, due := range []string{"2026-11-20", "2026-11-23", "2026-11-24", "2026-11-29", "2026-11-30"} {
			if _, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Due " + due, DueOn: due, AssigneeLogin: "adv1"}); err != nil {
				t.Fatal(err)
			}
		}
		done, _ := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Done long ago", DueOn: "2026-11-02", AssigneeLogin: "adv1"})
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, done.ID); err != nil {
			t.Fatal(err)
		}
		dues := func(due string) []string {
			page, err := f.Cases.Tasks(f.ctx, f.Adv1, cases.TaskFilter{AssigneeID: f.Adv1.AgentID, Due: due})
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, task := range page.Tasks {
				out = append(out, task.DueOn)
			}
			return out
		}
		check := func(due string, want ...string) {
			t.Helper()
			if got := dues(due); !equal(got, want) {
				t.Fatalf("due %s = %v, want %v", due, got, want)
			}
		}
		check(cases.DueOverdue, "2026-11-20")
		check(cases.DueToday, "2026-11-23")
		check(cases.DueWeek, "2026-11-23", "2026-11-24", "2026-11-29")
		// 23:30 UTC is already Tuesday in Paris, A1's time zone.
		f.Clock.Advance(14*time.Hour + 30*time.Minute)
		check(cases.DueOverdue, "2026-11-20", "2026-11-23")
		check(cases.DueToday, "2026-11-24")
	})
}

func TestTaskListPagesFollowTheirCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		for _, due := range []string{"2026-11-25", "2026-11-23", "2026-11-24", "2026-11-23"} {
			if _, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Due " + due, DueOn: due}); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		cursor := ""
		for range 3 {
			page, err := f.Cases.Tasks(f.ctx, f.Adv1, cases.TaskFilter{UnitID: f.A1, Cursor: cursor, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, task := range page.Tasks {
				got = append(got, task.DueOn)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if want := []string{"2026-11-23", "2026-11-23", "2026-11-24", "2026-11-25"}; !equal(got, want) {
			t.Fatalf("pages = %v, want %v", got, want)
		}
	})
}

func TestUpdatingATaskReassignsItAndMovesItsDueDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		task, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Meet the customer", Kind: cases.TaskMeeting,
			DueOn: "2026-11-24", AssigneeLogin: "adv1"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Cases.UpdateTask(f.ctx, f.Man1, task.ID, cases.TaskPatch{AssigneeLogin: ptr("man1"),
			DueOn: ptr("2026-11-26"), Priority: ptr("high")})
		if err != nil || got.Assignee == nil || got.Assignee.Login != "man1" || got.DueOn != "2026-11-26" || got.Priority != "high" {
			t.Fatalf("UpdateTask = %+v, %v", got, err)
		}
		_, err = f.Cases.UpdateTask(f.ctx, f.Man1, task.ID, cases.TaskPatch{AssigneeLogin: ptr("adv2")})
		wantReason(t, err, "assignee", "outside_scope")
		got, err = f.Cases.UpdateTask(f.ctx, f.Man1, task.ID, cases.TaskPatch{AssigneeLogin: ptr("")})
		if err != nil || got.Assignee != nil || got.Queue != "A1" {
			t.Fatalf("UpdateTask to the queue = %+v, %v", got, err)
		}
		if _, err := f.Cases.CancelTask(f.ctx, f.Adv1, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.Cases.UpdateTask(f.ctx, f.Man1, task.ID, cases.TaskPatch{DueOn: ptr("2026-11-27")})
		wantCode(t, err, core.Conflict)
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
