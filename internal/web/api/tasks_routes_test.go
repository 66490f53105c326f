package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// savePlan has the administrator save the plan "follow_up": a call the
// case's agent makes today, then a check from A1's queue two business
// days later that moves the case to analysis.
func (a *casesApp) savePlan() {
	a.t.Helper()
	a.must(http.StatusOK, "admin", http.MethodPost, "/admin/action-plans", map[string]any{"code": "follow_up",
		"establishment_code": "BR", "name": "Suivi", "steps": []any{
			map[string]any{"day": 0, "title": "Appeler le client", "kind": "call", "assignee": "case_agent"},
			map[string]any{"day": 2, "title": "Vérifier les pièces", "assignee": "queue", "unit_code": "A1",
				"moves_case_to": "analysis"}}})
}

func TestAnActionPlanLaunchedOnACaseCreatesItsTasksAndTheLastOneDoneMovesTheCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		app.savePlan()
		c := app.openCase("")["id"].(string)
		run := app.must(http.StatusCreated, "adv1", http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"case_id": c})
		tasks := run["tasks"].([]any)
		if run["status"] != "running" || len(tasks) != 2 {
			t.Fatalf("run %v", run)
		}
		call, check := tasks[0].(map[string]any), tasks[1].(map[string]any)
		if call["kind"] != "call" || call["assignee"].(map[string]any)["login"] != "adv1" || call["case_id"] != c || call["queue"] != "" {
			t.Errorf("the call %v, want adv1's (the case's responsible)", call)
		}
		if check["assignee"] != nil || check["queue"] != "A1" || check["moves_to"] != "analysis" {
			t.Errorf("the check %v, want in A1's queue", check)
		}
		// Monday 23 November 2026: the call is due today, the check two business days later.
		if call["due_on"] != "2026-11-23" || check["due_on"] != "2026-11-25" {
			t.Errorf("due on %v and %v, want 2026-11-23 and 2026-11-25", call["due_on"], check["due_on"])
		}
		ids := func(query string) []string {
			return field(app.must(http.StatusOK, "adv1", http.MethodGet, "/tasks"+query, nil)["tasks"], "id")
		}
		for query, want := range map[string][]string{
			"?assignee=adv1&due=today": {call["id"].(string)},
			"?queue=A1":                {check["id"].(string)},
			"?due=week&case_id=" + c:   {call["id"].(string), check["id"].(string)},
			"?due=overdue":             nil,
			"?status=done":             nil,
		} {
			if got := ids(query); !slices.Equal(got, want) {
				t.Errorf("GET /tasks%s: %v, want %v", query, got, want)
			}
		}
		for query, want := range map[string]int{"?due=tomorrow": 422, "?assignee=ghost": 422, "?queue=ZZ": 422, "?limit=201": 422} {
			if status, raw, _ := app.call("adv1", http.MethodGet, "/tasks"+query, nil); status != want {
				t.Errorf("GET /tasks%s: %d %s, want %d", query, status, raw, want)
			}
		}
		taken := app.must(http.StatusOK, "adv1", http.MethodPost, "/tasks/"+check["id"].(string)+"/take", nil)
		if taken["assignee"].(map[string]any)["login"] != "adv1" || taken["queue"] != "" {
			t.Errorf("taken %v", taken)
		}
		app.must(http.StatusOK, "adv1", http.MethodPost, "/tasks/"+call["id"].(string)+"/complete", nil)
		done := app.must(http.StatusOK, "adv1", http.MethodPost, "/tasks/"+check["id"].(string)+"/complete", nil)
		if done["status"] != "done" || done["completed_at"] == nil {
			t.Errorf("done %v", done)
		}
		if status := app.must(http.StatusOK, "adv1", http.MethodGet, "/cases/"+c, nil)["status"]; status != "analysis" {
			t.Errorf("the case is %v after its plan's check, want analysis", status)
		}
		if got := field(app.must(http.StatusOK, "adv1", http.MethodGet, "/cases/"+c, nil)["elements"].(map[string]any)["tasks"], "id"); len(got) != 2 {
			t.Errorf("the case's tasks as elements: %v, want its plan's two", got)
		}
		if status, raw, _ := app.call("adv1", http.MethodPost, "/tasks/"+check["id"].(string)+"/complete", nil); status != http.StatusConflict {
			t.Errorf("completing a done task: %d %s, want 409", status, raw)
		}
		// On a contact too; exactly one target.
		k := app.contact("information")["id"].(string)
		app.must(http.StatusCreated, "adv1", http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"contact_id": k})
		status, raw, body := app.call("adv1", http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"contact_id": k, "case_id": c})
		if status != http.StatusUnprocessableEntity || reasonOf(body, "target") != "exactly_one" {
			t.Errorf("two targets: %d %s, want 422 exactly_one", status, raw)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/action-plans/nope/launch", map[string]any{"case_id": c}); status != http.StatusNotFound {
			t.Errorf("an unknown plan: %d, want 404", status)
		}
		if status, _, _ := app.call("adv2", http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"case_id": c}); status != http.StatusNotFound {
			t.Errorf("adv2 launches on an A1 case: %d, want 404", status)
		}
		// Cancelling a run cancels its open tasks.
		again := app.must(http.StatusCreated, "adv1", http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"case_id": c})
		cancelled := app.must(http.StatusOK, "adv1", http.MethodPost, "/plan-runs/"+again["id"].(string)+"/cancel", nil)
		if cancelled["status"] != "cancelled" || !slices.Equal(field(cancelled["tasks"], "status"), []string{"cancelled", "cancelled"}) {
			t.Errorf("cancelled run %v", cancelled)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/plan-runs/"+again["id"].(string)+"/cancel", nil); status != http.StatusConflict {
			t.Errorf("cancelling a cancelled run: %d, want 409", status)
		}
	})
}

