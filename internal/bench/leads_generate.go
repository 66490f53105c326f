package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// leadsChunk is how many generated leads are written per transaction.
const leadsChunk = 20_000

// leadColumns are the columns the leads generator fills.
var leadColumns = []string{"id", "establishment_id", "unit_id", "channel", "source", "source_group", "external_id",
	"received_at", "clock_start_at", "last_name", "product", "status", "route", "assignee_id", "assigned_at", "assigned_by",
	"first_response_at", "response_minutes", "response_kind", "created_at", "updated_at"}

// benchSources are the generated leads' sources and their groups.
var benchSources = []struct{ source, group string }{
	{"site_banque", "web"}, {"comparateur_a", "comparators"}, {"comparateur_b", "comparators"},
	{"partenaire_immo", "partners"}, {"partenaire_auto", "partners"}, {"agence", "branch"},
	{"salon", "events"}, {"parrainage", "branch"},
}

// leadsGenFigure is the size the generated leads reached and the time
// their bare bulk load took.
type leadsGenFigure struct {
	Figure        string  `json:"figure"`
	Leads         int     `json:"leads"`
	Answered      int     `json:"answered"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// generateLeads bulk-inserts n leads received over the last year, spread
// over the agencies and the sources, each assigned to its agency's
// advisor; nine in ten are answered, most within hours of business time,
// some after days. Secondary indexes are dropped during the load and
// built after it.
func generateLeads(ctx context.Context, d *db.DB, units []deskUnit, n int, seed uint64, logger *slog.Logger) (leadsGenFigure, error) {
	defer d.BulkLoad(ctx)() // the writer's larger cache, as an import gets
	f := leadsGenFigure{Figure: "generate_leads", Leads: n}
	var est string
	if err := d.QueryRow(ctx, "SELECT id FROM units WHERE parent_id IS NULL").Scan(&est); err != nil {
		return f, err
	}
	indexes, err := dropIndexes(ctx, d, "the leads", "leads")
	if err != nil {
		return f, err
	}
	loader, err := newBulkLoader(ctx, d)
	if err != nil {
		return f, err
	}
	defer loader.close() // after an error; the explicit close below reports its own
	r := rand.New(rand.NewPCG(seed, 2026))
	now := time.Now().UTC()
	start := now.AddDate(-1, 0, 0)
	step := now.Sub(start) / time.Duration(n+1)
	products := []string{"loan", "mortgage", "savings", "insurance", "card"}
	began := time.Now()
	var rows [][]any
	for i := range n {
		u := units[r.IntN(len(units))]
		src := benchSources[r.IntN(len(benchSources))]
		received := start.Add(step*time.Duration(i) + time.Duration(r.Int64N(int64(step))))
		rec := core.Millis(received)
		status := "assigned"
		var first, minutes any
		kind := ""
		if r.IntN(10) < 9 {
			// Most within the first business hours, a long tail over days.
			m := int64(r.ExpFloat64() * 180)
			if r.IntN(8) == 0 {
				m += r.Int64N(3 * 600)
			}
			status, minutes, kind, first = "answered", m, []string{"email", "call", "task"}[r.IntN(3)], rec+m*60_000
			f.Answered++
		}
		id := core.NewID()
		rows = append(rows, []any{id, est, u.id, "api", src.source, src.group, fmt.Sprintf("L-%08d", i+1), rec, rec,
			fmt.Sprintf("Prospect %d", i+1), products[r.IntN(len(products))], status, "default", u.advisorID, rec,
			"round_robin", first, minutes, kind, rec, rec})
		if len(rows) == leadsChunk || i == n-1 {
			if err := loader.writeTables(ctx, []tableRows{{"leads", leadColumns, rows}}); err != nil {
				return f, err
			}
			rows = rows[:0]
			if (i+1)%(10*leadsChunk) == 0 || i == n-1 {
				logger.Info("bench: leads generated", "leads", i+1)
			}
		}
	}
	if err := loader.close(); err != nil {
		return f, err
	}
	logger.Info("bench: indexing the leads", "indexes", len(indexes))
	if err := rebuildIndexes(ctx, d, indexes); err != nil {
		return f, err
	}
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(ctx, "VACUUM (ANALYZE) leads"); err != nil {
			return f, err
		}
	}
	f.Seconds = round(time.Since(began).Seconds())
	if f.Seconds > 0 {
		f.RowsPerSecond = round(float64(n) / f.Seconds)
	}
	return f, nil
}
