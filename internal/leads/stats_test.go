package leads_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

// reportFixture writes the report's hand-computed fixture: November 2026,
// thirteen leads, two outside the period.
//
//	adv1 (A1, source site, group web): 0, 60, 61, 1440, 1441 minutes, two unanswered
//	adv2 (A2, source comparateur, group web): 2880, 2881 minutes, one unanswered
//	nobody (A1, source agence, group branch): 30 minutes
//
// With the default intervals (0-1, 1-6, 6-24, 24-48, 48-), an interval
// holds the responses longer than its start and at most its end.
func reportFixture(t *testing.T, f *fixture) {
	t.Helper()
	n := 0
	add := func(l lead, minutes int64) {
		t.Helper()
		n++
		l.First, l.Last = "Prospect", fmt.Sprint(n)
		id := f.addLead(t, l)
		if minutes >= 0 {
			f.answer(t, id, minutes)
		}
	}
	day := func(d int) time.Time { return at(fmt.Sprintf("2026-11-%02d 10:00", d)) }
	for i, m := range []int64{0, 60, 61, 1440, 1441, -1} {
		add(lead{PartyID: f.P1.ID, Assignee: "adv1", Source: "site", SourceGroup: "web", Product: "loan", Received: day(2 + i)}, m)
	}
	add(lead{Assignee: "adv1", Source: "site", SourceGroup: "web", Received: at("2026-11-30 23:59")}, -1)
	for i, m := range []int64{2880, 2881, -1} {
		add(lead{Unit: "A2", Assignee: "adv2", Source: "comparateur", SourceGroup: "web", Product: "insurance", Received: day(10 + i)}, m)
	}
	add(lead{Source: "agence", SourceGroup: "branch", Received: day(20), Status: leads.StatusNew}, 30)
	add(lead{Assignee: "adv1", Source: "site", SourceGroup: "web", Received: at("2026-10-31 23:30")}, 5)
	add(lead{Assignee: "adv1", Source: "site", SourceGroup: "web", Received: at("2026-12-01 00:00")}, 5)
}

// answer sets the lead's response as RecordActivity would have.
func (f *fixture) answer(t *testing.T, id string, minutes int64) {
	t.Helper()
	if _, err := f.DB.Exec(f.ctx, `UPDATE leads SET status = 'answered', response_minutes = ?, response_kind = 'call',
		first_response_at = clock_start_at + ? WHERE id = ?`, minutes, minutes*60000, id); err != nil {
		t.Fatal(err)
	}
}

// line is a report row as the tests write it.
type line struct {
	key             string
	leads, answered int64
	avg             any // float64 or nil
	within24h       int64
	within24hPct    float64
	counts          [5]int64
	pcts            [5]float64
}

func wantRow(t *testing.T, name string, r leads.ResponseRow, w line) {
	t.Helper()
	var avg any
	if r.AverageResponseMinutes != nil {
		avg = *r.AverageResponseMinutes
	}
	got := line{key: r.Key, leads: r.Leads, answered: r.Answered, avg: avg, within24h: r.Within24h, within24hPct: r.Within24hPct}
	for i, iv := range r.Intervals {
		got.counts[i], got.pcts[i] = iv.Count, iv.Pct
	}
	if got != w {
		t.Fatalf("%s:\n got %+v\nwant %+v", name, got, w)
	}
}

var november = leads.ReportCriteria{From: "2026-11-01", To: "2026-11-30"}

func TestTheResponseReportCountsTheFixtureByAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		reportFixture(t, f)
		r, err := f.Leads.ResponseReport(f.ctx, f.Admin, november)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 3 {
			t.Fatalf("rows = %+v", r.Rows)
		}
		wantRow(t, "adv1", r.Rows[0], line{"adv1", 7, 5, 600.4, 4, 57.1, [5]int64{2, 1, 1, 1, 0}, [5]float64{28.6, 14.3, 14.3, 14.3, 0}})
		wantRow(t, "adv2", r.Rows[1], line{"adv2", 3, 2, 2880.5, 0, 0, [5]int64{0, 0, 0, 1, 1}, [5]float64{0, 0, 0, 33.3, 33.3}})
		wantRow(t, "unassigned", r.Rows[2], line{"", 1, 1, 30.0, 1, 100, [5]int64{1, 0, 0, 0, 0}, [5]float64{100, 0, 0, 0, 0}})
		wantRow(t, "totals", r.Totals, line{"", 11, 8, 1099.1, 5, 45.5, [5]int64{3, 1, 1, 2, 1}, [5]float64{27.3, 9.1, 9.1, 18.2, 9.1}})
		if r.Rows[0].Label != "Hugo Conseiller" || r.Rows[1].Label != "Lina Lyon" {
			t.Fatalf("labels = %q, %q", r.Rows[0].Label, r.Rows[1].Label)
		}
		if len(r.Details) != 11 || r.DetailsCut {
			t.Fatalf("%d details (cut %v), want 11", len(r.Details), r.DetailsCut)
		}
		first, last := r.Details[0], r.Details[10]
		if first.CustomerName != "Hélène Dupré" || first.ResponseMinutes == nil || *first.ResponseMinutes != 0 ||
			first.AgentLogin != "adv1" || first.Source != "site" || !first.ReceivedAt.Equal(at("2026-11-02 10:00")) {
			t.Fatalf("first detail = %+v", first)
		}
		if last.CustomerName != "Prospect 7" || last.ResponseMinutes != nil || last.FirstResponseAt != nil {
			t.Fatalf("last detail (received 30 November 23:59) = %+v", last)
		}
	})
}

