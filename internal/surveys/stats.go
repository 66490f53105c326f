package surveys

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// maxStatsPeriod bounds a results period: a little over a year.
const maxStatsPeriod = 400 * 24 * time.Hour

// tally accumulates one group's counts and answers.
type tally struct {
	key, label    string
	sent, skipped int
	skippedRecent int
	scores        map[string]map[int]int // scale → score → answers
}

func newTally(key, label string) *tally {
	return &tally{key: key, label: label, scores: map[string]map[int]int{}}
}

// add counts n answers of score on scale.
func (t *tally) add(scale string, score, n int) {
	if t.scores[scale] == nil {
		t.scores[scale] = map[int]int{}
	}
	t.scores[scale][score] += n
}

// merge adds o's counts to t.
func (t *tally) merge(o *tally) {
	t.sent, t.skipped, t.skippedRecent = t.sent+o.sent, t.skipped+o.skipped, t.skippedRecent+o.skippedRecent
	for scale, by := range o.scores {
		for score, n := range by {
			t.add(scale, score, n)
		}
	}
}

// answered counts every answer, any scale.
func (t *tally) answered() int {
	n := 0
	for _, by := range t.scores {
		for _, c := range by {
			n += c
		}
	}
	return n
}

// row computes the group's figures; those from answers stay nil under
// MinAnswers answers.
func (t *tally) row() StatsRow {
	r := StatsRow{Key: t.key, Label: t.label, Sent: t.sent, Skipped: t.skipped, SkippedRecent: t.skippedRecent,
		Answered: t.answered()}
	if len(t.scores) == 1 {
		for scale := range t.scores {
			r.Scale = scale
		}
	}
	if r.Answered < MinAnswers {
		return r
	}
	if r.Sent > 0 {
		r.ResponseRate = ratio(float64(r.Answered) / float64(r.Sent))
	}
	if r.Scale == "" {
		return r
	}
	by := t.scores[r.Scale]
	r.Distribution = map[string]int{}
	sum := 0
	for score, n := range by {
		r.Distribution[strconv.Itoa(score)] = n
		sum += score * n
	}
	r.AverageScore = ratio(float64(sum) / float64(r.Answered))
	if r.Scale == Scale10 {
		r.NPS = nps(by)
	}
	return r
}

// nps is the Net Promoter Score of 0–10 answers: the share of promoters
// (9–10) minus that of detractors (0–6), in percent.
func nps(by map[int]int) *float64 {
	total, promoters, detractors := 0, 0, 0
	for score, n := range by {
		total += n
		switch {
		case score >= 9:
			promoters += n
		case score <= 6:
			detractors += n
		}
	}
	if total == 0 {
		return nil
	}
	return ratio(float64(promoters-detractors) * 100 / float64(total))
}

// ratio rounds v to two decimals.
func ratio(v float64) *float64 {
	r := math.Round(v*100) / 100
	return &r
}

// groupColumns are the key and label columns of a grouping, for surveys
// (alias s) and answers (alias a) alike through the alias x.
func groupColumns(groupBy string) (key, label, joins string) {
	switch groupBy {
	case GroupAgent:
		return "COALESCE(g.login, '')", "COALESCE(g.name, '')", " LEFT JOIN agents g ON g.id = x.agent_id"
	case GroupCampaign:
		return "g.code", "g.name", " JOIN survey_campaigns g ON g.id = x.campaign_id"
	}
	return "g.code", "g.name", " JOIN units g ON g.id = x.unit_id"
}

// checkCriteria validates the criteria and resolves their filters into a
// condition on x (surveys or answers) with its arguments.
func (s *Store) checkCriteria(ctx context.Context, actor *core.Actor, c *StatsCriteria) (string, []any, error) {
	f := core.Fields{}
	if c.GroupBy == "" {
		c.GroupBy = GroupUnit
	}
	if !slices.Contains(GroupBys, c.GroupBy) {
		f.Add("group_by", core.OneOf(GroupBys...))
	}
	core.CheckText(f, "campaign", c.CampaignCode, core.MaxCode)
	core.CheckText(f, "unit", c.UnitCode, core.MaxCode)
	if c.From.IsZero() || c.To.IsZero() {
		now := s.clock.Now().UTC()
		c.To = now
		c.From = now.AddDate(0, -1, 0)
	}
	if !c.From.Before(c.To) {
		f.Add("to", core.Because("period_order"))
	} else if c.To.Sub(c.From) > maxStatsPeriod {
		f.Add("from", core.Because("too_old"))
	}
	if err := f.Err(); err != nil {
		return "", nil, err
	}
	cond, args := scopeCond("x.unit_id", actor.Scope)
	if c.UnitCode != "" {
		u, err := s.orgs.UnitByCode(ctx, c.UnitCode)
		if err != nil || !actor.Scope.Contains(u.ID) {
			return "", nil, core.Fields{"unit": core.Because("unknown_unit")}.Err()
		}
		cond += " AND x.unit_id IN (SELECT id FROM units WHERE path LIKE ?)"
		args = append(args, u.Path+"%")
	}
	if c.CampaignCode != "" {
		cond += " AND x.campaign_id IN (SELECT id FROM survey_campaigns WHERE code = ?)"
		args = append(args, c.CampaignCode)
	}
	return cond, args, nil
}

