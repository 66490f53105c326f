package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// newTask writes a task as the agent of login; the test clock's today is
// Monday 2026-11-23.
func (a *testApp) newTask(as string, in cases.NewTask) cases.Task {
	a.t.Helper()
	t, err := a.App.App.Cases.CreateTask(context.Background(), a.actorOf(as), in)
	if err != nil {
		a.t.Fatalf("create task %q: %v", in.Title, err)
	}
	return t
}

// section is the part of the activity page whose id is id.
func section(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestActivityListSortsTheAgentsTasksIntoOverdueTodayAndThisWeekWithTheirPictograms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.newTask("adv1", cases.NewTask{Title: "Relancer le dossier de prêt", DueOn: "2026-11-20", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Appeler Mme Dupré", Kind: cases.TaskCall, DueOn: "2026-11-23",
			AssigneeLogin: "adv1", PartyID: app.P1.ID})
		app.newTask("adv1", cases.NewTask{Title: "Rendez-vous bilan", Kind: cases.TaskMeeting, DueOn: "2026-11-26", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Dans trois semaines", DueOn: "2026-12-14", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Vérifier les pièces", DueOn: "2026-11-23", Queue: true})
		req := app.newRequest("Plafond de carte")
		if _, err := app.App.App.Desk.Assign(context.Background(), app.actorOf("adv1"), req.ID, "adv1"); err != nil {
			t.Fatal(err)
		}
		adv := app.signIn("adv1")
		status, page := adv.get("/activity")
		if status != http.StatusOK {
			t.Fatalf("GET /activity: %d", status)
		}
		page = html.UnescapeString(page)
		for id, want := range map[string]string{"overdue": "Relancer le dossier de prêt", "today": "Appeler Mme Dupré",
			"week": "Rendez-vous bilan", "queue": "Vérifier les pièces"} {
			if !strings.Contains(section(page, id), want) {
				t.Errorf("section %s lacks %q", id, want)
			}
		}
		if got := section(page, "requests"); !strings.Contains(got, req.Reference+"</span> Plafond de carte") || !strings.Contains(got, `aria-label="Formulaire web"`) {
			t.Errorf("the request assigned is not listed with its channel: %.400s", got)
		}
		if strings.Contains(page, "Dans trois semaines") {
			t.Errorf("a task due in three weeks is on this week's list")
		}
		if !strings.Contains(section(page, "today"), `aria-label="Appel à passer"`) || !strings.Contains(section(page, "today"), "Hélène Dupré") {
			t.Errorf("the call is not shown with its pictogram's name and the customer's name")
		}
		if !strings.Contains(section(page, "week"), `aria-label="Rendez-vous"`) {
			t.Errorf("the meeting is not shown with its pictogram's name")
		}
		if strings.Contains(section(page, "queue"), "/done") || !strings.Contains(section(page, "queue"), "/take") {
			t.Errorf("a queued task is offered done rather than taken")
		}
		if !strings.Contains(page, `href="/activity"`) {
			t.Errorf("the navigation has no Activity entry")
		}
	})
}

func TestActivityListSaysWhenNothingWaits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		_, page := app.signIn("adv1").get("/activity")
		page = html.UnescapeString(page)
		for _, want := range []string{"Rien ne vous attend", "Aucune tâche en retard.", "La file de l'unité est vide."} {
			if !strings.Contains(page, want) {
				t.Errorf("empty activity list lacks %q", want)
			}
		}
	})
}

