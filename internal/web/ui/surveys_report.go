package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveyReportDays is the default period of the results: the last 30 days.
const surveyReportDays = 30

// surveysReportPage is the results' criteria and their table.
type surveysReportPage struct {
	page
	From, To  string // the period as typed, YYYY-MM-DD once read
	GroupBy   string
	Campaign  string
	Unit      string
	GroupBys  []string
	Campaigns []surveys.Campaign // nil when the agent may not list them: a code is typed
	Units     []org.Unit
	Stats     *surveys.Stats
	CSVURL    string
}

// surveyReportRoutes mounts the results page and its CSV (survey.results).
func (s *server) surveyReportRoutes(mux *http.ServeMux) {
	if s.Surveys == nil {
		return
	}
	mux.Handle("GET /surveys/report", s.signedIn(core.PermSurveyResults, s.surveysReport))
	mux.Handle("GET /surveys/report.csv", s.signedIn(core.PermSurveyResults, s.surveysReportCSV))
}

// surveyCriteria reads the criteria of the query: the period's days in the
// agent's time zone, [from, to] both included.
func (s *server) surveyCriteria(r *http.Request, p *surveysReportPage) (surveys.StatsCriteria, core.Fields) {
	q := r.URL.Query()
	loc := p.loc
	if loc == nil {
		loc = paris
	}
	today := s.Clock.Now().In(loc)
	p.From, p.To = isoDate(q.Get("from")), isoDate(q.Get("to"))
	if p.To == "" {
		p.To = today.Format(time.DateOnly)
	}
	if p.From == "" {
		p.From = today.AddDate(0, 0, -surveyReportDays).Format(time.DateOnly)
	}
	p.GroupBy, p.Campaign, p.Unit = q.Get("group_by"), strings.TrimSpace(q.Get("campaign")), q.Get("unit")
	if p.GroupBy == "" {
		p.GroupBy = surveys.GroupUnit
	}
	fields := core.Fields{}
	from, err := time.ParseInLocation(time.DateOnly, p.From, loc)
	if err != nil {
		fields["from"] = core.Because("date")
	}
	to, err := time.ParseInLocation(time.DateOnly, p.To, loc)
	if err != nil {
		fields["to"] = core.Because("date")
	} else if len(fields) == 0 && to.Before(from) {
		fields["to"] = core.Because("period_order")
	}
	if len(fields) > 0 {
		return surveys.StatsCriteria{}, fields
	}
	return surveys.StatsCriteria{From: from, To: to.AddDate(0, 0, 1), GroupBy: p.GroupBy, CampaignCode: p.Campaign,
		UnitCode: p.Unit}, nil
}

func (s *server) surveysReport(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	p := surveysReportPage{page: s.newPage(r, "survey.report.title"), GroupBys: surveys.GroupBys}
	p.Current = "surveys-report"
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Units = units
	if actor.Can(core.PermSurveyAdmin) {
		if p.Campaigns, err = s.Surveys.Campaigns(r.Context(), actor); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	c, fields := s.surveyCriteria(r, &p)
	if fields != nil {
		p.Fields, p.Error = fields, p.T("form.invalid")
		s.render(w, r, http.StatusUnprocessableEntity, "surveys_report", "", p)
		return
	}
	st, err := s.Surveys.Stats(r.Context(), actor, c)
	if err != nil {
		if code := core.ErrorCode(err); code == core.Invalid || code == core.NotFound {
			p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
			s.render(w, r, http.StatusUnprocessableEntity, "surveys_report", "", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	p.Stats = &st
	v := url.Values{"from": {p.From}, "to": {p.To}, "group_by": {p.GroupBy}}
	if p.Campaign != "" {
		v.Set("campaign", p.Campaign)
	}
	if p.Unit != "" {
		v.Set("unit", p.Unit)
	}
	p.CSVURL = "/surveys/report.csv?" + v.Encode()
	s.render(w, r, http.StatusOK, "surveys_report", "", p)
}

// RowLabel names a row of the results.
func (p surveysReportPage) RowLabel(r surveys.StatsRow) string {
	if r.Label != "" {
		return r.Label
	}
	if r.Key == "" {
		return p.T("survey.report.none")
	}
	return r.Key
}

// Pct writes a rate 0..1 as a percentage.
func (p surveysReportPage) Pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return p.decimal(strconv.FormatFloat(*v*100, 'f', 0, 64)) + " %"
}

// Avg writes an average score with one decimal.
func (p surveysReportPage) Avg(v *float64) string {
	if v == nil {
		return "—"
	}
	return p.decimal(strconv.FormatFloat(*v, 'f', 1, 64))
}

// NPS writes a net promoter score, signed.
func (p surveysReportPage) NPS(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 0, 64)
}

func (p surveysReportPage) decimal(s string) string {
	if p.Lang == "fr" {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// UnderFloor reports whether a row's answers are too few for figures.
func (p surveysReportPage) UnderFloor(r surveys.StatsRow) bool {
	return r.Answered < surveys.MinAnswers
}

// distBar is one score's bar of a distribution, in the SVG's units.
type distBar struct {
	Score, Count, X, Y, H int
}

// The size of a distribution's bars in its SVG.
const (
	distBarWidth  = 6
	distBarHeight = 24
)

// DistWidth is the width of a row's distribution SVG.
func (p surveysReportPage) DistWidth(r surveys.StatsRow) int { return len(p.Bars(r)) * distBarWidth }

// Bars draws a row's distribution: a bar per score of its scale, the
// largest filling the height (percent).
func (p surveysReportPage) Bars(r surveys.StatsRow) []distBar {
	if r.Distribution == nil {
		return nil
	}
	from, to := 1, 5
	if r.Scale == surveys.Scale10 {
		from, to = 0, 10
	} else if r.Scale == "" {
		keys := make([]int, 0, len(r.Distribution))
		for k := range r.Distribution {
			if n, err := strconv.Atoi(k); err == nil {
				keys = append(keys, n)
			}
		}
		sort.Ints(keys)
		if len(keys) > 0 && (keys[0] == 0 || keys[len(keys)-1] > 5) {
			from, to = 0, 10
		}
	}
	most := 0
	for _, n := range r.Distribution {
		most = max(most, n)
	}
	out := make([]distBar, 0, to-from+1)
	for i := from; i <= to; i++ {
		n := r.Distribution[strconv.Itoa(i)]
		h := 0
		if most > 0 {
			h = max(n*distBarHeight/most, min(n, 1))
		}
		out = append(out, distBar{Score: i, Count: n, X: (i - from) * distBarWidth, Y: distBarHeight - h, H: h})
	}
	return out
}

// DistText is a distribution written out for screen readers: "1: 0, 2: 3…".
func (p surveysReportPage) DistText(r surveys.StatsRow) string {
	var b strings.Builder
	for i, bar := range p.Bars(r) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(bar.Score) + " : " + strconv.Itoa(bar.Count))
	}
	return b.String()
}

// surveyRowView is a row of the results table with its page.
type surveyRowView struct {
	P     surveysReportPage
	R     surveys.StatsRow
	Total bool
}

// SurveyRow pairs a row with the page for the row template.
func (p surveysReportPage) SurveyRow(r surveys.StatsRow, total bool) surveyRowView {
	return surveyRowView{P: p, R: r, Total: total}
}
