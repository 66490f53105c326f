package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// casesChunk is how many generated cases, or tasks, are written per
// transaction.
const casesChunk = 20_000

// The columns of the rows the cases generator fills.
var (
	caseColumns = []string{"id", "reference", "unit_id", "classification_id", "status", "title", "origin",
		"establishment_id", "created_at", "updated_at", "closed_at"}
	workAgentColumns = []string{"owner_id", "agent_id", "role"}
	taskColumns      = []string{"id", "unit_id", "kind", "title", "due_on", "assignee_id", "priority", "status", "case_id",
		"created_at", "updated_at", "completed_at"}
)

// benchClassifications are the generated establishment's classifications:
// five statuses each, the last closed. The boards show the first.
var benchClassifications = []struct {
	code     string
	statuses []string
}{
	{"claim", []string{"received", "analysis", "waiting_customer", "answered", "closed"}},
	{"address_change", []string{"received", "documents", "checked", "applied", "closed"}},
	{"dunning", []string{"opened", "reminder", "formal_notice", "litigation", "closed"}},
}

// casesGenFigure is the size the generated cases and tasks reached and the
// time their bare bulk load took.
type casesGenFigure struct {
	Figure        string  `json:"figure"`
	Cases         int     `json:"cases"`
	OpenCases     int     `json:"open_cases"`
	Tasks         int     `json:"tasks"`
	OpenTasks     int     `json:"open_tasks"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// generateCases writes the classifications of the bench's establishment,
// then bulk-inserts n cases spread over the agencies, the classifications
// and three years (those of the last sixty days in every status, older
// ones closed but one in two hundred), a responsible advisor for three in
// five, and m tasks on those cases, due over the same three years and the
// next fortnight (those due in the last fortnight or later open seven
// times in ten, older ones done or cancelled but one in five hundred),
// four in five assigned to the agency's advisor, the others in its queue.
// Secondary indexes are dropped during the load and built after it.
func generateCases(ctx context.Context, d *db.DB, units []deskUnit, n, m int, seed uint64, logger *slog.Logger) (casesGenFigure, error) {
	defer d.BulkLoad(ctx)() // the writer's larger cache, as an import gets
	f := casesGenFigure{Figure: "generate_cases", Cases: n, Tasks: m}
	var est string
	if err := d.QueryRow(ctx, "SELECT id FROM units WHERE parent_id IS NULL").Scan(&est); err != nil {
		return f, err
	}
	now := time.Now().UTC()
	classes := make([]string, len(benchClassifications))
	for i, c := range benchClassifications {
		var p cases.Process
		for k, s := range c.statuses {
			p.Statuses = append(p.Statuses, cases.Status{Code: s, NameFR: s, NameEN: s, Closed: k == len(c.statuses)-1})
		}
		raw, _ := json.Marshal(p)
		classes[i] = core.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process,
			position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, classes[i], est, c.code, c.code, c.code,
			string(raw), i, core.Millis(now), core.Millis(now)); err != nil {
			return f, err
		}
	}
	indexes, err := dropIndexes(ctx, d, "the cases", "cases", "work_agents", "tasks")
	if err != nil {
		return f, err
	}
	loader, err := newBulkLoader(ctx, d)
	if err != nil {
		return f, err
	}
	defer loader.close() // after an error; the explicit close below reports its own
	r := rand.New(rand.NewPCG(seed, 2020))
	start := now.AddDate(-3, 0, 0)
	began := time.Now()
	// Each case's unit, advisor and creation, for the tasks that follow.
	type caseRef struct {
		id      string
		unit    int
		created int64
	}
	refs := make([]caseRef, 0, n)
	step := now.Sub(start) / time.Duration(n+1)
	var rows, agents [][]any
	for i := range n {
		u := r.IntN(len(units))
		c := r.IntN(len(classes))
		created := start.Add(step*time.Duration(i) + time.Duration(r.Int64N(int64(step))))
		statuses := benchClassifications[c].statuses
		status := statuses[len(statuses)-1]
		if now.Sub(created) < 60*24*time.Hour {
			status = statuses[r.IntN(len(statuses))]
		} else if r.IntN(200) == 0 {
			status = statuses[r.IntN(len(statuses)-1)]
		}
		ms := core.Millis(created)
		updated := min(ms+r.Int64N(10*24*3600_000), core.Millis(now))
		var closedAt any
		if status == statuses[len(statuses)-1] {
			closedAt = updated
		} else {
			f.OpenCases++
		}
		id := core.NewID()
		refs = append(refs, caseRef{id, u, ms})
		rows = append(rows, []any{id, fmt.Sprintf("C-%07d", i+1), units[u].id, classes[c], status,
			fmt.Sprintf("Dossier %d", i+1), "api", est, ms, updated, closedAt})
		if r.IntN(5) < 3 {
			agents = append(agents, []any{id, units[u].advisorID, "responsible"})
		}
		if len(rows) == casesChunk || i == n-1 {
			if err := loader.writeTables(ctx, []tableRows{{"cases", caseColumns, rows}, {"work_agents", workAgentColumns, agents}}); err != nil {
				return f, err
			}
			rows, agents = rows[:0], agents[:0]
			logger.Info("bench: cases generated", "cases", i+1)
		}
	}
	end := now.Add(14 * 24 * time.Hour)
	tstep := end.Sub(start) / time.Duration(m+1)
	recent := now.Add(-14 * 24 * time.Hour)
	kinds := []string{"task", "task", "call", "meeting"}
	for i := range m {
		due := start.Add(tstep*time.Duration(i) + time.Duration(r.Int64N(int64(tstep))))
		// A case opened before the due date, when there is one.
		c := refs[r.IntN(len(refs))]
		for k := 0; k < 4 && c.created > core.Millis(due); k++ {
			c = refs[r.IntN(len(refs))]
		}
		created := min(c.created, core.Millis(due)-3600_000)
		status, completed := "done", any(core.Millis(due))
		switch {
		case due.After(recent) && r.IntN(10) < 7, due.Before(recent) && r.IntN(500) == 0:
			status, completed = "open", nil
		case r.IntN(25) == 0:
			status, completed = "cancelled", nil
		}
		if status == "open" {
			f.OpenTasks++
		}
		var assignee any
		if r.IntN(5) < 4 {
			assignee = units[c.unit].advisorID
		}
		rows = append(rows, []any{core.NewID(), units[c.unit].id, kinds[r.IntN(len(kinds))], fmt.Sprintf("Tâche %d", i+1),
			due.Format(time.DateOnly), assignee, []string{"low", "low", "medium", "high"}[r.IntN(4)], status, c.id,
			created, created, completed})
		if len(rows) == casesChunk || i == m-1 {
			if err := loader.writeTables(ctx, []tableRows{{"tasks", taskColumns, rows}}); err != nil {
				return f, err
			}
			rows = rows[:0]
			if (i+1)%(10*casesChunk) == 0 || i == m-1 {
				logger.Info("bench: tasks generated", "tasks", i+1)
			}
		}
	}
	if err := loader.close(); err != nil {
		return f, err
	}
	if _, err := d.Exec(ctx, "UPDATE desk_counters SET value = ? WHERE name = 'case'", n); err != nil {
		return f, err
	}
	logger.Info("bench: indexing the cases and tasks", "indexes", len(indexes))
	if err := rebuildIndexes(ctx, d, indexes); err != nil {
		return f, err
	}
	// As for the desk: PostgreSQL's autovacuum would soon do this; SQLite
	// runs without statistics, as the application does.
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(ctx, "VACUUM (ANALYZE) cases, work_agents, tasks"); err != nil {
			return f, err
		}
	}
	f.Seconds = round(time.Since(began).Seconds())
	if f.Seconds > 0 {
		f.RowsPerSecond = round(float64(f.Cases+f.Tasks) / f.Seconds)
	}
	return f, nil
}