func TestATaskIsDoneInOneClickOrCancelledAndLeavesTheList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		task := app.newTask("adv1", cases.NewTask{Title: "Appeler Mme Dupré", Kind: cases.TaskCall, DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		adv := app.signIn("adv1")
		status, _, loc := adv.post("/tasks/"+task.ID+"/done", url.Values{"back": {"/activity"}})
		if status != http.StatusSeeOther || loc != "/activity" {
			t.Fatalf("done: %d → %q", status, loc)
		}
		_, page := adv.get("/activity")
		page = html.UnescapeString(page)
		if !strings.Contains(page, "Tâche faite : Appeler Mme Dupré") {
			t.Errorf("no message after the task was done")
		}
		if strings.Contains(section(page, "today"), "Appeler Mme Dupré") {
			t.Errorf("the done task is still on the list")
		}
		other := app.newTask("adv1", cases.NewTask{Title: "Rappel inutile", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		if status, _, _ := adv.post("/tasks/"+other.ID+"/cancel", url.Values{"back": {"/activity"}}); status != http.StatusSeeOther {
			t.Errorf("cancel: %d", status)
		}
		if _, page := adv.get("/activity"); strings.Contains(section(page, "today"), "Rappel inutile") ||
			!strings.Contains(html.UnescapeString(page), "Tâche annulée : Rappel inutile") {
			t.Errorf("the cancelled task is still listed or no message says so")
		}
		// Done twice (another tab): refused with a message, not an error page.
		status, _, loc = adv.post("/tasks/"+task.ID+"/done", url.Values{"back": {"https://evil.example/"}})
		if status != http.StatusSeeOther || loc != "/activity" {
			t.Errorf("done again: %d → %q (an outside back address must not be followed)", status, loc)
		}
		if _, page := adv.get("/activity"); !strings.Contains(html.UnescapeString(page), "Cette tâche a changé entre-temps") {
			t.Errorf("no message when the task was done already")
		}
	})
}

func TestATaskIsTakenFromTheUnitsQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		task := app.newTask("adv1", cases.NewTask{Title: "Vérifier les pièces", DueOn: "2026-11-23", Queue: true})
		adv := app.signIn("adv1")
		if status, _, _ := adv.post("/tasks/"+task.ID+"/take", url.Values{"back": {"/activity#queue"}}); status != http.StatusSeeOther {
			t.Fatalf("take: %d", status)
		}
		_, page := adv.get("/activity")
		page = html.UnescapeString(page)
		if !strings.Contains(section(page, "today"), "Vérifier les pièces") || strings.Contains(section(page, "queue"), "Vérifier les pièces") {
			t.Errorf("the taken task did not move from the queue to today's tasks")
		}
	})
}

func TestATaskIsRescheduledAndAReassignmentToAnUnknownAgentIsExplainedOnItsForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		task := app.newTask("adv1", cases.NewTask{Title: "Relancer le dossier", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		adv := app.signIn("adv1")
		status, _, _ := adv.post("/tasks/"+task.ID, url.Values{"back": {"/activity"}, "assignee": {"adv1"},
			"due_on": {"25/11/2026"}, "priority": {"high"}})
		if status != http.StatusSeeOther {
			t.Fatalf("reschedule: %d", status)
		}
		_, page := adv.get("/activity")
		if !strings.Contains(section(html.UnescapeString(page), "week"), "Relancer le dossier") {
			t.Errorf("the task moved to Wednesday is not in this week's part")
		}
		status, page, _ = adv.post("/tasks/"+task.ID, url.Values{"back": {"/activity"}, "assignee": {"personne"},
			"due_on": {"25/11/2026"}, "priority": {"high"}})
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown assignee: %d", status)
		}
		if !strings.Contains(page, `value="personne"`) || !strings.Contains(page, "<details class=\"task-change\" open>") {
			t.Errorf("the refused form is not shown open with its input")
		}
		if !strings.Contains(page, `class="err"`) {
			t.Errorf("the refused assignee has no reason beside it")
		}
	})
}

func TestAnAgentReadsNoOtherAgentsActivityWithoutTheAssignPermission(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.newTask("admin", cases.NewTask{Title: "Tâche de l'administratrice", DueOn: "2026-11-23", AssigneeLogin: "admin"})
		status, page := app.signIn("adv1").get("/activity?agent=admin")
		if status == http.StatusOK || strings.Contains(page, "Tâche de l") {
			t.Errorf("advisor reads the administrator's activity: %d", status)
		}
		if status, _ := app.signIn("viewer").get("/activity"); status != http.StatusForbidden {
			t.Errorf("viewer (no case.manage) opens the activity list: %d", status)
		}
	})
}

