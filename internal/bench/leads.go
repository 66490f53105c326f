package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/leads"
)

// leadsFigure is the latency of the response-time report through the
// application (its aggregate query, the rows' labels and the first detail
// rows) beside its one aggregate query run bare.
type leadsFigure struct {
	Figure   string  `json:"figure"`
	Leads    int     `json:"leads"`
	Counted  int64   `json:"counted"` // leads the report counted
	Rows     int     `json:"rows"`
	Queries  int     `json:"queries"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	BareP50  float64 `json:"bare_p50_ms"`
	BareP99  float64 `json:"bare_p99_ms"`
	P99Ratio float64 `json:"p99_ratio_to_bare"`
}

// runLeads creates a fresh database with the bench organisation,
// generates cfg.Leads leads over the last year, then times the
// response-time report for the whole bank over that year, grouped by
// agent and by source, each beside its aggregate query run bare, and
// writes their figures to out.
func runLeads(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Queries <= 0 {
		cfg.Queries = 50
	}
	b, tearDown, err := setUpAgencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer tearDown(&err)
	d, a, logger, admin, units := b.d, b.a, b.logger, b.admin, b.units
	enc := json.NewEncoder(out)
	logger.Info("bench: generating leads", "engine", d.Dialect(), "leads", cfg.Leads)
	g, err := generateLeads(ctx, d.DB, units, cfg.Leads, cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(g); err != nil {
		return err
	}
	settle(ctx, d.DB, logger)
	// The whole year, in the reader's time zone, as the report's page asks it.
	today := time.Now().In(time.UTC)
	c := leads.ReportCriteria{From: today.AddDate(-1, 0, 0).Format(time.DateOnly), To: today.Format(time.DateOnly)}
	for _, run := range []struct{ figure, groupBy string }{
		{"lead_report_year_by_agent", leads.GroupAgent},
		{"lead_report_year_by_source", leads.GroupSource},
	} {
		c.GroupBy = run.groupBy
		logger.Info("bench: lead reports", "figure", run.figure, "queries", cfg.Queries)
		f, err := timeLeadReport(ctx, d.DB, a.Leads, admin, c, run.figure, cfg.Queries)
		if err != nil {
			return err
		}
		f.Leads = cfg.Leads
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return enc.Encode(memoryNow("memory_leads"))
}

// timeLeadReport runs the report and its bare aggregate query n times each
// (after one round that warms the caches) and checks they count the same.
func timeLeadReport(ctx context.Context, d *db.DB, store *leads.Store, actor *core.Actor, c leads.ReportCriteria,
	figure string, n int) (leadsFigure, error) {
	f := leadsFigure{Figure: figure, Queries: n}
	query, args, err := store.AggregateSQL(ctx, actor, c)
	if err != nil {
		return f, err
	}
	took, bareTook := make([]time.Duration, n), make([]time.Duration, n)
	for i := -1; i < n; i++ {
		start := time.Now()
		r, err := store.ResponseReport(ctx, actor, c)
		spent := time.Since(start)
		if err != nil {
			return f, fmt.Errorf("%s: %w", figure, err)
		}
		start = time.Now()
		rows, counted, err := bareAggregate(ctx, d, query, args)
		spentBare := time.Since(start)
		if err != nil {
			return f, fmt.Errorf("%s bare: %w", figure, err)
		}
		if rows != len(r.Rows) || counted != r.Totals.Leads {
			return f, fmt.Errorf("%s: the bare query read %d rows counting %d leads, the report %d and %d",
				figure, rows, counted, len(r.Rows), r.Totals.Leads)
		}
		f.Rows, f.Counted = rows, counted
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

// bareAggregate runs the report's GROUP BY on the reader and reads every
// row's columns, returning the rows and the leads they count.
func bareAggregate(ctx context.Context, d *db.DB, query string, args []any) (int, int64, error) {
	rows, err := d.Reader().QueryContext(ctx, d.Rebind(query), args...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, 0, err
	}
	n, total := 0, int64(0)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, 0, err
		}
		switch v := vals[1].(type) {
		case int64:
			total += v
		default:
			return 0, 0, fmt.Errorf("count read as %T", v)
		}
		n++
	}
	return n, total, rows.Err()
}
