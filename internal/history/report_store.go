package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// WriteReport files a meeting report and reconciles it in the same write:
// it is attached to the captured exchange it describes, or becomes an
// orphan with an interaction of its own and suggestions of what it may
// have meant. The author is the actor unless an administrator names
// another agent. A second report by the same agent for the same party on
// the same day is a Conflict. Requires report.write and the party in scope.
func (s *Store) WriteReport(ctx context.Context, actor *core.Actor, in ReportInput) (Report, error) {
	if err := actor.Require(core.PermReportWrite); err != nil {
		return Report{}, err
	}
	in.PartyID, in.Medium, in.Initiative = strings.TrimSpace(in.PartyID), strings.TrimSpace(in.Medium), strings.TrimSpace(in.Initiative)
	in.Reason, in.Comment = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Comment)
	f := core.Fields{}
	if in.PartyID == "" {
		f.Add("party_id", core.Required())
	}
	core.CheckText(f, "party_id", in.PartyID, core.MaxCode)
	core.CheckText(f, "agent", in.Agent, core.MaxCode)
	now := s.clock.Now()
	written := now
	if in.WrittenAt != nil {
		written = in.WrittenAt.UTC()
		if written.After(now.Add(time.Minute)) {
			f.Add("written_at", core.Because("not_future"))
		}
	}
	agentID, err := s.author(ctx, actor, in.Agent, f)
	if err != nil {
		return Report{}, err
	}
	book, err := s.catalogueOf(ctx, s.db, agentID)
	if err != nil {
		return Report{}, fmt.Errorf("catalogues of the report's author: %w", err)
	}
	checkReport(f, book, in.Medium, in.Initiative, in.Reason, in.Comment, in.Sales)
	if err := f.Err(); err != nil {
		return Report{}, err
	}
	if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
		return Report{}, err
	}
	sales, _ := json.Marshal(salesOrEmpty(in.Sales))
	id := core.NewID()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockParties(ctx, tx, []string{in.PartyID}); err != nil {
			return err
		}
		day, err := dayOf(ctx, tx, agentID, written)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reports (id, party_id, agent_id, medium, initiative, reason, comment, sales,
			written_at, day, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, in.PartyID, agentID, in.Medium, in.Initiative, in.Reason, in.Comment, string(sales),
			core.Millis(written), day, Orphan, core.Millis(now), core.Millis(now)); err != nil {
			if db.IsUniqueViolation(err) {
				return core.Errorf(core.Conflict,
					"this agent already wrote a meeting report for this customer on %s: one report per customer and day, correct the existing one instead", day)
			}
			return fmt.Errorf("insert report: %w", err)
		}
		r, err := pendingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.reconcile(ctx, tx, r); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "report.create", "report", id, in.PartyID,
			map[string]string{"medium": in.Medium, "initiative": in.Initiative, "reason": in.Reason, "status": r.status})
	})
	if err != nil {
		return Report{}, err
	}
	return s.report(ctx, s.db, id)
}

// author returns the agent a report is written by: the actor, or the agent
// an administrator names by login.
func (s *Store) author(ctx context.Context, actor *core.Actor, login string, f core.Fields) (string, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if _, bad := core.TextProblem(login, core.MaxCode); bad {
		return "", nil // refused by the caller's checks
	}
	if login == "" || login == actor.Login {
		if actor.AgentID == "" {
			f.Add("agent", core.Because("agent_login_required"))
		}
		return actor.AgentID, nil
	}
	if err := actor.Require(core.PermAdmin); err != nil {
		return "", core.Errorf(core.Forbidden, "only an administrator may file a report in another agent's name")
	}
	var id string
	err := s.db.QueryRow(ctx, "SELECT id FROM agents WHERE login = ?", login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		f.Add("agent", core.Because("unknown_agent"))
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find agent %s: %w", login, err)
	}
	return id, nil
}

