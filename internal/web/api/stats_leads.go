package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
)

type leadResponseStatsInput struct {
	From        string `query:"from" maxLength:"10" doc:"First day received, YYYY-MM-DD in the caller's time zone; 29 days before to by default"`
	To          string `query:"to" maxLength:"10" doc:"Last day received (included), YYYY-MM-DD; today by default"`
	GroupBy     string `query:"group_by" enum:"agent,unit,source,source_group," doc:"agent by default"`
	Intervals   string `query:"intervals" maxLength:"200" doc:"Up to five intervals in business hours, from-to, the last may be open: 0-1,1-6,6-24,24-48,48- by default. An interval holds the responses longer than its start and at most its end (the first from 0 holds 0)"`
	Unit        string `query:"unit" maxLength:"100" doc:"A unit's code: its leads and those of the units below it"`
	Agent       string `query:"agent" maxLength:"100" doc:"The assigned agent's login"`
	Source      string `query:"source" maxLength:"100"`
	SourceGroup string `query:"source_group" maxLength:"100"`
	Product     string `query:"product" maxLength:"100"`
	Details     int    `query:"details" minimum:"0" maximum:"5000" doc:"How many detail rows, oldest first (200 by default)"`
	Format      string `query:"format" enum:"json,csv," doc:"csv: the rows and totals as CSV, as with Accept: text/csv (for links)"`
	Accept      string `header:"Accept" maxLength:"1000"`
}

type leadResponseStatsOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               any
}

func (h *handlers) registerLeadResponseStats(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "lead-response-stats", Method: http.MethodGet, Path: "/stats/lead-response",
		Tags: []string{"Leads"},
		Summary: "The response-time report: per group, leads received, answered, average response in business minutes, " +
			"answered within 24 business hours and within each interval (percentages of the row's leads), totals and a " +
			"detail row per lead; as CSV with Accept: text/csv. Requires lead.work; only the leads of units in scope count",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *leadResponseStatsInput) (*leadResponseStatsOutput, error) {
			ivs, err := leads.ParseIntervals(in.Intervals)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			c := leads.ReportCriteria{From: in.From, To: in.To, GroupBy: in.GroupBy, Intervals: ivs, UnitCode: in.Unit,
				AgentLogin: in.Agent, Source: in.Source, SourceGroup: in.SourceGroup, Product: in.Product,
				DetailLimit: in.Details}
			r, err := h.Leads.ResponseReport(ctx, actorOf(ctx), c)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			if in.Format == "csv" || in.Format == "" && strings.Contains(in.Accept, "text/csv") {
				var b bytes.Buffer
				if err := r.CSV(&b); err != nil {
					return nil, h.fail(ctx, core.Errorf(core.Internal, "write the CSV: %v", err))
				}
				return &leadResponseStatsOutput{ContentType: "text/csv; charset=utf-8",
					ContentDisposition: `attachment; filename="lead-response-` + r.Criteria.From + `-` + r.Criteria.To + `.csv"`,
					Body:               b.Bytes()}, nil
			}
			return &leadResponseStatsOutput{ContentType: "application/json", Body: r}, nil
		})
	op := a.OpenAPI().Paths["/stats/lead-response"].Get
	op.Responses["200"] = &huma.Response{Description: "The report",
		Content: map[string]*huma.MediaType{
			"application/json": {Schema: a.OpenAPI().Components.Schemas.Schema(reflectType[leads.ResponseReport](), true, "")},
			"text/csv":         {Schema: &huma.Schema{Type: "string"}},
		}}
}
