package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/jobs"
)

type jobsPage struct {
	adminBase
	State     string
	States    []string
	Jobs      []jobs.Job
	NextQuery string
}

// adminJobs lists the background jobs newest first: by default those
// queued, running or failed, else those of the chosen state.
func (s *server) adminJobs(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := jobsPage{adminBase: s.adminPage(r, "admin.jobs", "jobs"), State: r.FormValue("state"),
		States: []string{"queued", "running", "failed", "done"}}
	page, err := s.Jobs.List(ctx, core.ActorFrom(ctx), jobs.Filter{State: jobs.State(p.State), Cursor: r.FormValue("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Jobs = page.Items
	p.NextQuery = nextQuery(r, page.NextCursor)
	s.render(w, r, http.StatusOK, "admin_jobs", "", p)
}

// adminJobRetry queues a failed job again (audited) and returns to the list.
func (s *server) adminJobRetry(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Jobs.Retry(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.jobs")
	s.redirect(w, r, "/admin/jobs?state=failed", p.T("admin.job_retried"))
}
