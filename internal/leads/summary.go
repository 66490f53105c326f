package leads

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// RecentAnswerWindow is how far back a response counts as recent in the
// dashboard's figures: the seed's "answered in the last 12 hours".
const RecentAnswerWindow = 12 * time.Hour

// SummaryCriteria chooses the leads a Summary counts: those received in
// the last Window, of the scope, matching the criteria that are not empty.
type SummaryCriteria struct {
	Window      time.Duration // the leads received in this last span of time
	SourceGroup string
	Product     string
	UnitCode    string // this unit and the units under it
}

// Summary is the dashboard's "lead response time" (the seed's "Temps de
// réponse Internet"): over the leads received in the window, how many
// there are, how many are answered, how many were answered in the last 12
// hours, and their average response time in business minutes.
type Summary struct {
	From, To               time.Time // the window: From ≤ received_at ≤ To (now)
	Received               int       `json:"received"`
	Answered               int       `json:"answered"`
	AnsweredRecently       int       `json:"answered_recently"`        // first response in the last RecentAnswerWindow
	AverageResponseMinutes *int64    `json:"average_response_minutes"` // nil when none is answered; rounded
}

// Summary counts the leads of the actor's scope (their unit) received in
// c.Window, in one query. An unknown unit is a Validation error; a unit out
// of the scope counts nothing. Requires lead.work.
func (s *Store) Summary(ctx context.Context, actor *core.Actor, c SummaryCriteria) (Summary, error) {
	if err := actor.Require(core.PermLeadWork); err != nil {
		return Summary{}, err
	}
	fields := core.Fields{}
	core.CheckText(fields, "source_group", c.SourceGroup, core.MaxCode)
	core.CheckText(fields, "product", c.Product, core.MaxCode)
	core.CheckText(fields, "unit", c.UnitCode, core.MaxCode)
	if c.Window <= 0 || c.Window > 366*24*time.Hour {
		fields.Add("window", core.OutOfRange(1, 366*24))
	}
	if err := fields.Err(); err != nil {
		return Summary{}, err
	}
	now := s.clock.Now()
	out := Summary{From: now.Add(-c.Window), To: now}
	since, recent := core.Millis(out.From), core.Millis(now.Add(-RecentAnswerWindow))
	q := `SELECT COUNT(*), COUNT(l.first_response_at),
		COUNT(CASE WHEN l.first_response_at >= ? THEN 1 END),
		COALESCE(CAST(SUM(l.response_minutes) AS BIGINT), 0), COUNT(l.response_minutes)
		FROM leads l WHERE l.received_at >= ? AND l.received_at <= ?`
	args := []any{recent, since, core.Millis(now)}
	cond, cargs := scopeCond("l.unit_id", actor.Scope)
	q, args = q+cond, append(args, cargs...)
	for _, f := range []struct{ col, v string }{{"l.source_group", c.SourceGroup}, {"l.product", c.Product}} {
		if f.v != "" {
			q += " AND " + f.col + " = ?"
			args = append(args, f.v)
		}
	}
	if c.UnitCode != "" {
		u, err := s.orgs.UnitByCode(ctx, c.UnitCode)
		if core.ErrorCode(err) == core.NotFound {
			fields.Add("unit", core.Because("unknown_unit_code", "code", c.UnitCode))
			return Summary{}, fields.Err()
		}
		if err != nil {
			return Summary{}, err
		}
		q += " AND l.unit_id IN (SELECT id FROM units WHERE path LIKE ?)"
		args = append(args, u.Path+"%") // a path is made of ids: no wildcard in it
	}
	var sum, timed int64
	if err := s.db.QueryRow(ctx, q, args...).Scan(&out.Received, &out.Answered, &out.AnsweredRecently, &sum, &timed); err != nil {
		return Summary{}, fmt.Errorf("lead summary: %w", err)
	}
	if timed > 0 {
		avg := (sum + timed/2) / timed
		out.AverageResponseMinutes = &avg
	}
	return out, nil
}