// dayOf is the date written falls on in the time zone of the agent's unit.
func dayOf(ctx context.Context, q db.Querier, agentID string, written time.Time) (string, error) {
	var zone string
	err := q.QueryRow(ctx, "SELECT u.time_zone FROM agents a JOIN units u ON u.id = a.unit_id WHERE a.id = ?", agentID).Scan(&zone)
	if err != nil {
		return "", fmt.Errorf("time zone of agent %s: %w", agentID, err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return written.In(loc).Format(time.DateOnly), nil
}

// FixReport corrects a report's medium, initiative, reason, comment or
// sales and reconciles it again: fixing the medium or initiative of an
// orphan attaches it to the exchange it meant. Its author may fix it, and
// so may a reviewer whose scope holds the author's unit. Requires the
// version read (Conflict when it changed since).
func (s *Store) FixReport(ctx context.Context, actor *core.Actor, id string, fix ReportFix) (Report, error) {
	r, err := s.Report(ctx, actor, id)
	if err != nil {
		return Report{}, err
	}
	if r.agentID != actor.AgentID && !s.reviews(actor, r.unitID) {
		return Report{}, core.Errorf(core.Forbidden, "only the report's author or their manager may correct it")
	}
	fix.Medium, fix.Initiative = strings.TrimSpace(fix.Medium), strings.TrimSpace(fix.Initiative)
	fix.Reason, fix.Comment = strings.TrimSpace(fix.Reason), strings.TrimSpace(fix.Comment)
	f := core.Fields{}
	core.CheckRange(f, "version", int64(fix.Version), 0, math.MaxInt32)
	book, err := s.catalogueOf(ctx, s.db, r.agentID)
	if err != nil {
		return Report{}, fmt.Errorf("catalogues of the report's author: %w", err)
	}
	checkReport(f, book, fix.Medium, fix.Initiative, fix.Reason, fix.Comment, fix.Sales)
	if err := f.Err(); err != nil {
		return Report{}, err
	}
	sales, _ := json.Marshal(salesOrEmpty(fix.Sales))
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockParties(ctx, tx, []string{r.PartyID}); err != nil {
			return err
		}
		if err := s.updateReport(ctx, tx, id, fix.Version, "medium = ?, initiative = ?, reason = ?, comment = ?, sales = ?",
			fix.Medium, fix.Initiative, fix.Reason, fix.Comment, string(sales)); err != nil {
			return err
		}
		p, err := pendingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		// A new medium or initiative may make the current attachment wrong.
		if p.status == Reconciled && (fix.Medium != r.Medium || fix.Initiative != r.Initiative) {
			if err := detach(ctx, tx, p); err != nil {
				return err
			}
			p.status = Orphan
		}
		if err := s.reconcile(ctx, tx, p); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "report.fix", "report", id, r.PartyID, map[string]string{
			"medium": r.Medium + " → " + fix.Medium, "initiative": r.Initiative + " → " + fix.Initiative,
			"status": r.Status + " → " + p.status})
	})
	if err != nil {
		return Report{}, err
	}
	return s.report(ctx, s.db, id)
}

