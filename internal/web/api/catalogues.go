package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/catalogue"
)

type catalogueInput struct {
	Kind string `path:"kind" enum:"product,report_reason,letter_type,notification_category,segment,request_reason"`
}

type catalogueOutput struct {
	Body struct {
		Items []catalogue.Term `json:"items"`
	}
}

type reportReasonsInput struct {
	EstablishmentCode string `path:"establishment_code"`
}

type reportReasonsOutput struct {
	Body struct {
		Establishment catalogue.Establishment `json:"establishment"`
		Items         []catalogue.Term        `json:"items"`
	}
}

type reportReasonSaveInput struct {
	EstablishmentCode string `path:"establishment_code"`
	Code              string `path:"code"`
	Body              struct {
		LabelFR string `json:"label_fr" doc:"The label in French, required, up to 100 characters."`
		LabelEN string `json:"label_en" doc:"The label in English, required, up to 100 characters."`
		Active  bool   `json:"active" doc:"Offered in new reports; a deactivated reason keeps labelling the reports that have it."`
	}
}

type reportReasonOutput struct {
	Body catalogue.Term
}

// registerCatalogues mounts the catalogues (labels in both languages) and
// the administration of an establishment's report reasons.
func (h *handlers) registerCatalogues(a huma.API) {
	tags := []string{"Catalogues"}
	huma.Register(a, huma.Operation{OperationID: "get-catalogue", Method: http.MethodGet, Path: "/catalogues/{kind}",
		Summary: "A catalogue's entries as the caller's establishment sees them, with both labels", Tags: tags},
		func(ctx context.Context, in *catalogueInput) (*catalogueOutput, error) {
			book, err := h.Catalogues.Book(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &catalogueOutput{}
			out.Body.Items = book.Terms(catalogue.Kind(in.Kind))
			if out.Body.Items == nil {
				out.Body.Items = []catalogue.Term{}
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-report-reasons", Method: http.MethodGet,
		Path: "/admin/report-reasons/{establishment_code}", Tags: tags,
		Summary: "An establishment's report-reason catalogue, deactivated reasons included (admin)"},
		func(ctx context.Context, in *reportReasonsInput) (*reportReasonsOutput, error) {
			est, list, err := h.Catalogues.ReportReasons(ctx, actorOf(ctx), in.EstablishmentCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &reportReasonsOutput{}
			out.Body.Establishment, out.Body.Items = est, list
			if out.Body.Items == nil {
				out.Body.Items = []catalogue.Term{}
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "save-report-reason", Method: http.MethodPut,
		Path: "/admin/report-reasons/{establishment_code}/{code}", Tags: tags,
		Summary: "Add a report reason to an establishment, or change a reason's labels or active flag (admin)",
		Description: "The code is fixed once created (2 to 40 lower-case letters, digits or _); reasons are never deleted, " +
			"only deactivated, as reports keep them. Changing a shared reason changes it for this establishment only. Audited."},
		func(ctx context.Context, in *reportReasonSaveInput) (*reportReasonOutput, error) {
			e, err := h.Catalogues.SaveReportReason(ctx, actorOf(ctx), in.EstablishmentCode, catalogue.TermInput{
				Code: in.Code, LabelFR: in.Body.LabelFR, LabelEN: in.Body.LabelEN, Active: in.Body.Active})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &reportReasonOutput{Body: e}, nil
		})
}
