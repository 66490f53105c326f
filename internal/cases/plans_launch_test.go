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

// toChristmasEve moves the clock from Monday 23 November 2026 to
// Thursday 24 December 2026, 10:00 in Paris.
func (f *taskFixture) toChristmasEve() { f.Clock.Advance(31 * 24 * time.Hour) }

func TestPlanTaskDueDatesSkipTheWeekendAndAPublicHoliday(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		f.toChristmasEve()
		cl := f.classification(t, "claim", "open", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "man1")
		f.plan(t, "claim_follow_up",
			cases.PlanStep{Day: 0, Title: "Call the customer", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent},
			cases.PlanStep{Day: 1, Title: "Send the form", Assignee: cases.AssignLauncher},
			cases.PlanStep{Day: 2, Title: "Check the documents", Assignee: cases.AssignQueue},
			cases.PlanStep{Day: 5, Title: "Back office review", Assignee: cases.AssignQueue, UnitCode: "A2"})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "claim_follow_up", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Tasks) != 4 || run.Status != cases.RunRunning || run.Plan != "claim_follow_up" {
			t.Fatalf("run = %+v, want 4 tasks running", run)
		}
		byTitle := map[string]cases.Task{}
		for _, task := range run.Tasks {
			byTitle[task.Title] = task
			if task.CaseID != c || task.PartyID != f.P1.ID || task.PlanRunID != run.ID {
				t.Fatalf("task %+v is not the case's", task)
			}
		}
		for _, want := range []struct{ title, due, assignee, queue string }{
			{"Call the customer", "2026-12-24", "man1", ""}, // day 0: launched on a business day
			{"Send the form", "2026-12-28", "adv1", ""},     // Christmas (Friday) and the weekend skipped
			{"Check the documents", "2026-12-29", "", "A1"}, // the case's unit's queue
			{"Back office review", "2027-01-04", "", "A2"},  // New Year's Day and the weekend skipped
		} {
			task := byTitle[want.title]
			login := ""
			if task.Assignee != nil {
				login = task.Assignee.Login
			}
			if task.DueOn != want.due || login != want.assignee || task.Queue != want.queue {
				t.Errorf("%s: due %s, assignee %q, queue %q; want %s, %q, %q", want.title, task.DueOn, login,
					task.Queue, want.due, want.assignee, want.queue)
			}
		}
		if got := f.str(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'plan_launched'", c); got != "1" {
			t.Fatalf("plan_launched events = %s, want 1", got)
		}
	})
}

func TestAPlanLaunchedOnASaturdayStartsOnMonday(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		f.Clock.Advance(5 * 24 * time.Hour) // Saturday 28 November 2026
		cl := f.classification(t, "claim", "open", "closed")
		c := f.newCase(t, cl, f.A1, "open", "", "")
		f.plan(t, "call", cases.PlanStep{Day: 0, Title: "Call", Assignee: cases.AssignCaseAgent})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "call", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		// No responsible agent nor emitter: the launcher.
		if task := run.Tasks[0]; task.DueOn != "2026-11-30" || task.Assignee == nil || task.Assignee.Login != "adv1" {
			t.Fatalf("task = %+v, want adv1's, due Monday 30 November", task)
		}
	})
}

func TestCompletingAPlansTasksMovesTheCaseAndEndsTheRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "waiting_documents", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "adv1")
		f.plan(t, "documents",
			cases.PlanStep{Day: 0, Title: "Send the form", Assignee: cases.AssignCaseAgent, MovesCaseTo: "waiting_documents"},
			cases.PlanStep{Day: 3, Title: "Close the claim", Assignee: cases.AssignCaseAgent, MovesCaseTo: "closed"})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "documents", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		if run.Tasks[0].MovesTo != "waiting_documents" {
			t.Fatalf("first task = %+v, want it to move the case to waiting_documents", run.Tasks[0])
		}
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, run.Tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := f.str(t, "SELECT status FROM cases WHERE id = ?", c); got != "waiting_documents" {
			t.Fatalf("case status = %s, want waiting_documents", got)
		}
		if got := f.str(t, "SELECT status FROM plan_runs WHERE id = ?", run.ID); got != "running" {
			t.Fatalf("run = %s, want running while a task is open", got)
		}
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, run.Tasks[1].ID); err != nil {
			t.Fatal(err)
		}
		if got := f.str(t, "SELECT status FROM cases WHERE id = ?", c); got != "closed" {
			t.Fatalf("case status = %s, want closed", got)
		}
		if got := f.str(t, "SELECT status FROM plan_runs WHERE id = ?", run.ID); got != "done" {
			t.Fatalf("run = %s, want done", got)
		}
	})
}

func TestCancellingAPlanCancelsItsOpenTasksOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "adv1")
		f.plan(t, "three", cases.PlanStep{Day: 0, Title: "One", Assignee: cases.AssignCaseAgent},
			cases.PlanStep{Day: 1, Title: "Two", Assignee: cases.AssignCaseAgent},
			cases.PlanStep{Day: 2, Title: "Three", Assignee: cases.AssignQueue})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "three", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, run.Tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.Cases.CancelPlanRun(f.ctx, f.Adv2, run.ID)
		wantCode(t, err, core.NotFound)
		got, err := f.Cases.CancelPlanRun(f.ctx, f.Adv1, run.ID)
		if err != nil || got.Status != cases.RunCancelled {
			t.Fatalf("CancelPlanRun = %+v, %v", got, err)
		}
		statuses := []string{}
		for _, task := range got.Tasks {
			statuses = append(statuses, task.Status)
		}
		if want := []string{"done", "cancelled", "cancelled"}; !equal(statuses, want) {
			t.Fatalf("task statuses = %v, want %v", statuses, want)
		}
		if n := f.str(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'plan_cancelled'", c); n != "1" {
			t.Fatalf("plan_cancelled events = %s, want 1", n)
		}
		_, err = f.Cases.CancelPlanRun(f.ctx, f.Adv1, run.ID)
		wantCode(t, err, core.Conflict)
	})
}