// updateReport sets columns of a report read at version, moving its
// version on; Conflict when someone changed it since.
func (s *Store) updateReport(ctx context.Context, tx *db.Tx, id string, version int, set string, args ...any) error {
	args = append(args, core.Millis(s.clock.Now()), id, version)
	res, err := tx.Exec(ctx, "UPDATE reports SET "+set+", updated_at = ?, version = version + 1 WHERE id = ? AND version = ?", args...)
	if err != nil {
		return fmt.Errorf("update report %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return core.Errorf(core.Conflict, "report %s was changed by someone else: reload it and try again", id)
	}
	return nil
}

// reviews reports whether actor reviews the reports of agents of unitID.
func (s *Store) reviews(actor *core.Actor, unitID string) bool {
	return actor.Can(core.PermReportReview) && actor.Scope.Contains(unitID)
}

// Report returns a report to its author, to a reviewer of the author's
// unit, or to anyone who may read its party's history; NotFound otherwise.
func (s *Store) Report(ctx context.Context, actor *core.Actor, id string) (Report, error) {
	if !core.ValidID(id) {
		return Report{}, core.Errorf(core.NotFound, "report %s not found", id)
	}
	r, err := s.report(ctx, s.db, id)
	if err != nil {
		return Report{}, err
	}
	if r.agentID == actor.AgentID && actor.AgentID != "" || s.reviews(actor, r.unitID) {
		return r, nil
	}
	if actor.Can(core.PermHistoryRead) && s.parties.Visible(ctx, actor, r.PartyID) == nil {
		return r, nil
	}
	return Report{}, core.Errorf(core.NotFound, "report %s not found", id)
}

// reportColumns are the columns scanReport reads.
const reportColumns = `r.id, r.party_id,
	CASE WHEN p.kind = 'organization' THEN p.name ELSE TRIM(p.first_name || ' ' || p.last_name) END, a.id, a.login, a.name, a.unit_id, r.medium, r.initiative,
	r.reason, r.comment, r.sales, r.written_at, r.status, COALESCE(r.interaction_id, ''), r.version
	FROM reports r JOIN agents a ON a.id = r.agent_id JOIN parties p ON p.id = r.party_id`

// scanReport reads a report.
func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var sales string
	var written int64
	if err := row.Scan(&r.ID, &r.PartyID, &r.PartyName, &r.agentID, &r.Agent.Login, &r.Agent.Name, &r.unitID,
		&r.Medium, &r.Initiative, &r.Reason, &r.Comment, &sales, &written, &r.Status, &r.InteractionID, &r.Version); err != nil {
		return Report{}, err
	}
	r.WrittenAt = core.FromMillis(written)
	r.Sales = decodeSales(sales)
	r.Suggestions = []Suggestion{}
	return r, nil
}

