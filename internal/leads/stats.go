package leads

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// The groupings of the response-time report.
const (
	GroupAgent       = "agent"
	GroupUnit        = "unit"
	GroupSource      = "source"
	GroupSourceGroup = "source_group"
)

// GroupBys lists them in display order.
var GroupBys = []string{GroupAgent, GroupUnit, GroupSource, GroupSourceGroup}

// MaxIntervals is how many response-time intervals a report counts.
const MaxIntervals = 5

// DefaultIntervals are the report's intervals until an agent changes them.
const DefaultIntervals = "0-1,1-6,6-24,24-48,48-"

// maxIntervalHours bounds an interval's hours (a year of business time
// is far less).
const maxIntervalHours = 100000

// Interval is a band of response times in business hours: the responses
// longer than From hours and at most To hours (the first one, from 0,
// holds 0 too); To nil is open ended.
type Interval struct {
	From int  `json:"from"`
	To   *int `json:"to"`
}

// String is the interval as criteria write it: "1-6", "48-".
func (iv Interval) String() string {
	if iv.To == nil {
		return strconv.Itoa(iv.From) + "-"
	}
	return strconv.Itoa(iv.From) + "-" + strconv.Itoa(*iv.To)
}

// ParseIntervals reads "0-1,1-6,6-24,24-48,48-": at most MaxIntervals
// intervals in whole hours, each ending after it starts, only the last
// open ended. Empty reads as DefaultIntervals.
func ParseIntervals(s string) ([]Interval, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultIntervals
	}
	bad := core.Fields{"intervals": core.Because("report_intervals", "max", MaxIntervals)}.Err()
	parts := strings.Split(s, ",")
	if len(parts) > MaxIntervals {
		return nil, bad
	}
	out := make([]Interval, 0, len(parts))
	for i, p := range parts {
		from, to, ok := strings.Cut(strings.TrimSpace(p), "-")
		if !ok {
			return nil, bad
		}
		var iv Interval
		var err error
		if iv.From, err = strconv.Atoi(strings.TrimSpace(from)); err != nil || iv.From < 0 || iv.From > maxIntervalHours {
			return nil, bad
		}
		if to = strings.TrimSpace(to); to == "" {
			if i != len(parts)-1 {
				return nil, bad
			}
		} else {
			t, err := strconv.Atoi(to)
			if err != nil || t <= iv.From || t > maxIntervalHours {
				return nil, bad
			}
			iv.To = &t
		}
		out = append(out, iv)
	}
	return out, nil
}

// FormatIntervals writes intervals as ParseIntervals reads them.
func FormatIntervals(ivs []Interval) string {
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = iv.String()
	}
	return strings.Join(parts, ",")
}

// ReportCriteria choose the leads of a response-time report: received in the
// period From to To (dates YYYY-MM-DD in the reader's time zone, both
// included), routed to UnitCode or below it, assigned to AgentLogin, of
// Source, SourceGroup and Product (empty: any); grouped by GroupBy and
// counted in Intervals.
type ReportCriteria struct {
	From        string     `json:"from"`
	To          string     `json:"to"`
	UnitCode    string     `json:"unit_code"`
	AgentLogin  string     `json:"agent"`
	Source      string     `json:"source"`
	SourceGroup string     `json:"source_group"`
	Product     string     `json:"product"`
	GroupBy     string     `json:"group_by"`
	Intervals   []Interval `json:"intervals"`
	// DetailLimit caps the detail rows (default 200, at most 5,000).
	DetailLimit int `json:"-"`
}

// IntervalCount is how many leads of a row were answered within an interval.
type IntervalCount struct {
	From  int     `json:"from"`
	To    *int    `json:"to"`
	Count int64   `json:"count"`
	Pct   float64 `json:"pct"` // of the row's leads
}

// ResponseRow is one group of the report, or its totals.
type ResponseRow struct {
	Key                    string          `json:"key"` // the agent's login, the unit's code, the source or source group; "" for none
	Label                  string          `json:"label"`
	Leads                  int64           `json:"leads"`
	Answered               int64           `json:"answered"`
	AverageResponseMinutes *float64        `json:"average_response_minutes"` // of the answered; null when none
	Within24h              int64           `json:"within_24h"`
	Within24hPct           float64         `json:"within_24h_pct"` // of the row's leads
	Intervals              []IntervalCount `json:"intervals"`
	minutes                int64
}