func TestAnAgentOfAnotherAgencyCannotLaunchAPlanOnTheCaseNorCompleteItsTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "adv1")
		f.plan(t, "call", cases.PlanStep{Day: 0, Title: "Call", Assignee: cases.AssignCaseAgent})
		_, err := f.Cases.LaunchPlan(f.ctx, f.Adv2, "call", cases.PlanTarget{CaseID: c})
		wantCode(t, err, core.NotFound)
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "call", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Cases.CompleteTask(f.ctx, f.Adv2, run.Tasks[0].ID)
		wantCode(t, err, core.NotFound)
		_, err = f.Cases.LaunchPlan(f.ctx, f.Adv1, "nope", cases.PlanTarget{CaseID: c})
		wantCode(t, err, core.NotFound)
		_, err = f.Cases.LaunchPlan(f.ctx, f.Adv1, "call", cases.PlanTarget{})
		wantReason(t, err, "target", "exactly_one")
		_, err = f.Cases.LaunchPlan(f.ctx, f.Viewer, "call", cases.PlanTarget{CaseID: c})
		wantCode(t, err, core.Forbidden)
	})
}

func TestABackOfficeCompletingItsQueuedTaskMovesACaseItDoesNotSee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		cl := f.classification(t, "claim", "open", "reviewed", "closed")
		c := f.newCase(t, cl, f.A1, "open", f.P1.ID, "adv1")
		f.plan(t, "review", cases.PlanStep{Day: 1, Title: "Review", Assignee: cases.AssignQueue, UnitCode: "A2",
			MovesCaseTo: "reviewed"})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "review", cases.PlanTarget{CaseID: c})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.TakeTask(f.ctx, f.Adv2, run.Tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.CompleteTask(f.ctx, f.Adv2, run.Tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := f.str(t, "SELECT status FROM cases WHERE id = ?", c); got != "reviewed" {
			t.Fatalf("case status = %s, want reviewed", got)
		}
	})
}

func TestAPlanLaunchedOnAContactGoesToItsResponsibleAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		now := core.Millis(f.Clock.Now())
		typeID, contact := core.NewID(), core.NewID()
		f.exec(t, `INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, created_at, updated_at)
			VALUES (?, ?, 'info', 'Information', 'Information', ?, ?)`, typeID, f.BR, now, now)
		f.exec(t, `INSERT INTO contacts (id, unit_id, type_id, party_id, medium, direction, interaction_id, created_at)
			VALUES (?, ?, ?, ?, 'phone', 'inbound', ?, ?)`, contact, f.A1, typeID, f.P1.ID, core.NewID(), now)
		f.exec(t, "INSERT INTO work_agents (owner_id, agent_id, role) VALUES (?, ?, 'emitter')", contact, f.Adv1.AgentID)
		f.exec(t, "INSERT INTO work_agents (owner_id, agent_id, role) VALUES (?, ?, 'responsible')", contact, f.Man1.AgentID)
		f.plan(t, "call_back", cases.PlanStep{Day: 2, Title: "Call back", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent})
		_, err := f.Cases.LaunchPlan(f.ctx, f.Adv2, "call_back", cases.PlanTarget{ContactID: contact})
		wantCode(t, err, core.NotFound)
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "call_back", cases.PlanTarget{ContactID: contact})
		if err != nil {
			t.Fatal(err)
		}
		task := run.Tasks[0]
		if task.Assignee == nil || task.Assignee.Login != "man1" || task.ContactID != contact || task.PartyID != f.P1.ID ||
			task.DueOn != "2026-11-25" || task.Kind != cases.TaskCall {
			t.Fatalf("task = %+v, want man1's call about the contact, due Wednesday 25 November", task)
		}
	})
}

func TestAPlanOnARequestMovesItOnlyToADeskStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newTaskFixture(t, d)
		r, err := f.App.App.Desk.Create(f.ctx, f.Adv1, desk.NewRequest{Channel: desk.ChannelPhone, Subject: "Card", CustomerName: "A"})
		if err != nil {
			t.Fatal(err)
		}
		f.plan(t, "card", cases.PlanStep{Day: 0, Title: "Order the card", Assignee: cases.AssignLauncher, MovesCaseTo: "waiting"},
			cases.PlanStep{Day: 1, Title: "Check it arrived", Assignee: cases.AssignLauncher, MovesCaseTo: "documents_received"})
		run, err := f.Cases.LaunchPlan(f.ctx, f.Adv1, "card", cases.PlanTarget{RequestID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if run.Tasks[0].MovesTo != "waiting" || run.Tasks[1].MovesTo != "" || run.Tasks[0].RequestReference != r.Reference {
			t.Fatalf("tasks = %+v, want the first to move the request to waiting, the second nothing", run.Tasks)
		}
		for _, task := range run.Tasks {
			if _, err := f.Cases.CompleteTask(f.ctx, f.Adv1, task.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := f.App.App.Desk.Get(f.ctx, f.Adv1, r.ID); got.Status != desk.StatusWaiting {
			t.Fatalf("request status = %s, want waiting", got.Status)
		}
	})
}
