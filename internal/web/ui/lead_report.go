package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// leadReportRoutes lists the response-time report and the "associated
// with" form of a desk request; both need lead.work.
func (s *server) leadReportRoutes(mux *http.ServeMux) {
	if s.Leads == nil {
		return
	}
	mux.Handle("GET /leads/report", s.signedIn(core.PermLeadWork, s.leadReport))
	if s.Desk != nil {
		mux.Handle("POST /desk/requests/{id}/lead", s.signedIn(core.PermLeadWork, s.deskAssociateLead))
	}
}

// intervalField is one of the five editable intervals of the criteria.
type intervalField struct{ N, From, To string }

// leadReportPage is the criteria form and, once shown, the report.
type leadReportPage struct {
	page
	Form      url.Values // the criteria as typed
	Intervals []intervalField
	Units     []org.Unit
	GroupBys  []string
	Shown     bool // the criteria were submitted: they fold away
	Report    *leads.ResponseReport
	CSVURL    string
	Chart     leadChart
}

// Field is a criterion as typed.
func (p leadReportPage) Field(name string) string { return p.Form.Get(name) }

// Minutes writes business minutes as hours and minutes: "2 h 05", "45 min".
func (p leadReportPage) Minutes(m *int64) string {
	if m == nil {
		return "—"
	}
	if *m < 60 {
		return fmt.Sprintf("%d min", *m)
	}
	return fmt.Sprintf("%d h %02d", *m/60, *m%60)
}

// Num writes a count or an average with the page language's decimal mark.
func (p leadReportPage) Num(v any) string {
	var s string
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return "—"
		}
		s = strconv.FormatFloat(*x, 'f', -1, 64)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		s = strconv.FormatInt(x, 10)
	}
	if p.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// IntervalName names an interval: "1–6 h", "48 h +".
func (p leadReportPage) IntervalName(from int, to *int) string {
	if to == nil {
		return p.T("leadreport.interval_open", "From", from)
	}
	return p.T("leadreport.interval", "From", from, "To", *to)
}

// RowLabel names a row: the agent's or unit's name, the source, or "none".
func (p leadReportPage) RowLabel(r leads.ResponseRow) string {
	if r.Key == "" {
		return p.T(map[string]string{leads.GroupAgent: "leadreport.none_agent", leads.GroupUnit: "leadreport.none_unit",
			leads.GroupSource: "leadreport.none_source", leads.GroupSourceGroup: "leadreport.none_source_group"}[p.Report.Criteria.GroupBy])
	}
	if r.Label != "" {
		return r.Label
	}
	return r.Key
}

// leadReport shows the criteria; with show=1 it runs the report and folds
// the criteria away; refused criteria are shown again, open, with why.
func (s *server) leadReport(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	q := r.URL.Query()
	p := leadReportPage{page: s.newPage(r, "leadreport.title"), Form: q, GroupBys: leads.GroupBys}
	p.Current = "leads-report"
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Units = units
	defaults, _ := leads.ParseIntervals(leads.DefaultIntervals)
	anyTyped := false
	for i := range leads.MaxIntervals {
		n := strconv.Itoa(i + 1)
		anyTyped = anyTyped || q.Has("i"+n+"_from") || q.Has("i"+n+"_to")
	}
	var typed []string
	for i := range leads.MaxIntervals {
		n := strconv.Itoa(i + 1)
		f := intervalField{N: n, From: q.Get("i" + n + "_from"), To: q.Get("i" + n + "_to")}
		if !anyTyped { // a link without intervals: the defaults
			f.From = strconv.Itoa(defaults[i].From)
			if defaults[i].To != nil {
				f.To = strconv.Itoa(*defaults[i].To)
			}
		}
		p.Intervals = append(p.Intervals, f)
		if strings.TrimSpace(f.From) != "" || strings.TrimSpace(f.To) != "" {
			typed = append(typed, strings.TrimSpace(f.From)+"-"+strings.TrimSpace(f.To))
		}
	}
	if q.Get("show") == "" {
		s.render(w, r, http.StatusOK, "lead_report", "", p)
		return
	}
	c := leads.ReportCriteria{From: isoDate(q.Get("from")), To: isoDate(q.Get("to")), UnitCode: q.Get("unit"),
		AgentLogin: strings.TrimSpace(q.Get("agent")), Source: strings.TrimSpace(q.Get("source")),
		SourceGroup: strings.TrimSpace(q.Get("source_group")), Product: q.Get("product"), GroupBy: q.Get("group_by"),
		DetailLimit: 500}
	c.Intervals, err = leads.ParseIntervals(strings.Join(typed, ","))
	if err == nil {
		var rep leads.ResponseReport
		if rep, err = s.Leads.ResponseReport(r.Context(), actor, c); err == nil {
			p.Shown, p.Report = true, &rep
			p.Form = url.Values{}
			for k, v := range q {
				p.Form[k] = v
			}
			p.Form.Set("from", rep.Criteria.From)
			p.Form.Set("to", rep.Criteria.To)
			p.CSVURL = csvURL(rep.Criteria)
			p.Chart = newLeadChart(p, rep)
			s.render(w, r, http.StatusOK, "lead_report", "", p)
			return
		}
	}
	if core.ErrorCode(err) != core.Invalid {
		s.fail(w, r, err)
		return
	}
	p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
	s.render(w, r, http.StatusUnprocessableEntity, "lead_report", "", p)
}

// csvURL is the API's CSV of the same criteria (the page's session signs it).
func csvURL(c leads.ReportCriteria) string {
	v := url.Values{"from": {c.From}, "to": {c.To}, "group_by": {c.GroupBy},
		"intervals": {leads.FormatIntervals(c.Intervals)}, "format": {"csv"}}
	for k, x := range map[string]string{"unit": c.UnitCode, "agent": c.AgentLogin, "source": c.Source,
		"source_group": c.SourceGroup, "product": c.Product} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "/api/v1/stats/lead-response?" + v.Encode()
}

// leadChart is the bar chart of the totals per interval, drawn as inline
// SVG: one bar per interval, its height its share of the leads (the
// largest share fills the height), its count and percentage written above.
type leadChart struct {
	Width, Height int
	Bars          []leadBar
}

// leadBar is one interval's bar.
type leadBar struct {
	X, Y, W, H    int
	LabelX        int
	Name, Value   string
	Count         int64
	Pct           float64
	ValueY, AxisY int
}

func newLeadChart(p leadReportPage, rep leads.ResponseReport) leadChart {
	const width, height, top, bottom, gap = 520, 220, 28, 34, 16
	n := len(rep.Totals.Intervals)
	if n == 0 {
		return leadChart{}
	}
	c := leadChart{Width: width, Height: height}
	barW := (width - gap*(n+1)) / n
	plot := height - top - bottom
	// The tallest bar fills the plot; the others in proportion to it.
	most := 0.0
	for _, iv := range rep.Totals.Intervals {
		most = max(most, iv.Pct)
	}
	for i, iv := range rep.Totals.Intervals {
		h := 0
		if most > 0 {
			h = int(iv.Pct / most * float64(plot))
		}
		x := gap + i*(barW+gap)
		c.Bars = append(c.Bars, leadBar{X: x, W: barW, H: h, Y: top + plot - h, LabelX: x + barW/2,
			Name: p.IntervalName(iv.From, iv.To), Count: iv.Count, Pct: iv.Pct,
			Value: p.Num(iv.Count) + " · " + p.Num(iv.Pct) + " %", ValueY: top + plot - h - 6, AxisY: height - bottom + 16})
	}
	return c
}