func TestAManualTaskIsReassignedRescheduledAndCancelledWithinTheScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		c := app.openCase("")["id"].(string)
		task := app.must(http.StatusCreated, "adv1", http.MethodPost, "/tasks", map[string]any{"title": "Rappeler Mme Dupré",
			"description": "Au sujet de sa carte", "due_on": "2026-11-24", "assignee": "adv1", "priority": "high", "case_id": c})
		want := []string{"assignee", "case_id", "completed_at", "contact_id", "created_at", "description", "due_on", "id", "kind",
			"moves_to", "party_id", "plan_run_id", "priority", "queue", "request_id", "status", "title", "unit_code"}
		if got := keysOf(task); !slices.Equal(got, want) {
			t.Errorf("a task's JSON has %v, want exactly %v", got, want)
		}
		if task["party_id"] != app.P1.ID || task["unit_code"] != "A1" || task["kind"] != "task" || task["status"] != "open" {
			t.Errorf("task %v, want the case's party and unit", task)
		}
		id := task["id"].(string)
		patched := app.must(http.StatusOK, "adv1", http.MethodPatch, "/tasks/"+id, map[string]any{"assignee": "", "due_on": "2026-11-27"})
		if patched["assignee"] != nil || patched["queue"] != "A1" || patched["due_on"] != "2026-11-27" || patched["title"] != "Rappeler Mme Dupré" {
			t.Errorf("patched %v, want in A1's queue, due the 27th", patched)
		}
		if got := app.must(http.StatusOK, "adv1", http.MethodGet, "/tasks/"+id, nil); got["due_on"] != "2026-11-27" {
			t.Errorf("read back %v", got)
		}
		for _, c := range []struct {
			name   string
			method string
			path   string
			as     string
			body   map[string]any
			status int
			field  string
		}{
			{"a date that is not one", http.MethodPost, "/tasks", "adv1", map[string]any{"title": "X", "due_on": "27/11/2026"}, 422, "due_on"},
			{"no title", http.MethodPost, "/tasks", "adv1", map[string]any{"title": " ", "due_on": "2026-11-27"}, 422, "title"},
			{"a case of another agency", http.MethodPost, "/tasks", "adv2", map[string]any{"title": "X", "due_on": "2026-11-27", "case_id": c}, 422, "case_id"},
			{"an assignee who cannot see the unit", http.MethodPatch, "/tasks/" + id, "adv1", map[string]any{"assignee": "adv2"}, 422, "assignee"},
			{"reading it from A2", http.MethodGet, "/tasks/" + id, "adv2", nil, 404, ""},
			{"a viewer", http.MethodPost, "/tasks", "viewer", map[string]any{"title": "X", "due_on": "2026-11-27"}, 403, ""},
		} {
			status, raw, body := app.call(c.as, c.method, c.path, c.body)
			if status != c.status || c.field != "" && reasonOf(body, c.field) == "" {
				t.Errorf("%s: %d %s, want %d naming %s", c.name, status, raw, c.status, c.field)
			}
		}
		cancelled := app.must(http.StatusOK, "adv1", http.MethodPost, "/tasks/"+id+"/cancel", nil)
		if cancelled["status"] != "cancelled" {
			t.Errorf("cancelled %v", cancelled)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/tasks/"+id+"/cancel", nil); status != http.StatusConflict {
			t.Errorf("cancelling twice: %d, want 409", status)
		}
		if status, _, _ := app.call("adv1", http.MethodPatch, "/tasks/"+id, map[string]any{"title": "Trop tard"}); status != http.StatusConflict {
			t.Errorf("changing a cancelled task: %d, want 409", status)
		}
	})
}

func TestTheActivityListShowsTodaysOverdueAndWeeksTasksOfTheAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		for _, due := range []string{"2026-11-20", "2026-11-23", "2026-11-26", "2026-12-10"} {
			app.must(http.StatusCreated, "adv1", http.MethodPost, "/tasks", map[string]any{"title": "Pour le " + due, "due_on": due,
				"assignee": "adv1", "party_id": app.P1.ID})
		}
		app.newRequest("Carte bloquée")
		act := app.must(http.StatusOK, "adv1", http.MethodGet, "/activity", nil)
		for part, want := range map[string][]string{"overdue": {"Pour le 2026-11-20"}, "today": {"Pour le 2026-11-23"},
			"week": {"Pour le 2026-11-26"}} {
			if got := field(act[part], "title"); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", part, got, want)
			}
		}
		if act["agent"].(map[string]any)["login"] != "adv1" || act["today_count"] != float64(1) {
			t.Errorf("activity %v", act)
		}
		if status, raw, _ := app.call("adv1", http.MethodGet, "/activity?agent=adv2", nil); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("adv1 reads adv2's activity: %d %s, want 404 or 403", status, raw)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/activity?agent=ghost", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown agent: %d, want 422", status)
		}
		// A manager (request.assign) reads a unit's: its agents' tasks; an advisor may not.
		unit := app.must(http.StatusOK, "admin", http.MethodGet, "/activity?unit=A1", nil)
		if unit["agent"] != nil || !slices.Equal(field(unit["overdue"], "title"), []string{"Pour le 2026-11-20"}) {
			t.Errorf("A1's activity %v", unit)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/activity?unit=A1", nil); status != http.StatusForbidden {
			t.Errorf("an advisor reads the unit's activity: %d, want 403", status)
		}
	})
}
