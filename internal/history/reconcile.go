package history

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// candidate is a captured exchange a report may describe.
type candidate struct {
	id      string
	at, end time.Time // when it started and ended (a call's duration; else at)
}

// choose picks the exchange a report written at written describes, among
// the candidates that match it (same party, agent, medium and initiative,
// in its window): the one it was written during or within window after,
// else the last one. "" when there is none.
func choose(cands []candidate, written time.Time, window time.Duration) string {
	var particular, last *candidate
	for i := range cands {
		c := &cands[i]
		if !written.Before(c.at) && !written.After(c.end.Add(window)) && (particular == nil || c.at.After(particular.at)) {
			particular = c
		}
		if last == nil || c.at.After(last.at) || (c.at.Equal(last.at) && c.id > last.id) {
			last = c
		}
	}
	switch {
	case particular != nil:
		return particular.id
	case last != nil:
		return last.id
	}
	return ""
}

// pendingReport is what reconciling a report needs to know of it.
type pendingReport struct {
	id, partyID, agentID, medium, initiative string
	written, dayEnd                          time.Time // dayEnd: the end of the report's day in its agent's time zone
	status, interactionID, establishment     string
}

// window is the span of exchanges a report may describe: from the 7 days
// before it was written to the end of its day (it goes to the last exchange
// of its day, even one that happened after it was written).
func (r *pendingReport) window() (time.Time, time.Time) {
	return r.written.Add(-reportWindowBefore), r.dayEnd
}

// reconcile attaches r to the exchange it describes or, when none matches,
// gives it an interaction of its own (an orphan). The window after an
// exchange is that of the establishment of r's agent. It runs within the write
// that triggers it, with r's party locked, and moves r when a better
// exchange arrived since.
func (s *Store) reconcile(ctx context.Context, q db.Querier, r *pendingReport) error {
	cands, err := candidates(ctx, q, r)
	if err != nil {
		return err
	}
	settings, err := s.settingsOf(ctx, r.establishment)
	if err != nil {
		return err
	}
	target := choose(cands, r.written, settings.Rules.ReportWindow)
	if target != "" && target == r.interactionID && r.status == Reconciled {
		return nil
	}
	if target == "" && r.status == Orphan && r.interactionID != "" {
		return nil
	}
	if target == "" && r.status == Reconciled && r.interactionID != "" {
		return nil // attached by its agent to an exchange the rule would not pick (a voicemail): theirs to change
	}
	if err := detach(ctx, q, r); err != nil {
		return err
	}
	if target != "" {
		return s.attach(ctx, q, r, target)
	}
	return s.orphan(ctx, q, r)
}

