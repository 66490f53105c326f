package bench

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// timelinePage is the size of the first page, as the 360 page asks for it.
const timelinePage = 50

// timelineFigure is the latency of a heavy party's first timeline page
// beside the bare indexed query's, with the size the history had reached.
type timelineFigure struct {
	Figure       string  `json:"figure"`
	Interactions int     `json:"interactions"`
	Links        int     `json:"links"`
	Parties      int     `json:"parties"`
	PerParty     int     `json:"interactions_per_party"`
	Queries      int     `json:"queries"`
	Items        int     `json:"items"` // lines on the smallest first page seen
	P50          float64 `json:"p50_ms"`
	P99          float64 `json:"p99_ms"`
	BareP50      float64 `json:"bare_p50_ms"`
	BareP99      float64 `json:"bare_p99_ms"`
	P99Ratio     float64 `json:"p99_ratio_to_bare"`
}

// bareTimeline is the timeline's first page straight from the index: the
// party's newest timeline rows, joined to their interactions.
const bareTimeline = `SELECT i.id, i.channel, i.direction, i.outcome, ip.occurred_at, i.source, i.subject, i.letter_type,
	i.category, i.agent_login_raw
	FROM interaction_parties ip JOIN interactions i ON i.id = ip.interaction_id
	WHERE ip.party_id = ? ORDER BY ip.occurred_at DESC, ip.interaction_id DESC LIMIT ?`

// timeTimeline asks n times for the first page of a heavy party's timeline
// (in turn) through history.Store.Timeline as actor, then bare, and
// returns the figure.
func timeTimeline(ctx context.Context, d *db.DB, hist *history.Store, actor *core.Actor, h generated, n int, logger *slog.Logger) (timelineFigure, error) {
	f := timelineFigure{Figure: "timeline_first_page", Parties: len(h.heavy), PerParty: h.perHeavy, Queries: n, Items: -1}
	var err error
	if f.Interactions, f.Links, err = countHistory(ctx, d.Reader()); err != nil {
		return timelineFigure{}, err
	}
	took, bare := make([]time.Duration, n), make([]time.Duration, n)
	bareQuery := d.Rebind(bareTimeline)
	settle(ctx, d, logger)
	for i := -len(h.heavy); i < n; i++ { // a first round for each party warms the caches
		id := h.heavy[(i+len(h.heavy))%len(h.heavy)]
		t := time.Now()
		page, err := hist.Timeline(ctx, actor, id, history.Filter{Limit: timelinePage})
		spent := time.Since(t)
		if err != nil {
			return timelineFigure{}, fmt.Errorf("timeline of %s: %w", id, err)
		}
		t = time.Now()
		rows, err := bareRows(ctx, d, bareQuery, id)
		spentBare := time.Since(t)
		if err != nil {
			return timelineFigure{}, err
		}
		if rows != timelinePage+1 {
			return timelineFigure{}, fmt.Errorf("bare timeline of %s: %d rows, want %d", id, rows, timelinePage+1)
		}
		if i < 0 {
			continue
		}
		took[i], bare[i] = spent, spentBare
		if f.Items < 0 || len(page.Items) < f.Items {
			f.Items = len(page.Items)
		}
	}
	f.P50, f.P99 = ms(percentile(took, 50)), ms(percentile(took, 99))
	f.BareP50, f.BareP99 = ms(percentile(bare, 50)), ms(percentile(bare, 99))
	if f.BareP99 > 0 {
		f.P99Ratio = round(f.P99 / f.BareP99)
	}
	return f, nil
}

// bareRows runs the bare timeline query for a party on the reading pool,
// reads every column of its rows and returns how many there were.
func bareRows(ctx context.Context, d *db.DB, query, partyID string) (int, error) {
	rows, err := d.Reader().QueryContext(ctx, query, partyID, timelinePage+1)
	if err != nil {
		return 0, fmt.Errorf("bare timeline of %s: %w", partyID, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, channel, direction, outcome, source, subject, letterType, category, login string
		var at int64
		if err := rows.Scan(&id, &channel, &direction, &outcome, &at, &source, &subject, &letterType, &category, &login); err != nil {
			return 0, fmt.Errorf("bare timeline of %s: %w", partyID, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("bare timeline of %s: %w", partyID, err)
	}
	return n, nil
}
