package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/board"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
)

// casesFigure is the latency of a board's first load or of an activity
// list through the application beside the bare SQL it runs.
type casesFigure struct {
	Figure   string  `json:"figure"`
	Cases    int     `json:"cases"`
	Tasks    int     `json:"tasks"`
	Requests int     `json:"requests"`
	Queries  int     `json:"queries"`
	Cards    int     `json:"cards"` // cards (or tasks and requests) shown, the first reader's first load
	Counted  int     `json:"counted"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	BareP50  float64 `json:"bare_p50_ms"`
	BareP99  float64 `json:"bare_p99_ms"`
	P99Ratio float64 `json:"p99_ratio_to_bare"`
}

// runCases creates a fresh database with the bench organisation,
// generates cfg.Requests requests (one message each), cfg.Cases cases and
// cfg.Tasks tasks, then times the kanban board's first load (cases and
// requests, for an agency's advisor on their agency and for the whole
// bank) and an advisor's activity list, each beside the same SQL run bare,
// and writes their figures to out.
func runCases(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Tasks <= 0 {
		cfg.Tasks = 5_000_000
	}
	if cfg.Requests <= 0 {
		cfg.Requests = 100_000
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 500
	}
	b, tearDown, err := setUpAgencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer tearDown(&err)
	d, a, logger, admin, units := b.d, b.a, b.logger, b.admin, b.units
	enc := json.NewEncoder(out)
	logger.Info("bench: generating the desk", "engine", d.Dialect(), "requests", cfg.Requests)
	dg, _, err := generateDesk(ctx, d.DB, units, cfg.Requests, max(cfg.Requests, heavyRequests*heavyMessages), cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(dg); err != nil {
		return err
	}
	logger.Info("bench: generating cases and tasks", "cases", cfg.Cases, "tasks", cfg.Tasks)
	cg, err := generateCases(ctx, d.DB, units, cfg.Cases, cfg.Tasks, cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(cg); err != nil {
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
	t := casesTimer{d: d.DB, board: board.New(a.Cases, a.Desk), cases: a.Cases, n: cfg.Queries,
		base: casesFigure{Cases: cg.Cases, Tasks: cg.Tasks, Requests: dg.Requests, Queries: cfg.Queries}}
	for _, run := range []struct {
		figure string
		kind   string
		actors []*core.Actor
		unit   bool
	}{
		{"kanban_cases_agency", board.KindCases, advisors, true},
		{"kanban_cases_bank", board.KindCases, []*core.Actor{admin}, false},
		{"kanban_requests_agency", board.KindRequests, advisors, true},
		{"kanban_requests_bank", board.KindRequests, []*core.Actor{admin}, false},
	} {
		logger.Info("bench: loading boards", "figure", run.figure, "queries", cfg.Queries)
		f, err := t.boards(ctx, run.figure, run.kind, run.actors, run.unit)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	logger.Info("bench: activity lists", "queries", cfg.Queries)
	f, err := t.activities(ctx, advisors)
	if err != nil {
		return err
	}
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Encode(memoryNow("memory_cases"))
}

// casesTimer times the boards and activity lists.
type casesTimer struct {
	d     *db.DB
	board *board.Store
	cases *cases.Store
	n     int
	base  casesFigure
}

// run calls app and bare n times, the readers in turn after a first round
// each that warms the caches, and returns the figure; shown gives the
// number of cards and counted of the first reader's first load.
func (t casesTimer) run(figure string, readers int, app, bare func(i int) (shown, counted int, err error)) (casesFigure, error) {
	f := t.base
	f.Figure = figure
	took, bareTook := make([]time.Duration, t.n), make([]time.Duration, t.n)
	for i := -readers; i < t.n; i++ {
		reader := (i + readers) % readers
		start := time.Now()
		shown, counted, err := app(reader)
		spent := time.Since(start)
		if err != nil {
			return f, fmt.Errorf("%s: %w", figure, err)
		}
		start = time.Now()
		bareShown, bareCounted, err := bare(reader)
		spentBare := time.Since(start)
		if err != nil {
			return f, fmt.Errorf("%s bare: %w", figure, err)
		}
		if bareShown != shown || bareCounted != counted {
			return f, fmt.Errorf("%s: the bare queries read %d cards and counted %d, the application %d and %d",
				figure, bareShown, bareCounted, shown, counted)
		}
		if i == -readers {
			f.Cards, f.Counted = shown, counted
		}
		if i >= 0 {
			took[i], bareTook[i] = spent, spentBare
		}
	}
	f.P50, f.P99 = ms(percentile(took, 50)), ms(percentile(took, 99))
	f.BareP50, f.BareP99 = ms(percentile(bareTook, 50)), ms(percentile(bareTook, 99))
	if f.BareP99 > 0 {
		f.P99Ratio = round(f.P99 / f.BareP99)
	}
	return f, nil
}

// boards times the first load of a board of kind, for each actor on their
// own agency (unit) or on their whole scope.
func (t casesTimer) boards(ctx context.Context, figure, kind string, actors []*core.Actor, unit bool) (casesFigure, error) {
	filter := func(actor *core.Actor) board.Filter {
		f := board.Filter{Kind: kind, Classification: benchClassifications[0].code}
		if unit {
			f.UnitID = actor.UnitID
		}
		return f
	}
	app := func(i int) (int, int, error) {
		b, err := t.board.Board(ctx, actors[i], filter(actors[i]))
		if err != nil {
			return 0, 0, err
		}
		shown, counted := 0, 0
		for _, c := range b.Columns {
			shown, counted = shown+len(c.Cards), counted+c.Count
		}
		return shown, counted, nil
	}
	bare := func(i int) (int, int, error) {
		actor, f := actors[i], filter(actors[i])
		var columns [][4]any // page, page args, count, count args
		if kind == board.KindCases {
			var classID string
			if err := t.d.Reader().QueryRowContext(ctx, t.d.Rebind("SELECT id FROM case_classifications WHERE code = ?"),
				f.Classification).Scan(&classID); err != nil {
				return 0, 0, err
			}
			for _, s := range benchClassifications[0].statuses {
				p, pa, c, ca := cases.CardColumnSQL(actor, classID, s, cases.CardFilter{UnitID: f.UnitID,
					Cards: board.CardsPerColumn, MaxCount: board.MaxCount})
				columns = append(columns, [4]any{p, pa, c, ca})
			}
		} else {
			for _, s := range desk.Statuses {
				p, pa, c, ca := desk.BoardColumnSQL(actor, s, desk.BoardFilter{UnitID: f.UnitID, Cards: board.CardsPerColumn,
					MaxCount: board.MaxCount})
				columns = append(columns, [4]any{p, pa, c, ca})
			}
		}
		shown, counted := 0, 0
		for _, col := range columns {
			var n int
			if err := t.d.Reader().QueryRowContext(ctx, t.d.Rebind(col[2].(string)), col[3].([]any)...).Scan(&n); err != nil {
				return 0, 0, err
			}
			counted += min(n, board.MaxCount)
			if n == 0 {
				continue
			}
			rows, err := bareCount(ctx, t.d, col[0].(string), col[1].([]any))
			if err != nil {
				return 0, 0, err
			}
			shown += rows
		}
		return shown, counted, nil
	}
	return t.run(figure, len(actors), app, bare)
}

// activities times the advisors' activity lists.
func (t casesTimer) activities(ctx context.Context, actors []*core.Actor) (casesFigure, error) {
	app := func(i int) (int, int, error) {
		a, err := t.cases.Activity(ctx, actors[i], "")
		if err != nil {
			return 0, 0, err
		}
		return len(a.Overdue) + len(a.Today) + len(a.Week) + len(a.Requests),
			a.OverdueCount + a.TodayCount + a.WeekCount + a.RequestsCount, nil
	}
	bare := func(i int) (int, int, error) {
		actor := actors[i]
		pages, counts, err := t.cases.ActivityQueries(actor, actor.AgentID)
		if err != nil {
			return 0, 0, err
		}
		shown, counted := 0, 0
		for k, p := range pages {
			n, err := bareCount(ctx, t.d, p.SQL, p.Args)
			if err != nil {
				return 0, 0, err
			}
			shown += n
			if n == cases.ActivityCap {
				if err := t.d.Reader().QueryRowContext(ctx, t.d.Rebind(counts[k].SQL), counts[k].Args...).Scan(&n); err != nil {
					return 0, 0, err
				}
			}
			counted += n
		}
		// The requests assigned to the advisor and not closed: the desk's
		// first page, and its count when there are more; the scope's unit
		// test written as the desk writes it for an assignee's list.
		cond := strings.Replace(scopeSQL(actor), "r.unit_id", "(r.unit_id || '')", 1) + " AND r.assignee_id = ?"
		args := append(scopeArgs(actor), actor.AgentID)
		n, err := bareDeskRows(ctx, t.d, t.d.Rebind(fmt.Sprintf(bareOpenList, cond)), append(args, deskPage+1)...)
		if err != nil {
			return 0, 0, err
		}
		shown += min(n, deskPage)
		if n > deskPage {
			if err := t.d.Reader().QueryRowContext(ctx, t.d.Rebind(`SELECT COUNT(*) FROM (SELECT 1 FROM desk_requests r
				WHERE r.status IN ('new', 'open', 'waiting')`+cond+" LIMIT ?) x"), append(args, desk.MaxCount)...).Scan(&n); err != nil {
				return 0, 0, err
			}
		}
		counted += n
		return shown, counted, nil
	}
	return t.run("activity_list_advisor", len(actors), app, bare)
}

// bareCount runs a query on the reading pool, reads every column of its
// rows and returns how many there were.
func bareCount(ctx context.Context, d *db.DB, query string, args []any) (int, error) {
	rows, err := d.Reader().QueryContext(ctx, d.Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	dst := make([]any, len(cols))
	for i := range dst {
		dst[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}
