package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/history"
)

type reportCreateInput struct {
	Body history.ReportInput
}

type reportOutput struct {
	Body history.Report
}

type reportIDInput struct {
	ID string `path:"id"`
}

type reportFixInput struct {
	ID   string `path:"id"`
	Body history.ReportFix
}

// reportAttachInput names the exchange an orphan report is attached to.
type reportAttachInput struct {
	ID   string `path:"id"`
	Body struct {
		InteractionID string `json:"interaction_id" maxLength:"100" doc:"One of the report's suggestions"`
		Version       int    `json:"version" minimum:"1" maximum:"2147483647" doc:"The report's version as read"`
	}
}

type orphansInput struct {
	Cursor string `query:"cursor" maxLength:"200"`
	Limit  int    `query:"limit" minimum:"0" maximum:"200"`
}

type orphansOutput struct {
	Body history.ReportPage
}

type reasonsOutput struct {
	Body struct {
		Items []reasonEntry `json:"items"`
	}
}

type reasonEntry struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func (h *handlers) registerReports(a huma.API) {
	tags := []string{"Meeting reports"}
	huma.Register(a, huma.Operation{OperationID: "write-report", Method: http.MethodPost, Path: "/reports",
		Summary: "File a meeting report (CRE), reconciled at once with the exchange it describes",
		Description: "Attached to the captured call or email of the same party, agent, medium and initiative within the " +
			"7 days before (the last one of that day, unless written within 15 minutes after a particular one); " +
			"otherwise an orphan with its own timeline line and suggestions. One report per party, agent and day: " +
			"a second is a 409. Requires report.write.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *reportCreateInput) (*reportOutput, error) {
			r, err := h.History.WriteReport(ctx, actorOf(ctx), in.Body)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &reportOutput{Body: r}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-report", Method: http.MethodGet, Path: "/reports/{id}",
		Summary: "Get a meeting report, with suggestions when it is an orphan", Tags: tags},
		func(ctx context.Context, in *reportIDInput) (*reportOutput, error) {
			r, err := h.History.Report(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &reportOutput{Body: r}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "fix-report", Method: http.MethodPatch, Path: "/reports/{id}",
		Summary: "Correct a meeting report; a new medium or initiative reconciles it again",
		Description: "By its author, or a reviewer (report.review) whose scope holds the author's unit. " +
			"Send the version read: a stale one is a 409.", Tags: tags},
		func(ctx context.Context, in *reportFixInput) (*reportOutput, error) {
			r, err := h.History.FixReport(ctx, actorOf(ctx), in.ID, in.Body)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &reportOutput{Body: r}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "attach-report", Method: http.MethodPost, Path: "/reports/{id}/attach",
		Summary: "Attach an orphan report to one of its suggestions; the report takes that exchange's medium and initiative " +
			"(its author or a reviewer of the author's unit; 404 if the exchange is not a suggestion, 409 for a stale version)",
		Tags: tags},
		func(ctx context.Context, in *reportAttachInput) (*reportOutput, error) {
			r, err := h.History.AttachReport(ctx, actorOf(ctx), in.ID, in.Body.InteractionID, in.Body.Version)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &reportOutput{Body: r}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "orphan-reports", Method: http.MethodGet, Path: "/reports/orphans",
		Summary: "The orphan reports to fix: the caller's own and, for a reviewer, those of the agents in scope", Tags: tags},
		func(ctx context.Context, in *orphansInput) (*orphansOutput, error) {
			page, err := h.History.Orphans(ctx, actorOf(ctx), in.Cursor, in.Limit)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &orphansOutput{Body: page}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "report-reasons", Method: http.MethodGet, Path: "/reports/reasons",
		Summary: "The report reasons the caller's establishment offers, labelled in the caller's language", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*reasonsOutput, error) {
			book, err := h.Catalogues.Book(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &reasonsOutput{}
			for _, e := range book.Active(catalogue.ReportReasons) {
				out.Body.Items = append(out.Body.Items, reasonEntry{e.Code, e.Label(actorOf(ctx).Locale)})
			}
			return out, nil
		})
}