func TestTaskFormsRefuseCrossOriginPosts(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	task := app.newTask("adv1", cases.NewTask{Title: "Appeler Mme Dupré", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
	adv := app.signIn("adv1")
	for _, path := range []string{"/tasks/" + task.ID + "/done", "/tasks/" + task.ID + "/take", "/tasks/" + task.ID + "/cancel", "/tasks/" + task.ID, "/tasks"} {
		req, _ := http.NewRequest(http.MethodPost, app.Server.URL+path, strings.NewReader("assignee=&due_on=2026-12-01&title=Forgée"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := adv.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if _, page := adv.get("/activity"); !strings.Contains(section(html.UnescapeString(page), "today"), "Appeler Mme Dupré") ||
		strings.Contains(html.UnescapeString(page), "Forgée") {
		t.Errorf("a cross-site post changed the task or wrote one")
	}
}

func TestAnAgentWritesATaskForThemselvesOrTheirUnitsQueueFromTheActivityList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		_, page := adv.get("/activity")
		if !strings.Contains(page, `action="/tasks"`) || !strings.Contains(page, `name="due_on" value="23/11/2026"`) {
			t.Fatalf("no new task form due today by default")
		}
		status, _, _ := adv.post("/tasks", url.Values{"back": {"/activity"}, "title": {"Préparer le rendez-vous"},
			"kind": {"meeting"}, "due_on": {"23/11/2026"}, "priority": {"medium"}, "assignee": {"adv1"}, "description": {""}})
		if status != http.StatusSeeOther {
			t.Fatalf("new task: %d", status)
		}
		adv.post("/tasks", url.Values{"back": {"/activity"}, "title": {"Classer les pièces"}, "kind": {"task"},
			"due_on": {"2026-11-24"}, "priority": {"low"}, "assignee": {""}})
		_, page = adv.get("/activity")
		page = html.UnescapeString(page)
		if !strings.Contains(section(page, "today"), "Préparer le rendez-vous") || !strings.Contains(section(page, "today"), `aria-label="Rendez-vous"`) {
			t.Errorf("the meeting written for today is not on today's part with its pictogram")
		}
		if !strings.Contains(section(page, "queue"), "Classer les pièces") {
			t.Errorf("the task without assignee is not in the unit's queue")
		}
		status, page, _ = adv.post("/tasks", url.Values{"back": {"/activity"}, "title": {"  "}, "kind": {"call"},
			"due_on": {"31/02/2026"}, "priority": {"low"}, "assignee": {"adv1"}})
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `<details class="card task-new" open>`) ||
			!strings.Contains(page, `value="31/02/2026"`) || strings.Count(page, `class="err"`) < 2 {
			t.Errorf("a task without title on 31 February: %d, the form not shown again open with both reasons", status)
		}
	})
}

func TestAManagerReadsAnAgentsActivityOfTheirScopeAndReassignsATask(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		task := app.newTask("adv1", cases.NewTask{Title: "Appeler Mme Dupré", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		admin := app.signIn("admin") // request.assign over the whole establishment
		status, page := admin.get("/activity?agent=adv1")
		page = html.UnescapeString(page)
		if status != http.StatusOK || !strings.Contains(page, "Activité de Hugo Conseiller") || !strings.Contains(section(page, "today"), "Appeler Mme Dupré") {
			t.Fatalf("the manager reads the advisor's activity: %d", status)
		}
		if !strings.Contains(page, `name="back" value="/activity?agent=adv1"`) {
			t.Errorf("the task forms do not come back to the advisor's list")
		}
		status, _, loc := admin.post("/tasks/"+task.ID, url.Values{"back": {"/activity?agent=adv1"}, "assignee": {"admin"},
			"due_on": {"23/11/2026"}, "priority": {"low"}})
		if status != http.StatusSeeOther || loc != "/activity?agent=adv1" {
			t.Fatalf("reassign: %d → %q", status, loc)
		}
		if _, page := admin.get("/activity"); !strings.Contains(section(html.UnescapeString(page), "today"), "Appeler Mme Dupré") {
			t.Errorf("the reassigned task is not on the manager's own list")
		}
		if _, page := admin.get("/activity?agent=personne"); !strings.Contains(page, `class="err"`) {
			t.Errorf("an unknown agent picked is not explained")
		}
	})
}

func TestAManagerReadsAUnitsActivityWithWhoEachTaskIsFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.newTask("adv1", cases.NewTask{Title: "Appeler Mme Dupré", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Vérifier les pièces", DueOn: "2026-11-23", Queue: true})
		a1, err := app.Orgs.UnitByCode(context.Background(), "A1")
		if err != nil {
			t.Fatal(err)
		}
		status, page := app.signIn("admin").get("/activity?unit=" + a1.ID)
		page = html.UnescapeString(page)
		if status != http.StatusOK || !strings.Contains(page, "Activité de Paris Opéra") {
			t.Fatalf("the unit's activity: %d", status)
		}
		today := section(page, "today")
		if !strings.Contains(today, "Appeler Mme Dupré") || !strings.Contains(today, "Hugo Conseiller") ||
			!strings.Contains(today, "Vérifier les pièces") || !strings.Contains(today, "dans la file") {
			t.Errorf("today's part of the unit lacks a task or whom it is for: %.600s", today)
		}
		if status, _ := app.signIn("adv1").get("/activity?unit=" + a1.ID); status != http.StatusForbidden {
			t.Errorf("an advisor reads the unit's activity: %d", status)
		}
	})
}
