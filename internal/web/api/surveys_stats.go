package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/surveys"
)

type surveyStatsInput struct {
	From     string `query:"from" maxLength:"10" doc:"First day, YYYY-MM-DD (UTC); 29 days before to by default"`
	To       string `query:"to" maxLength:"10" doc:"Last day (included), YYYY-MM-DD (UTC); today by default"`
	GroupBy  string `query:"group_by" enum:"unit,agent,campaign," doc:"unit by default"`
	Campaign string `query:"campaign" maxLength:"100" doc:"A campaign's code: only its surveys"`
	Unit     string `query:"unit" maxLength:"100" doc:"A unit's code: its surveys and those of the units below it"`
	Format   string `query:"format" enum:"json,csv," doc:"csv: the rows and total as CSV, as with Accept: text/csv"`
	Accept   string `header:"Accept" maxLength:"1000"`
}

type surveyStatsOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               any
}

func (h *handlers) registerSurveyStats(a huma.API) {
	summary := "The satisfaction results per unit, agent or campaign: surveys sent and skipped (due in the period), " +
		"skipped by the three-month rule, answers (given in the period), response rate, average score, distribution and NPS " +
		"(0–10 scale: promoters 9–10 minus detractors 0–6, in %); the figures from answers are null under 5 answers, so " +
		"no answer can be traced. Anonymous answers count. Requires survey.results; only the units in scope count"
	handler := func(csv bool) func(ctx context.Context, in *surveyStatsInput) (*surveyStatsOutput, error) {
		return func(ctx context.Context, in *surveyStatsInput) (*surveyStatsOutput, error) {
			c, err := h.surveyCriteria(in)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			st, err := h.Surveys.Stats(ctx, actorOf(ctx), c)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			if csv || in.Format == "csv" || in.Format == "" && strings.Contains(in.Accept, "text/csv") {
				var b bytes.Buffer
				if err := st.CSV(&b); err != nil {
					return nil, h.fail(ctx, core.Errorf(core.Internal, "write the CSV: %v", err))
				}
				name := "surveys-" + st.From.Format(time.DateOnly) + "-" + st.To.AddDate(0, 0, -1).Format(time.DateOnly) + ".csv"
				return &surveyStatsOutput{ContentType: "text/csv; charset=utf-8",
					ContentDisposition: `attachment; filename="` + name + `"`, Body: b.Bytes()}, nil
			}
			return &surveyStatsOutput{ContentType: "application/json", Body: toStatsJSON(st)}, nil
		}
	}
	for _, p := range []struct {
		id, path string
		csv      bool
	}{{"survey-stats", "/stats/surveys", false}, {"survey-stats-csv", "/stats/surveys.csv", true}} {
		huma.Register(a, huma.Operation{OperationID: p.id, Method: http.MethodGet, Path: p.path, Tags: []string{"Surveys"},
			Summary: summary, Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}}, handler(p.csv))
		op := a.OpenAPI().Paths[p.path].Get
		content := map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}
		if !p.csv {
			content["application/json"] = &huma.MediaType{
				Schema: a.OpenAPI().Components.Schemas.Schema(reflectType[surveyStatsJSON](), true, "")}
		}
		op.Responses["200"] = &huma.Response{Description: "The results", Content: content}
	}
}

// surveyCriteria reads the period: from and to are UTC days, to included.
func (h *handlers) surveyCriteria(in *surveyStatsInput) (surveys.StatsCriteria, error) {
	today := h.Clock.Now().UTC().Truncate(24 * time.Hour)
	f := core.Fields{}
	day := func(field, v string, def time.Time) time.Time {
		if v == "" {
			return def
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			f.Add(field, core.Because("date"))
		}
		return d
	}
	to := day("to", in.To, today)
	from := day("from", in.From, to.AddDate(0, 0, -29))
	if err := f.Err(); err != nil {
		return surveys.StatsCriteria{}, err
	}
	return surveys.StatsCriteria{From: from, To: to.AddDate(0, 0, 1), GroupBy: in.GroupBy, CampaignCode: in.Campaign,
		UnitCode: in.Unit}, nil
}

// surveyStatsRowJSON is one group's figures; those from answers are null
// under 5 answers.
type surveyStatsRowJSON struct {
	Key           string          `json:"key" doc:"The unit's code, the agent's login or the campaign's code"`
	Label         string          `json:"label"`
	Sent          int             `json:"sent"`
	Skipped       int             `json:"skipped" doc:"Every reason"`
	SkippedRecent int             `json:"skipped_recent" doc:"By the three-month rule"`
	Answered      int             `json:"answered"`
	ResponseRate  *float64        `json:"response_rate" doc:"answered / sent, 0 to 1"`
	AverageScore  *float64        `json:"average_score" doc:"Null when the group mixes scales"`
	Distribution  *map[string]int `json:"distribution" doc:"Score → answers"`
	NPS           *float64        `json:"nps" doc:"-100 to 100, on the 0–10 scale only"`
	Scale         string          `json:"scale" enum:"1-5,0-10," doc:"Empty when the group mixes scales or has no answer"`
}

// surveyStatsJSON is the results.
type surveyStatsJSON struct {
	From    time.Time            `json:"from"`
	To      time.Time            `json:"to" doc:"Excluded"`
	GroupBy string               `json:"group_by" enum:"unit,agent,campaign"`
	Rows    []surveyStatsRowJSON `json:"rows"`
	Total   surveyStatsRowJSON   `json:"total"`
}

func toStatsRowJSON(r surveys.StatsRow) surveyStatsRowJSON {
	out := surveyStatsRowJSON{Key: r.Key, Label: r.Label, Sent: r.Sent, Skipped: r.Skipped, SkippedRecent: r.SkippedRecent,
		Answered: r.Answered, ResponseRate: r.ResponseRate, AverageScore: r.AverageScore, NPS: r.NPS, Scale: r.Scale}
	if r.Distribution != nil {
		out.Distribution = &r.Distribution
	}
	return out
}

func toStatsJSON(st surveys.Stats) surveyStatsJSON {
	out := surveyStatsJSON{From: st.From, To: st.To, GroupBy: st.GroupBy, Rows: make([]surveyStatsRowJSON, len(st.Rows)),
		Total: toStatsRowJSON(st.Total)}
	for i, r := range st.Rows {
		out.Rows[i] = toStatsRowJSON(r)
	}
	return out
}