// Stats counts the surveys of the actor's scope by unit, agent or campaign
// (survey.results): the surveys due in the period (sent, skipped), the
// answers given in it (by their day).
func (s *Store) Stats(ctx context.Context, actor *core.Actor, c StatsCriteria) (Stats, error) {
	if err := actor.Require(core.PermSurveyResults); err != nil {
		return Stats{}, err
	}
	cond, args, err := s.checkCriteria(ctx, actor, &c)
	if err != nil {
		return Stats{}, err
	}
	groups, err := s.tallies(ctx, c, cond, args)
	if err != nil {
		return Stats{}, err
	}
	out := Stats{From: c.From, To: c.To, GroupBy: c.GroupBy, Rows: []StatsRow{}}
	total := newTally("", "")
	for _, t := range groups {
		out.Rows = append(out.Rows, t.row())
		total.merge(t)
	}
	slices.SortFunc(out.Rows, func(a, b StatsRow) int { return strings.Compare(a.Label+a.Key, b.Label+b.Key) })
	out.Total = total.row()
	// The total less the rows shown would give the hidden rows' figures:
	// hide the total's too unless the hidden rows hold none or enough answers.
	hidden := 0
	for _, r := range out.Rows {
		if r.Answered < MinAnswers {
			hidden += r.Answered
		}
	}
	if hidden > 0 && hidden < MinAnswers {
		out.Total.hideFigures()
	}
	return out, nil
}

// hideFigures clears the figures computed from answers.
func (r *StatsRow) hideFigures() {
	r.ResponseRate, r.AverageScore, r.Distribution, r.NPS = nil, nil, nil, nil
}

// tallies reads the counts of each group: surveys by status and reason,
// answers by scale and score.
func (s *Store) tallies(ctx context.Context, c StatsCriteria, cond string, args []any) (map[string]*tally, error) {
	key, label, joins := groupColumns(c.GroupBy)
	groups := map[string]*tally{}
	get := func(k, l string) *tally {
		if groups[k] == nil {
			groups[k] = newTally(k, l)
		}
		return groups[k]
	}
	q := fmt.Sprintf(`SELECT %s, %s, x.status, COALESCE(x.reason, ''), COUNT(*) FROM surveys x%s
		WHERE x.due_at >= ? AND x.due_at < ?%s GROUP BY %s, %s, x.status, x.reason`, key, label, joins, cond, key, label)
	err := eachRow(ctx, s.db, q, append([]any{core.Millis(c.From), core.Millis(c.To)}, args...), func(rows *sql.Rows) error {
		var k, l, status, reason string
		var n int
		if err := rows.Scan(&k, &l, &status, &reason, &n); err != nil {
			return err
		}
		t := get(k, l)
		switch status {
		case StatusSent, StatusAnswered, StatusExpired:
			t.sent += n
		case StatusSkipped:
			t.skipped += n
			if reason == SkipRecentSurvey {
				t.skippedRecent += n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count surveys: %w", err)
	}
	q = fmt.Sprintf(`SELECT %s, %s, x.scale, x.score, COUNT(*) FROM survey_answers x%s
		WHERE x.answered_day >= ? AND x.answered_day < ?%s GROUP BY %s, %s, x.scale, x.score`, key, label, joins, cond, key, label)
	err = eachRow(ctx, s.db, q, append([]any{dayOf(c.From), dayAfter(c.To)}, args...), func(rows *sql.Rows) error {
		var k, l, scale string
		var score, n int
		if err := rows.Scan(&k, &l, &scale, &score, &n); err != nil {
			return err
		}
		get(k, l).add(scale, score, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count answers: %w", err)
	}
	return groups, nil
}

// dayOf is the UTC day of t.
func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// dayAfter is the first UTC day wholly after t's period end: t's day when
// t is midnight, else the next.
func dayAfter(t time.Time) string {
	t = t.UTC()
	d := t.Truncate(24 * time.Hour)
	if d.Equal(t) {
		return dayOf(d)
	}
	return dayOf(d.AddDate(0, 0, 1))
}

// eachRow runs a query and calls fn on each row.
func eachRow(ctx context.Context, q db.Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
