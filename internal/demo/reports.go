package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// SeedReports writes meeting reports after a third of the calls and emails
// of the last 60 days, as their agents would, minutes after each exchange:
// they reconcile with it. A few of the demo advisor's say the wrong
// initiative, so the orphan reports page has something to fix. It returns
// how many reports were written and how many are orphans.
func SeedReports(ctx context.Context, d *db.DB, hist *history.Store, now time.Time) (int, int, error) {
	rows, err := d.Query(ctx, `SELECT ip.party_id, i.occurred_at, COALESCE(i.duration_seconds, 0), i.channel, i.direction,
		a.id, a.login, a.unit_id FROM interactions i JOIN interaction_parties ip ON ip.interaction_id = i.id
		JOIN agents a ON a.id = i.agent_id
		WHERE (i.channel = 'email' OR (i.channel = 'phone' AND i.outcome = 'answered')) AND i.occurred_at > ? AND i.occurred_at < ? AND ip.role <> 'cc'
		ORDER BY i.occurred_at, i.id`, core.Millis(now.AddDate(0, 0, -60)), core.Millis(now.Add(-time.Hour)))
	if err != nil {
		return 0, 0, fmt.Errorf("pick exchanges to report on: %w", err)
	}
	type exchange struct {
		party, channel, direction, agentID, login, unit string
		at                                              time.Time
		seconds                                         int
	}
	var list []exchange
	for rows.Next() {
		var e exchange
		var at int64
		if err := rows.Scan(&e.party, &at, &e.seconds, &e.channel, &e.direction, &e.agentID, &e.login, &e.unit); err != nil {
			rows.Close()
			return 0, 0, err
		}
		e.at = core.FromMillis(at)
		list = append(list, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	loc := bankZone()
	written, orphans, advisorOnes := 0, 0, 0
	for i, e := range list {
		if i%3 != 0 {
			continue
		}
		actor := &core.Actor{AgentID: e.agentID, Login: e.login, UnitID: e.unit, Scope: core.Scope{All: true},
			Permissions: []core.Permission{core.PermPartyRead, core.PermHistoryRead, core.PermReportWrite}}
		initiative := e.direction
		if e.login == "advisor" {
			advisorOnes++
			if advisorOnes%4 == 1 { // ticked the wrong box
				initiative = map[string]string{history.DirectionInbound: history.DirectionOutbound,
					history.DirectionOutbound: history.DirectionInbound}[e.direction]
			}
		}
		reason := reportReasons[i%len(reportReasons)]
		texts := reportTexts[reason]
		at := e.at.Add(time.Duration(e.seconds)*time.Second + 4*time.Minute)
		if !within(at.In(loc), agencyHours) {
			continue // written the next morning, or never: not in the demo
		}
		r, err := hist.WriteReport(ctx, actor, history.ReportInput{PartyID: e.party, Medium: e.channel, Initiative: initiative,
			Reason: reason, Comment: texts[(i/len(reportReasons))%len(texts)], WrittenAt: &at})
		if core.ErrorCode(err) == core.Conflict {
			continue // one report per customer and day
		}
		if err != nil {
			return written, orphans, fmt.Errorf("demo report: %w", err)
		}
		written++
		if r.Status == history.Orphan {
			orphans++
		}
	}
	return written, orphans, nil
}
