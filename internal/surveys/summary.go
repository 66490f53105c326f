package surveys

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// Summary is the dashboard widget's figures over the last window
// (survey.results): the average on the 1–5 campaigns and the NPS on the
// 0–10 ones, each shown over MinAnswers answers only.
func (s *Store) Summary(ctx context.Context, actor *core.Actor, window time.Duration) (Summary, error) {
	if err := actor.Require(core.PermSurveyResults); err != nil {
		return Summary{}, err
	}
	if window <= 0 || window > maxStatsPeriod {
		window = 30 * 24 * time.Hour
	}
	to := s.clock.Now().UTC().Add(time.Millisecond) // now included
	c := StatsCriteria{From: to.Add(-window), To: to, GroupBy: GroupCampaign}
	cond, args, err := s.checkCriteria(ctx, actor, &c)
	if err != nil {
		return Summary{}, err
	}
	groups, err := s.tallies(ctx, c, cond, args)
	if err != nil {
		return Summary{}, err
	}
	total := newTally("", "")
	for _, t := range groups {
		total.merge(t)
	}
	out := Summary{From: c.From, To: c.To, Sent: total.sent, Answered: total.answered()}
	if out.Answered >= MinAnswers && out.Sent > 0 {
		out.ResponseRate = ratio(float64(out.Answered) / float64(out.Sent))
	}
	for _, scale := range []string{Scale5, Scale10} {
		one := newTally("", "")
		one.scores[scale] = total.scores[scale]
		if one.scores[scale] == nil {
			continue
		}
		r := one.row()
		if hiddenCampaignAnswers(groups, scale) {
			continue // the figure less the results' campaign rows would reveal a hidden one
		}
		if scale == Scale5 {
			out.AverageScore = r.AverageScore
		} else {
			out.NPS = r.NPS
		}
	}
	return out, nil
}

// hiddenCampaignAnswers reports whether the campaigns of scale under the
// floor hold some answers, but fewer than MinAnswers together.
func hiddenCampaignAnswers(groups map[string]*tally, scale string) bool {
	hidden := 0
	for _, t := range groups {
		n := 0
		for _, c := range t.scores[scale] {
			n += c
		}
		if n < MinAnswers {
			hidden += n
		}
	}
	return hidden > 0 && hidden < MinAnswers
}