// report reads report id with, for an orphan, its suggestions.
func (s *Store) report(ctx context.Context, q db.Querier, id string) (Report, error) {
	r, err := scanReport(q.QueryRow(ctx, "SELECT "+reportColumns+" WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, core.Errorf(core.NotFound, "report %s not found", id)
	}
	if err != nil {
		return Report{}, fmt.Errorf("read report %s: %w", id, err)
	}
	if r.Status == Orphan {
		if r.Suggestions, err = suggestions(ctx, q, id); err != nil {
			return Report{}, err
		}
	}
	return r, nil
}

// pendingByID reads report id for reconciliation.
func pendingByID(ctx context.Context, q db.Querier, id string) (*pendingReport, error) {
	r, err := scanPending(q.QueryRow(ctx, "SELECT "+pendingColumns+` FROM reports r
		JOIN agents a ON a.id = r.agent_id JOIN units u ON u.id = a.unit_id WHERE r.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", id, err)
	}
	return r, nil
}

// suggestions lists the exchanges an orphan report may have meant,
// closest in time to the report first: its party's and agent's exchanges in
// its window that no report describes, whatever their medium and
// initiative, among those a person took part in — not notifications,
// letters or the automated messages of no agent. A voicemail is offered
// (the agent may know it is what they answered) though reconciliation
// never picks one by itself.
func suggestions(ctx context.Context, q db.Querier, id string) ([]Suggestion, error) {
	r, err := pendingByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	from, to := r.window()
	written := core.Millis(r.written)
	rows, err := q.Query(ctx, `SELECT i.id, i.channel, i.direction, i.outcome, i.occurred_at, i.subject
		FROM interaction_parties ip JOIN interactions i ON i.id = ip.interaction_id
		WHERE ip.party_id = ? AND ip.occurred_at >= ? AND ip.occurred_at < ? AND i.agent_id = ? AND i.source <> ?
		AND i.channel NOT IN ('notification', 'letter')
		AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.interaction_id = i.id)
		ORDER BY ABS(ip.occurred_at - ?), ip.occurred_at DESC LIMIT 5`,
		r.partyID, core.Millis(from), core.Millis(to), r.agentID, ReportSource, written)
	if err != nil {
		return nil, fmt.Errorf("suggestions for report %s: %w", id, err)
	}
	defer rows.Close()
	out := []Suggestion{}
	for rows.Next() {
		var sg Suggestion
		var at int64
		if err := rows.Scan(&sg.InteractionID, &sg.Channel, &sg.Direction, &sg.Outcome, &at, &sg.Subject); err != nil {
			return nil, err
		}
		sg.OccurredAt = core.FromMillis(at)
		out = append(out, sg)
	}
	return out, rows.Err()
}

// ReportPage is a page of reports, newest first.
type ReportPage struct {
	Items      []Report `json:"items"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// Orphans lists the orphan reports the actor should fix, newest first,
// each with its suggestions: their own and, for a reviewer, those of the
// agents of the units in their scope.
func (s *Store) Orphans(ctx context.Context, actor *core.Actor, cursor string, limit int) (ReportPage, error) {
	if !actor.Can(core.PermReportWrite) && !actor.Can(core.PermReportReview) {
		return ReportPage{}, core.Errorf(core.Forbidden, "permission %q or %q required", core.PermReportWrite, core.PermReportReview)
	}
	limit = core.PageLimit(limit, 50, 200)
	q := "SELECT " + reportColumns + " WHERE r.status = ? AND (a.id = ?"
	args := []any{Orphan, actor.AgentID}
	switch {
	case actor.Can(core.PermReportReview) && actor.Scope.All:
		q += " OR 1 = 1"
	case actor.Can(core.PermReportReview) && len(actor.Scope.UnitIDs) > 0:
		q += " OR a.unit_id IN (" + db.Placeholders(len(actor.Scope.UnitIDs)) + ")"
		for _, u := range actor.Scope.UnitIDs {
			args = append(args, u)
		}
	}
	q += ")"
	q, args, err := db.NewestFirst(q, args, "r.written_at", "r.id", cursor, limit)
	if err != nil {
		return ReportPage{}, err
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return ReportPage{}, fmt.Errorf("orphan reports: %w", err)
	}
	page := ReportPage{Items: []Report{}}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return ReportPage{}, err
		}
		page.Items = append(page.Items, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ReportPage{}, err
	}
	page.Items, page.NextCursor = db.NewestPage(page.Items, limit, func(r Report) (time.Time, string) { return r.WrittenAt, r.ID })
	for i := range page.Items {
		if page.Items[i].Suggestions, err = suggestions(ctx, s.db, page.Items[i].ID); err != nil {
			return ReportPage{}, err
		}
	}
	return page, nil
}

// salesOrEmpty returns sales with their currency (EUR when none was
// given), or an empty list for none.
func salesOrEmpty(sales []Sale) []Sale {
	out := make([]Sale, len(sales))
	for i, s := range sales {
		if s.Currency == "" {
			s.Currency = core.DefaultCurrency
		}
		out[i] = s
	}
	return out
}

// storedSale is a sale as stored: amount_minor and currency since
// migration 00012; before, a decimal amount in euros, which an instance
// not yet upgraded may still write while a new one serves.
type storedSale struct {
	Product  string       `json:"product"`
	Minor    *int64       `json:"amount_minor"`
	Currency string       `json:"currency"`
	Amount   *json.Number `json:"amount"`
}

// decodeSales reads a report's stored sales, old decimal amounts converted
// to cents exactly (from their text, not through a float).
func decodeSales(raw string) []Sale {
	var stored []storedSale
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		return []Sale{}
	}
	sales := make([]Sale, 0, len(stored))
	for _, st := range stored {
		s := Sale{Product: st.Product, Money: core.Money{Currency: st.Currency}}
		switch {
		case st.Minor != nil:
			s.Minor = *st.Minor
		case st.Amount != nil:
			s.Money, _ = core.ParseMoney(st.Amount.String(), core.DefaultCurrency)
		}
		if s.Currency == "" {
			s.Currency = core.DefaultCurrency
		}
		sales = append(sales, s)
	}
	return sales
}
