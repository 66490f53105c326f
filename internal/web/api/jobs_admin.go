package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/jobs"
)

type jobListInput struct {
	State  string `query:"state" enum:"queued,running,done,failed" doc:"Only the jobs in this state; absent: queued, running and failed"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"0" maximum:"200" doc:"Jobs per page (50 by default)"`
}

// jobPage is a page of jobs (jobs.Page, named apart from history.Page in
// the OpenAPI document).
type jobPage struct {
	Items      []jobs.Job `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

type jobListOutput struct{ Body jobPage }

type jobIDInput struct {
	ID string `path:"id" doc:"The job's ID"`
}

type jobOutput struct{ Body jobs.Job }

func (h *handlers) registerJobsAdmin(a huma.API) {
	tags := []string{"Background jobs"}
	huma.Register(a, huma.Operation{OperationID: "list-jobs", Method: http.MethodGet, Path: "/admin/jobs", Tags: tags,
		Summary: "Background jobs newest first: queued (with their next run), running, failed (with the error and attempts). Requires admin"},
		func(ctx context.Context, in *jobListInput) (*jobListOutput, error) {
			page, err := h.Jobs.List(ctx, actorOf(ctx), jobs.Filter{State: jobs.State(in.State), Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &jobListOutput{Body: jobPage{Items: page.Items, NextCursor: page.NextCursor}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "retry-job", Method: http.MethodPost, Path: "/admin/jobs/{id}/retry", Tags: tags,
		Summary: "Queue a failed job again for now, its attempts reset. Audited; requires admin; 409 unless the job is failed"},
		func(ctx context.Context, in *jobIDInput) (*jobOutput, error) {
			j, err := h.Jobs.Retry(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &jobOutput{Body: j}, nil
		})
}