func TestTheResponseReportGroupsBySourceUnitAndSourceGroupAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		reportFixture(t, f)
		keys := func(c leads.ReportCriteria) map[string]int64 {
			t.Helper()
			r, err := f.Leads.ResponseReport(f.ctx, f.Admin, c)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, row := range r.Rows {
				out[row.Key] = row.Leads
			}
			if r.Totals.Leads != int64(len(r.Details)) {
				t.Fatalf("totals %d leads but %d details", r.Totals.Leads, len(r.Details))
			}
			return out
		}
		for name, tc := range map[string]struct {
			c    leads.ReportCriteria
			want map[string]int64
		}{
			"by source":           {leads.ReportCriteria{GroupBy: leads.GroupSource}, map[string]int64{"site": 7, "comparateur": 3, "agence": 1}},
			"by source group":     {leads.ReportCriteria{GroupBy: leads.GroupSourceGroup}, map[string]int64{"web": 10, "branch": 1}},
			"by unit":             {leads.ReportCriteria{GroupBy: leads.GroupUnit}, map[string]int64{"A1": 8, "A2": 3}},
			"region R2 and below": {leads.ReportCriteria{UnitCode: "R2"}, map[string]int64{"adv2": 3}},
			"one agent":           {leads.ReportCriteria{AgentLogin: "adv1", GroupBy: leads.GroupSource}, map[string]int64{"site": 7}},
			"one source":          {leads.ReportCriteria{Source: "comparateur"}, map[string]int64{"adv2": 3}},
			"one source group":    {leads.ReportCriteria{SourceGroup: "branch"}, map[string]int64{"": 1}},
			"one product":         {leads.ReportCriteria{Product: "loan"}, map[string]int64{"adv1": 6}},
		} {
			tc.c.From, tc.c.To = november.From, november.To
			if got := keys(tc.c); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("%s: %v, want %v", name, got, tc.want)
			}
		}
	})
}

func TestTheResponseReportCountsOnlyTheScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		reportFixture(t, f)
		r, err := f.Leads.ResponseReport(f.ctx, f.actor(t, "adv1"), november)
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals.Leads != 8 || len(r.Rows) != 2 || r.Rows[0].Key != "adv1" || len(r.Details) != 8 {
			t.Fatalf("adv1's report: totals %d, rows %+v, %d details", r.Totals.Leads, r.Rows, len(r.Details))
		}
		for _, d := range r.Details {
			if d.UnitCode != "A1" {
				t.Fatalf("a lead of %s in adv1's report", d.UnitCode)
			}
		}
		if _, err := f.Leads.ResponseReport(f.ctx, f.actor(t, "viewer"), november); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("viewer: err = %v, want forbidden", err)
		}
	})
}

func TestIntervalEdgesHoldTheirEndButNotTheirStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		reportFixture(t, f)
		ivs, err := leads.ParseIntervals("0-24,24-")
		if err != nil {
			t.Fatal(err)
		}
		c := november
		c.Intervals = ivs
		r, err := f.Leads.ResponseReport(f.ctx, f.Admin, c)
		if err != nil {
			t.Fatal(err)
		}
		// 0, 60, 61, 1440 and 30 minutes within 24 hours; 1441, 2880, 2881 beyond.
		if got := [2]int64{r.Totals.Intervals[0].Count, r.Totals.Intervals[1].Count}; got != [2]int64{5, 3} {
			t.Fatalf("0-24, 24-: %v, want [5 3]", got)
		}
		if r.Totals.Within24h != 5 {
			t.Fatalf("within 24 hours: %d, want 5", r.Totals.Within24h)
		}
	})
}

func TestReportCriteriaAreChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for field, c := range map[string]leads.ReportCriteria{
			"from":      {From: "01/11/2026"},
			"to":        {From: "2026-11-10", To: "2026-11-01"},
			"group_by":  {GroupBy: "product"},
			"unit":      {UnitCode: "NOPE"},
			"agent":     {AgentLogin: "nobody"},
			"source":    {Source: "a\x00b"},
			"intervals": {Intervals: []leads.Interval{{From: 6, To: ptr(1)}}},
		} {
			if _, err := f.Leads.ResponseReport(f.ctx, f.Admin, c); !hasField(err, field) {
				t.Errorf("%s: err = %v", field, err)
			}
		}
	})
}

func TestIntervalsAreReadAsHoursFromTo(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", leads.DefaultIntervals, true},
		{"0-1,1-6,6-24,24-48,48-", "0-1,1-6,6-24,24-48,48-", true},
		{" 0 - 2 , 2 - ", "0-2,2-", true},
		{"0-1,1-2,2-3,3-4,4-5,5-", "", false}, // six
		{"1-", "1-", true},
		{"2-1", "", false},
		{"1-1", "", false},
		{"0-,1-2", "", false}, // only the last is open
		{"-1-2", "", false},
		{"a-b", "", false},
		{"0-1000000", "", false},
	} {
		ivs, err := leads.ParseIntervals(tc.in)
		if (err == nil) != tc.ok || (tc.ok && leads.FormatIntervals(ivs) != tc.want) {
			t.Errorf("ParseIntervals(%q) = %s, %v; want %q ok %v", tc.in, leads.FormatIntervals(ivs), err, tc.want, tc.ok)
		}
	}
}
