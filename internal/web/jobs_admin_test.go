package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/jobs"
)

// failJob inserts a job whose handler fails until healthy is set, and runs
// it until it is failed.
func failJob(t *testing.T, app *testApp, healthy *bool) string {
	t.Helper()
	ctx := context.Background()
	r := app.App.App.Jobs
	r.Handle("test.export", func(context.Context, jobs.Job) error {
		if !*healthy {
			return errors.New("export server unreachable")
		}
		return nil
	})
	id, err := r.Insert(ctx, app.DB, jobs.NewJob{Kind: "test.export", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAPIAdminListsAFailedJobWithItsErrorAndRetriesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		healthy := false
		id := failJob(t, app, &healthy)

		if status, _ := app.call("adv1", "GET", "/api/v1/admin/jobs", nil); status != http.StatusForbidden {
			t.Errorf("an advisor lists the jobs: %d", status)
		}
		status, body := app.call("admin", "GET", "/api/v1/admin/jobs?state=failed", nil)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) != 1 {
			t.Fatalf("failed jobs: %d %v", status, body)
		}
		job := items[0].(map[string]any)
		if job["id"] != id || job["kind"] != "test.export" || job["state"] != "failed" ||
			job["last_error"] != "export server unreachable" || job["attempt"] != 1.0 || job["max_attempts"] != 1.0 {
			t.Fatalf("failed job: %v", job)
		}
		if status, body := app.call("admin", "GET", "/api/v1/admin/jobs?state=lost", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown state: %d %v", status, body)
		}
		if status, _ := app.call("adv1", "POST", "/api/v1/admin/jobs/"+id+"/retry", nil); status != http.StatusForbidden {
			t.Errorf("an advisor retries a job: %d", status)
		}
		status, body = app.call("admin", "POST", "/api/v1/admin/jobs/"+id+"/retry", nil)
		if status != http.StatusOK || body["state"] != "queued" || body["attempt"] != 0.0 {
			t.Fatalf("retry: %d %v", status, body)
		}
		if status, body := app.call("admin", "POST", "/api/v1/admin/jobs/"+id+"/retry", nil); status != http.StatusConflict {
			t.Errorf("retrying a queued job: %d %v", status, body)
		}
		if status, _ := app.call("admin", "POST", "/api/v1/admin/jobs/nope/retry", nil); status != http.StatusNotFound {
			t.Errorf("retrying an unknown job: %d", status)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND object_id = ?", id).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries of the retry: %d (%v)", n, err)
		}
		healthy = true
		if _, err := app.App.App.Jobs.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		status, body = app.call("admin", "GET", "/api/v1/admin/jobs?state=done", nil)
		done := false
		for _, it := range body["items"].([]any) {
			done = done || it.(map[string]any)["id"] == id
		}
		if status != http.StatusOK || !done {
			t.Fatalf("the retried job is not done: %d %v", status, body)
		}
		var doc map[string]any
		if status, doc = app.call("admin", "GET", "/api/v1/openapi.json", nil); status != http.StatusOK {
			t.Fatalf("openapi: %d", status)
		}
		paths, _ := doc["paths"].(map[string]any)
		if paths["/admin/jobs"] == nil || paths["/admin/jobs/{id}/retry"] == nil {
			t.Errorf("the jobs routes are not in the OpenAPI document")
		}
	})
}

func TestUIAdminJobsPageShowsAFailedJobAndRetriesIt(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	healthy := false
	id := failJob(t, app, &healthy)
	if status, _ := app.signIn("adv1").get("/admin/jobs"); status != http.StatusForbidden {
		t.Errorf("an advisor opens the jobs page: %d", status)
	}
	admin := app.signIn("admin")
	status, page := admin.get("/admin/jobs")
	if status != http.StatusOK || !strings.Contains(page, "Tâches de fond") || !strings.Contains(page, "test.export") ||
		!strings.Contains(page, "export server unreachable") || !strings.Contains(page, "En échec") ||
		!strings.Contains(page, `action="/admin/jobs/`+id+`/retry"`) {
		t.Fatalf("jobs page: %d\n%s", status, page)
	}
	status, _, loc := admin.post("/admin/jobs/"+id+"/retry", url.Values{})
	if status != http.StatusSeeOther {
		t.Fatalf("retry: %d", status)
	}
	if _, page = admin.get(loc); !strings.Contains(page, "La tâche est de nouveau en attente.") || strings.Contains(page, "/retry") {
		t.Errorf("after the retry the failed list should be empty with a notice")
	}
	if _, page = admin.get("/admin/jobs?state=queued"); !strings.Contains(page, "test.export") || !strings.Contains(page, "En attente") {
		t.Errorf("the retried job is not listed as queued")
	}
}

func TestJobsAreCountedInMetrics(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	healthy := false
	failJob(t, app, &healthy)
	resp, err := http.Get(app.Server.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`rapport_jobs{kind="test.export",state="failed"} 1`,
		`rapport_jobs{kind="outbox.deliver",state="failed"} 0`,
		`rapport_job_failures_total{final="true",kind="test.export"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