// ResponseDetail is one lead of the report.
type ResponseDetail struct {
	LeadID          string     `json:"lead_id"`
	CustomerName    string     `json:"customer_name"`
	Source          string     `json:"source"`
	SourceGroup     string     `json:"source_group"`
	Product         string     `json:"product"`
	UnitCode        string     `json:"unit_code"`
	AgentLogin      string     `json:"agent"`
	AgentName       string     `json:"agent_name"`
	ReceivedAt      time.Time  `json:"received_at"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	ResponseMinutes *int64     `json:"response_minutes"`
	ResponseKind    string     `json:"response_kind"`
}

// ResponseReport is the response-time report.
type ResponseReport struct {
	Criteria ReportCriteria   `json:"criteria"`
	Rows     []ResponseRow    `json:"rows"`
	Totals   ResponseRow      `json:"totals"`
	Details  []ResponseDetail `json:"details"`
	// DetailsCut is true when there are more leads than detail rows.
	DetailsCut bool `json:"details_cut"`
}

// reportQuery is a report's criteria checked and turned into SQL.
type reportQuery struct {
	cond string
	args []any
	ivs  []Interval
	key  string // the grouped column
}

// check validates the criteria, fills defaults (the last 30 days, by
// agent, the default intervals) and builds the WHERE clause: the actor's
// establishment and scope, the period on received_at, the filters.
func (s *Store) checkCriteria(ctx context.Context, actor *core.Actor, c *ReportCriteria) (reportQuery, error) {
	f := core.Fields{}
	for _, t := range []struct{ field, v string }{{"from", c.From}, {"to", c.To}, {"unit", c.UnitCode},
		{"agent", c.AgentLogin}, {"source", c.Source}, {"source_group", c.SourceGroup}, {"product", c.Product},
		{"group_by", c.GroupBy}} {
		core.CheckText(f, t.field, t.v, core.MaxCode)
	}
	loc, err := time.LoadLocation(cmp.Or(actor.TimeZone, "Europe/Paris"))
	if err != nil {
		loc = time.UTC
	}
	today := s.clock.Now().In(loc)
	day := func(field, v string, def time.Time) time.Time {
		if v == "" {
			return time.Date(def.Year(), def.Month(), def.Day(), 0, 0, 0, 0, loc)
		}
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			f.Add(field, core.Because("date"))
		}
		return t
	}
	from := day("from", c.From, today.AddDate(0, 0, -29))
	to := day("to", c.To, today)
	if _, bad := f["to"]; !bad && to.Before(from) {
		f.Add("to", core.Because("period_order"))
	}
	c.From, c.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	c.GroupBy = cmp.Or(c.GroupBy, GroupAgent)
	if !slices.Contains(GroupBys, c.GroupBy) {
		f.Add("group_by", core.OneOf(GroupBys...))
	}
	if len(c.Intervals) == 0 {
		c.Intervals, _ = ParseIntervals(DefaultIntervals)
	} else if _, err := ParseIntervals(FormatIntervals(c.Intervals)); err != nil || len(c.Intervals) > MaxIntervals {
		f.Add("intervals", core.Because("report_intervals", "max", MaxIntervals))
	}
	if err := f.Err(); err != nil {
		return reportQuery{}, err
	}
	q := reportQuery{ivs: c.Intervals}
	unitID := actor.UnitID
	var subtree []string
	if c.UnitCode != "" {
		var path string
		err := s.db.QueryRow(ctx, "SELECT id, path FROM units WHERE code = ?", c.UnitCode).Scan(&unitID, &path)
		if err == sql.ErrNoRows {
			return q, core.Fields{"unit": core.Because("unknown_unit")}.Err()
		}
		if err != nil {
			return q, err
		}
		if subtree, err = unitsUnder(ctx, s.db, path); err != nil {
			return q, err
		}
	}
	establishment, err := catalogue.EstablishmentOf(ctx, s.db, unitID)
	if err != nil {
		return q, err
	}
	q.cond = "l.establishment_id = ? AND l.received_at >= ? AND l.received_at < ?"
	q.args = []any{establishment, core.Millis(from), core.Millis(to.AddDate(0, 0, 1))}
	scope, scopeArgs := party.ScopeCondition("l.unit_id", actor.Scope)
	q.cond += scope
	q.args = append(q.args, scopeArgs...)
	if subtree != nil {
		q.cond += " AND l.unit_id IN (" + db.Placeholders(len(subtree)) + ")"
		for _, id := range subtree {
			q.args = append(q.args, id)
		}
	}
	if c.AgentLogin != "" {
		var agentID string
		err := s.db.QueryRow(ctx, "SELECT id FROM agents WHERE login = ?", c.AgentLogin).Scan(&agentID)
		if err == sql.ErrNoRows {
			return q, core.Fields{"agent": core.Because("unknown_agent")}.Err()
		}
		if err != nil {
			return q, err
		}
		q.cond += " AND l.assignee_id = ?"
		q.args = append(q.args, agentID)
	}
	for _, eq := range []struct{ col, v string }{{"l.source", c.Source}, {"l.source_group", c.SourceGroup},
		{"l.product", c.Product}} {
		if eq.v != "" {
			q.cond += " AND " + eq.col + " = ?"
			q.args = append(q.args, eq.v)
		}
	}
	q.key = map[string]string{GroupAgent: "l.assignee_id", GroupUnit: "l.unit_id", GroupSource: "l.source",
		GroupSourceGroup: "l.source_group"}[c.GroupBy]
	if c.DetailLimit <= 0 {
		c.DetailLimit = 200
	}
	c.DetailLimit = min(c.DetailLimit, 5000)
	return q, nil
}

// unitsUnder lists the units whose path starts with path: a unit and
// every unit below it.
func unitsUnder(ctx context.Context, q db.Querier, path string) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT id FROM units WHERE path = ? OR path LIKE ?", path, strings.TrimSuffix(path, "/")+"/%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ResponseReport counts the leads of the criteria, grouped as they say:
// leads received, answered, the average response time of the answered in
// business minutes, how many were answered within 24 business hours and
// within each interval (percentages of the row's leads), with totals and a
// detail row per lead (the first DetailLimit, oldest first). Requires
// lead.work; only leads of units in the actor's scope count.
func (s *Store) ResponseReport(ctx context.Context, actor *core.Actor, c ReportCriteria) (ResponseReport, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return ResponseReport{}, err
	}
	q, err := s.checkCriteria(ctx, actor, &c)
	if err != nil {
		return ResponseReport{}, err
	}
	r := ResponseReport{Criteria: c}
	if r.Rows, err = s.reportRows(ctx, q); err != nil {
		return ResponseReport{}, err
	}
	if err := s.labelRows(ctx, c.GroupBy, r.Rows); err != nil {
		return ResponseReport{}, err
	}
	r.Totals = totals(r.Rows, q.ivs)
	if r.Details, err = s.reportDetails(ctx, q, c.DetailLimit+1); err != nil {
		return ResponseReport{}, err
	}
	if len(r.Details) > c.DetailLimit {
		r.Details, r.DetailsCut = r.Details[:c.DetailLimit], true
	}
	return r, nil
}

// AggregateSQL is the report's one aggregate query for the criteria, with
// its arguments: what `rapport bench --leads` times bare, beside the
// report.
func (s *Store) AggregateSQL(ctx context.Context, actor *core.Actor, c ReportCriteria) (string, []any, error) {
	q, err := s.checkCriteria(ctx, actor, &c)
	if err != nil {
		return "", nil, err
	}
	query, args := aggregate(q)
	return query, args, nil
}

// aggregate is the GROUP BY of a report: per key, the leads, the
// answered, their minutes summed, within 24 hours and within each interval.
func aggregate(q reportQuery) (string, []any) {
	var b strings.Builder
	b.WriteString("SELECT COALESCE(" + q.key + ", ''), COUNT(*), COUNT(l.response_minutes), " +
		"COALESCE(SUM(l.response_minutes), 0), COALESCE(SUM(CASE WHEN l.response_minutes <= 1440 THEN 1 ELSE 0 END), 0)")
	for _, iv := range q.ivs {
		lower := fmt.Sprintf("l.response_minutes > %d", iv.From*60)
		if iv.From == 0 {
			lower = "l.response_minutes >= 0"
		}
		if iv.To != nil {
			lower += fmt.Sprintf(" AND l.response_minutes <= %d", *iv.To*60)
		}
		b.WriteString(", COALESCE(SUM(CASE WHEN " + lower + " THEN 1 ELSE 0 END), 0)")
	}
	b.WriteString(" FROM leads l WHERE " + q.cond + " GROUP BY COALESCE(" + q.key + ", '')")
	return b.String(), q.args
}

// reportRows runs the aggregate query.
func (s *Store) reportRows(ctx context.Context, q reportQuery) ([]ResponseRow, error) {
	query, args := aggregate(q)
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lead response report: %w", err)
	}
	defer rows.Close()
	out := []ResponseRow{}
	for rows.Next() {
		r := ResponseRow{Intervals: make([]IntervalCount, len(q.ivs))}
		dest := []any{&r.Key, &r.Leads, &r.Answered, &r.minutes, &r.Within24h}
		for i := range q.ivs {
			dest = append(dest, &r.Intervals[i].Count)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, iv := range q.ivs {
			r.Intervals[i].From, r.Intervals[i].To = iv.From, iv.To
		}
		finish(&r)
		out = append(out, r)
	}
	return out, rows.Err()
}

// finish computes a row's average and percentages from its counts.
func finish(r *ResponseRow) {
	if r.Answered > 0 {
		avg := round1(float64(r.minutes) / float64(r.Answered))
		r.AverageResponseMinutes = &avg
	}
	r.Within24hPct = pct(r.Within24h, r.Leads)
	for i := range r.Intervals {
		r.Intervals[i].Pct = pct(r.Intervals[i].Count, r.Leads)
	}
}

// totals adds the rows up.
func totals(rows []ResponseRow, ivs []Interval) ResponseRow {
	t := ResponseRow{Key: "", Intervals: make([]IntervalCount, len(ivs))}
	for i, iv := range ivs {
		t.Intervals[i].From, t.Intervals[i].To = iv.From, iv.To
	}
	for _, r := range rows {
		t.Leads += r.Leads
		t.Answered += r.Answered
		t.minutes += r.minutes
		t.Within24h += r.Within24h
		for i := range r.Intervals {
			t.Intervals[i].Count += r.Intervals[i].Count
		}
	}
	finish(&t)
	return t
}

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return round1(100 * float64(n) / float64(of))
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// labelRows names each row's key (an agent's name, a unit's name) and
// orders the rows by label, the empty key (no agent) last.
func (s *Store) labelRows(ctx context.Context, groupBy string, rows []ResponseRow) error {
	var query string
	switch groupBy {
	case GroupAgent:
		query = "SELECT id, login, name FROM agents WHERE id IN (%s)"
	case GroupUnit:
		query = "SELECT id, code, name FROM units WHERE id IN (%s)"
	}
	if query != "" {
		var ids []string
		for _, r := range rows {
			if r.Key != "" {
				ids = append(ids, r.Key)
			}
		}
		names := map[string][2]string{}
		if err := db.EachIn(ctx, s.db, query, nil, ids, func(rs *sql.Rows) error {
			var id, code, name string
			if err := rs.Scan(&id, &code, &name); err != nil {
				return err
			}
			names[id] = [2]string{code, name}
			return nil
		}); err != nil {
			return err
		}
		for i := range rows {
			if n, ok := names[rows[i].Key]; ok {
				rows[i].Key, rows[i].Label = n[0], n[1]
			}
		}
	} else {
		for i := range rows {
			rows[i].Label = rows[i].Key
		}
	}
	slices.SortFunc(rows, func(a, b ResponseRow) int {
		if (a.Key == "") != (b.Key == "") {
			if a.Key == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.Key, b.Key))
	})
	return nil
}

// reportDetails reads up to limit leads of the report, oldest first.
func (s *Store) reportDetails(ctx context.Context, q reportQuery, limit int) ([]ResponseDetail, error) {
	rows, err := s.db.Query(ctx, `SELECT l.id, COALESCE(p.kind, ''), COALESCE(p.first_name, ''), COALESCE(p.last_name, ''),
		COALESCE(p.name, ''), l.first_name, l.last_name, l.source, l.source_group, l.product, u.code,
		COALESCE(g.login, ''), COALESCE(g.name, ''), l.received_at, l.first_response_at, l.response_minutes, l.response_kind
		FROM leads l JOIN units u ON u.id = l.unit_id
		LEFT JOIN parties p ON p.id = l.party_id
		LEFT JOIN agents g ON g.id = l.assignee_id
		WHERE `+q.cond+` ORDER BY l.received_at, l.id LIMIT `+strconv.Itoa(limit), q.args...)
	if err != nil {
		return nil, fmt.Errorf("lead response report details: %w", err)
	}
	defer rows.Close()
	out := []ResponseDetail{}
	for rows.Next() {
		var d ResponseDetail
		var kind, first, last, name, leadFirst, leadLast string
		var received int64
		var responded, minutes sql.NullInt64
		if err := rows.Scan(&d.LeadID, &kind, &first, &last, &name, &leadFirst, &leadLast, &d.Source, &d.SourceGroup,
			&d.Product, &d.UnitCode, &d.AgentLogin, &d.AgentName, &received, &responded, &minutes, &d.ResponseKind); err != nil {
			return nil, err
		}
		if kind != "" {
			d.CustomerName = party.DisplayName(kind, first, last, name)
		} else {
			d.CustomerName = strings.TrimSpace(leadFirst + " " + leadLast)
		}
		d.ReceivedAt = core.FromMillis(received)
		if responded.Valid {
			t := core.FromMillis(responded.Int64)
			d.FirstResponseAt = &t
		}
		if minutes.Valid {
			m := minutes.Int64
			d.ResponseMinutes = &m
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
