package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
)

// deskPage is the size of the desk list's first page.
const deskPage = 50

// deskListFigure is the latency of the open-requests list's first page
// through desk.Store.List beside the bare query of the same page.
type deskListFigure struct {
	Figure      string  `json:"figure"`
	Requests    int     `json:"requests"`
	Messages    int     `json:"messages"`
	OpenInScope int     `json:"open_in_scope"` // open requests the readers see (the first reader's)
	Queries     int     `json:"queries"`
	Items       int     `json:"items"` // requests on the smallest first page seen
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	BareP50     float64 `json:"bare_p50_ms"`
	BareP99     float64 `json:"bare_p99_ms"`
	P99Ratio    float64 `json:"p99_ratio_to_bare"`
}

// deskPageFigure is the latency of a request page (the request and its
// thread of heavyMessages messages) beside the bare queries.
type deskPageFigure struct {
	Figure   string  `json:"figure"`
	Requests int     `json:"requests"`
	Messages int     `json:"messages_per_request"`
	Queries  int     `json:"queries"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	BareP50  float64 `json:"bare_p50_ms"`
	BareP99  float64 `json:"bare_p99_ms"`
	P99Ratio float64 `json:"p99_ratio_to_bare"`
}

// bareOpenList is the open-requests page straight from the table; the
// unit's variant adds its condition.
const bareOpenList = `SELECT r.id, r.reference, r.channel, r.status, r.priority, r.subject, r.customer_name, r.unread,
	r.assignee_id, r.first_response_due, r.created_at, r.last_message_at
	FROM desk_requests r WHERE r.status IN ('new', 'open', 'waiting')%s ORDER BY r.created_at DESC, r.id DESC LIMIT ?`

// runDesk creates a fresh database with the bench organisation, generates
// cfg.Requests requests with cfg.Messages messages, times the open list
// of one agency and of the whole bank, a long request's page and the
// intake of cfg.Intake messages, and writes their figures to out.
func runDesk(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Requests <= 0 {
		cfg.Requests = 100_000
	}
	if cfg.Messages <= 0 {
		cfg.Messages = 10 * cfg.Requests
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 2000
	}
	if cfg.Intake <= 0 {
		cfg.Intake = 10_000
	}
	b, tearDown, err := setUpAgencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer tearDown(&err)
	d, a, logger, admin, units := b.d, b.a, b.logger, b.admin, b.units
	enc := json.NewEncoder(out)
	logger.Info("bench: generating the desk", "engine", d.Dialect(), "requests", cfg.Requests, "messages", cfg.Messages)
	gen, g, err := generateDesk(ctx, d.DB, units, cfg.Requests, cfg.Messages, cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(gen); err != nil {
		return err
	}
	var advisors []*core.Actor
	for i := 1; i <= min(10, agencyCount); i++ {
		ag, err := a.Orgs.AgentByLogin(ctx, fmt.Sprintf("adv%02d", i))
		if err != nil {
			return err
		}
		actor, err := a.Orgs.Actor(ctx, ag.ID)
		if err != nil {
			return err
		}
		advisors = append(advisors, actor)
	}
	settle(ctx, d.DB, logger)
	for _, run := range []struct {
		figure string
		actors []*core.Actor
	}{{"desk_open_list_agency", advisors}, {"desk_open_list_bank", []*core.Actor{admin}}} {
		logger.Info("bench: listing open requests", "figure", run.figure, "queries", cfg.Queries)
		f, err := timeDeskList(ctx, d.DB, a.Desk, run.figure, run.actors, cfg.Queries, gen)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	logger.Info("bench: opening long requests", "requests", len(g.heavy), "queries", cfg.Queries)
	p, err := timeDeskPage(ctx, d.DB, a.Desk, admin, g.heavy, cfg.Queries)
	if err != nil {
		return err
	}
	if err := enc.Encode(p); err != nil {
		return err
	}
	logger.Info("bench: intake", "messages", cfg.Intake)
	figures, err := timeIntake(ctx, a, admin, units[0].id, cfg.Intake, logger)
	if err != nil {
		return err
	}
	for _, f := range figures {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return enc.Encode(memoryNow("memory_desk"))
}

// timeDeskList asks n times for the first page of the open requests
// through desk.Store.List, the actors in turn, then bare with the same
// conditions, and returns the figure.
func timeDeskList(ctx context.Context, d *db.DB, store *desk.Store, figure string, actors []*core.Actor, n int,
	gen deskGenFigure) (deskListFigure, error) {
	f := deskListFigure{Figure: figure, Requests: gen.Requests, Messages: gen.Messages, Queries: n, Items: -1}
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_requests r WHERE r.status IN ('new', 'open', 'waiting')"+
		scopeSQL(actors[0]), scopeArgs(actors[0])...).Scan(&f.OpenInScope); err != nil {
		return f, err
	}
	took, bare := make([]time.Duration, n), make([]time.Duration, n)
	for i := -len(actors); i < n; i++ { // a first round for each reader warms the caches
		actor := actors[(i+len(actors))%len(actors)]
		t := time.Now()
		page, err := store.List(ctx, actor, desk.Filter{View: desk.ViewOpen, Limit: deskPage})
		spent := time.Since(t)
		if err != nil {
			return f, fmt.Errorf("%s: %w", figure, err)
		}
		query := d.Rebind(fmt.Sprintf(bareOpenList, scopeSQL(actor)))
		t = time.Now()
		rows, err := bareDeskRows(ctx, d, query, append(scopeArgs(actor), deskPage+1)...)
		spentBare := time.Since(t)
		if err != nil {
			return f, err
		}
		if rows != min(deskPage+1, f.OpenInScope) && actor == actors[0] {
			return f, fmt.Errorf("%s: the bare page has %d rows, want %d", figure, rows, min(deskPage+1, f.OpenInScope))
		}
		if i < 0 {
			continue
		}
		took[i], bare[i] = spent, spentBare
		if f.Items < 0 || len(page.Requests) < f.Items {
			f.Items = len(page.Requests)
		}
	}
	f.P50, f.P99 = ms(percentile(took, 50)), ms(percentile(took, 99))
	f.BareP50, f.BareP99 = ms(percentile(bare, 50)), ms(percentile(bare, 99))
	if f.BareP99 > 0 {
		f.P99Ratio = round(f.P99 / f.BareP99)
	}
	return f, nil
}

// scopeSQL is the condition the actor's scope puts on the requests.
func scopeSQL(actor *core.Actor) string {
	if actor.Scope.All {
		return ""
	}
	return " AND r.unit_id IN (" + db.Placeholders(len(actor.Scope.UnitIDs)) + ")"
}

func scopeArgs(actor *core.Actor) []any {
	if actor.Scope.All {
		return nil
	}
	args := make([]any, len(actor.Scope.UnitIDs))
	for i, id := range actor.Scope.UnitIDs {
		args[i] = id
	}
	return args
}

// bareDeskRows runs a bare list query on the reading pool, reads every
// column of its rows and returns how many there were.
func bareDeskRows(ctx context.Context, d *db.DB, query string, args ...any) (int, error) {
	rows, err := d.Reader().QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("bare open list: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, ref, channel, status, priority, subject, name string
		var unread int
		var assignee *string
		var due *int64
		var created, last int64
		if err := rows.Scan(&id, &ref, &channel, &status, &priority, &subject, &name, &unread, &assignee, &due, &created, &last); err != nil {
			return 0, fmt.Errorf("bare open list: %w", err)
		}
		n++
	}
	return n, rows.Err()
}

// timeDeskPage opens n times a request with a long thread (Get and
// Thread, as the request page does), the heavy requests in turn, then
// bare: the request's row and its messages.
func timeDeskPage(ctx context.Context, d *db.DB, store *desk.Store, actor *core.Actor, heavy []string, n int) (deskPageFigure, error) {
	f := deskPageFigure{Figure: "desk_request_page", Requests: len(heavy), Messages: heavyMessages, Queries: n}
	took, bare := make([]time.Duration, n), make([]time.Duration, n)
	reqQuery := d.Rebind(`SELECT id, reference, status, subject, customer_email, created_at FROM desk_requests WHERE id = ?`)
	msgQuery := d.Rebind(`SELECT id, kind, from_email, subject, body_text, created_at FROM desk_messages
		WHERE request_id = ? ORDER BY created_at, id`)
	for i := -len(heavy); i < n; i++ {
		id := heavy[(i+len(heavy))%len(heavy)]
		t := time.Now()
		if _, err := store.Get(ctx, actor, id); err != nil {
			return f, err
		}
		th, err := store.Thread(ctx, actor, id)
		spent := time.Since(t)
		if err != nil {
			return f, err
		}
		if len(th.Messages) != heavyMessages {
			return f, fmt.Errorf("request %s: %d messages, want %d", id, len(th.Messages), heavyMessages)
		}
		t = time.Now()
		got, err := bareThread(ctx, d, reqQuery, msgQuery, id)
		spentBare := time.Since(t)
		if err != nil {
			return f, err
		}
		if got != heavyMessages {
			return f, fmt.Errorf("bare thread of %s: %d messages, want %d", id, got, heavyMessages)
		}
		if i >= 0 {
			took[i], bare[i] = spent, spentBare
		}
	}
	f.P50, f.P99 = ms(percentile(took, 50)), ms(percentile(took, 99))
	f.BareP50, f.BareP99 = ms(percentile(bare, 50)), ms(percentile(bare, 99))
	if f.BareP99 > 0 {
		f.P99Ratio = round(f.P99 / f.BareP99)
	}
	return f, nil
}

// bareThread reads a request's row and its messages and returns how many
// messages there were.
func bareThread(ctx context.Context, d *db.DB, reqQuery, msgQuery, id string) (int, error) {
	var rid, ref, status, subject, email string
	var created int64
	if err := d.Reader().QueryRowContext(ctx, reqQuery, id).Scan(&rid, &ref, &status, &subject, &email, &created); err != nil {
		return 0, fmt.Errorf("bare request %s: %w", id, err)
	}
	rows, err := d.Reader().QueryContext(ctx, msgQuery, id)
	if err != nil {
		return 0, fmt.Errorf("bare thread of %s: %w", id, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var mid, kind, from, subj, body string
		var at int64
		if err := rows.Scan(&mid, &kind, &from, &subj, &body, &at); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}