// candidates lists the exchanges r may describe: captured interactions of
// its party, agent, medium (channel) and initiative (direction) in its
// window that no other report describes. A voicemail is no conversation:
// only the agent can say a report describes one (AttachReport).
func candidates(ctx context.Context, q db.Querier, r *pendingReport) ([]candidate, error) {
	from, to := r.window()
	rows, err := q.Query(ctx, `SELECT i.id, i.occurred_at, COALESCE(i.duration_seconds, 0)
		FROM interaction_parties ip JOIN interactions i ON i.id = ip.interaction_id
		WHERE ip.party_id = ? AND ip.occurred_at >= ? AND ip.occurred_at < ?
		AND i.agent_id = ? AND i.channel = ? AND i.direction = ? AND i.source <> ? AND i.outcome <> 'voicemail'
		AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.interaction_id = i.id AND x.id <> ?)`,
		r.partyID, core.Millis(from), core.Millis(to), r.agentID, r.medium, r.initiative, ReportSource, r.id)
	if err != nil {
		return nil, fmt.Errorf("exchanges report %s may describe: %w", r.id, err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var at int64
		var seconds int
		if err := rows.Scan(&c.id, &at, &seconds); err != nil {
			return nil, err
		}
		c.at = core.FromMillis(at)
		c.end = c.at.Add(time.Duration(seconds) * time.Second)
		out = append(out, c)
	}
	return out, rows.Err()
}

// detach undoes r's attachment: an orphan's own interaction is deleted; a
// reconciled report gives back the lines it hid from other parties.
func detach(ctx context.Context, q db.Querier, r *pendingReport) error {
	if r.interactionID == "" {
		return nil
	}
	if _, err := q.Exec(ctx, "UPDATE reports SET interaction_id = NULL WHERE id = ?", r.id); err != nil {
		return fmt.Errorf("detach report %s: %w", r.id, err)
	}
	stmts := []string{
		`INSERT INTO interaction_parties (party_id, occurred_at, interaction_id, role, coordinate)
			SELECT party_id, occurred_at, interaction_id, role, coordinate FROM report_hidden_links WHERE report_id = ?
			ON CONFLICT DO NOTHING`,
		"DELETE FROM report_hidden_links WHERE report_id = ?",
	}
	if r.status == Orphan {
		stmts = []string{
			"DELETE FROM interaction_parties WHERE interaction_id = ?",
			"DELETE FROM interactions WHERE id = ?",
		}
	}
	arg := r.id
	if r.status == Orphan {
		arg = r.interactionID
	}
	for _, stmt := range stmts {
		if _, err := q.Exec(ctx, stmt, arg); err != nil {
			return fmt.Errorf("detach report %s: %w", r.id, err)
		}
	}
	if r.status != Orphan {
		if err := recountParties(ctx, q, r.interactionID); err != nil {
			return fmt.Errorf("detach report %s: %w", r.id, err)
		}
	}
	r.interactionID = ""
	return nil
}

// attach makes r describe the interaction target and takes target out of
// the histories of the other parties who had it only through a coordinate
// r's party holds (a shared email or phone): the report names the customer
// concerned.
func (s *Store) attach(ctx context.Context, q db.Querier, r *pendingReport, target string) error {
	now := core.Millis(s.clock.Now())
	if _, err := q.Exec(ctx, "UPDATE reports SET interaction_id = ?, status = ?, updated_at = ? WHERE id = ?",
		target, Reconciled, now, r.id); err != nil {
		return fmt.Errorf("attach report %s: %w", r.id, err)
	}
	shared := `interaction_id = ? AND party_id <> ? AND coordinate IN (
		SELECT address FROM party_emails WHERE party_id = ? UNION SELECT number FROM party_phones WHERE party_id = ?)`
	if _, err := q.Exec(ctx, `INSERT INTO report_hidden_links (report_id, party_id, occurred_at, interaction_id, role, coordinate)
		SELECT ?, party_id, occurred_at, interaction_id, role, coordinate FROM interaction_parties WHERE `+shared,
		r.id, target, r.partyID, r.partyID, r.partyID); err != nil {
		return fmt.Errorf("hide report %s's exchange from the others: %w", r.id, err)
	}
	if _, err := q.Exec(ctx, "DELETE FROM interaction_parties WHERE "+shared, target, r.partyID, r.partyID, r.partyID); err != nil {
		return fmt.Errorf("hide report %s's exchange from the others: %w", r.id, err)
	}
	if err := recountParties(ctx, q, target); err != nil {
		return fmt.Errorf("hide report %s's exchange from the others: %w", r.id, err)
	}
	r.status, r.interactionID = Reconciled, target
	return nil
}

// orphan gives r an interaction of its own in its party's history.
func (s *Store) orphan(ctx context.Context, q db.Querier, r *pendingReport) error {
	id, now, at := core.NewID(), core.Millis(s.clock.Now()), core.Millis(r.written)
	if _, err := q.Exec(ctx, `INSERT INTO interactions (id, source, external_id, channel, direction, occurred_at, agent_id,
		created_at, establishment_id, party_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		id, ReportSource, r.id, r.medium, r.initiative, at, r.agentID, now, r.establishment); err != nil {
		return fmt.Errorf("orphan report %s: %w", r.id, err)
	}
	if _, err := q.Exec(ctx, "INSERT INTO interaction_parties (party_id, occurred_at, interaction_id, role) VALUES (?, ?, ?, 'party')",
		r.partyID, at, id); err != nil {
		return fmt.Errorf("orphan report %s: %w", r.id, err)
	}
	if _, err := q.Exec(ctx, "UPDATE reports SET interaction_id = ?, status = ?, updated_at = ? WHERE id = ?",
		id, Orphan, now, r.id); err != nil {
		return fmt.Errorf("orphan report %s: %w", r.id, err)
	}
	r.status, r.interactionID = Orphan, id
	return nil
}

// lockParties takes the rows of the parties whose reports are about to be
// reconciled, so that a report and an exchange written at the same time for
// the same party see each other (see db.LockRows).
func lockParties(ctx context.Context, q db.Querier, ids []string) error {
	return db.LockRows(ctx, q, "parties", "id", ids)
}

// arrival is an exchange just linked to parties' histories.
type arrival struct {
	interactionID, agentID, channel, direction string
	at                                         time.Time
	parties                                    []string
}

// reconcileArrivals reconciles again the reports the exchanges that just
// arrived may describe: an orphan report finds its late call, and a report
// moves to the last exchange of its day. Exchanges no report can describe
// (no agent, a channel reports do not name) cost nothing.
func (s *Store) reconcileArrivals(ctx context.Context, q db.Querier, arrivals []arrival) error {
	var partyIDs []string
	var relevant []arrival
	for _, a := range arrivals {
		if a.agentID != "" && slices.Contains(Media, a.channel) && len(a.parties) > 0 {
			relevant = append(relevant, a)
			partyIDs = append(partyIDs, a.parties...)
		}
	}
	if len(relevant) == 0 {
		return nil
	}
	sort.Strings(partyIDs)
	partyIDs = slices.Compact(partyIDs)
	if err := lockParties(ctx, q, partyIDs); err != nil {
		return err
	}
	reports, err := reportsOfParties(ctx, q, partyIDs)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, a := range relevant {
		for _, r := range reports {
			if done[r.id] || r.agentID != a.agentID || r.medium != a.channel || r.initiative != a.direction ||
				!slices.Contains(a.parties, r.partyID) {
				continue
			}
			if from, to := r.window(); a.at.Before(from) || !a.at.Before(to) {
				continue
			}
			done[r.id] = true
			if err := s.reconcile(ctx, q, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// pendingColumns are the columns scanPending reads, reports aliased r,
// with their agents' units u.
const pendingColumns = `r.id, r.party_id, r.agent_id, r.medium, r.initiative, r.written_at, r.day, r.status,
	COALESCE(r.interaction_id, ''), u.time_zone, u.path`

// scanPending reads a report for reconciliation.
func scanPending(row interface{ Scan(...any) error }) (*pendingReport, error) {
	var r pendingReport
	var written int64
	var day, zone, path string
	if err := row.Scan(&r.id, &r.partyID, &r.agentID, &r.medium, &r.initiative, &written, &day, &r.status,
		&r.interactionID, &zone, &path); err != nil {
		return nil, err
	}
	r.written = core.FromMillis(written)
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	start, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return nil, fmt.Errorf("report %s: day %q: %w", r.id, day, err)
	}
	r.dayEnd = start.AddDate(0, 0, 1)
	r.establishment = rootOf(path)
	return &r, nil
}

// reportsOfParties reads the reports of the given parties for reconciliation.
func reportsOfParties(ctx context.Context, q db.Querier, partyIDs []string) ([]*pendingReport, error) {
	var out []*pendingReport
	err := db.EachIn(ctx, q, `SELECT `+pendingColumns+` FROM reports r
		JOIN agents a ON a.id = r.agent_id JOIN units u ON u.id = a.unit_id WHERE r.party_id IN (%s)`, nil, partyIDs,
		func(rows *sql.Rows) error {
			r, err := scanPending(rows)
			out = append(out, r)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("reports of parties: %w", err)
	}
	return out, nil
}
