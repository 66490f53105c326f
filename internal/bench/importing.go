package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// chunkRows is how many generated rows are held in memory at once: each
// chunk is one ImportParties call and one bare transaction.
const chunkRows = 50_000

// bareTable is the scratch table of the bare import: the CSV's columns,
// no index, no constraint. It is dropped once the import is measured.
const bareTable = "bench_bare_parties"

// importFigure is the bulk import rate beside the bare database's.
type importFigure struct {
	Figure            string  `json:"figure"`
	N                 int     `json:"n"`
	Seconds           float64 `json:"seconds"`
	RowsPerSecond     float64 `json:"rows_per_second"`
	BareSeconds       float64 `json:"bare_seconds"`
	BareRowsPerSecond float64 `json:"bare_rows_per_second"`
}

// importParties generates n parties chunk by chunk and times, for each
// chunk, ImportParties on its CSV, then a plain multi-row INSERT of the same
// rows into the scratch table in one transaction.
func importParties(ctx context.Context, d *db.DB, parties *party.Store, actor *core.Actor, g *generator, n int, logger *slog.Logger) (importFigure, error) {
	defs := make([]string, len(columns))
	for i, c := range columns {
		defs[i] = c + " TEXT"
	}
	if _, err := d.Exec(ctx, "CREATE TABLE "+bareTable+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return importFigure{}, fmt.Errorf("create bare table: %w", err)
	}
	var spent, bare time.Duration
	var buf bytes.Buffer
	for start := 0; start < n; start += chunkRows {
		end := min(start+chunkRows, n)
		recs := make([][]string, 0, end-start)
		buf.Reset()
		w := csv.NewWriter(&buf)
		_ = w.Write(columns)
		for i := start; i < end; i++ {
			rec := g.row(i).rec
			recs = append(recs, rec)
			_ = w.Write(rec)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return importFigure{}, fmt.Errorf("write CSV: %w", err)
		}

		var rejects strings.Builder
		t := time.Now()
		res, err := parties.ImportParties(ctx, actor, &buf, "csv", &rejects, nil)
		spent += time.Since(t)
		if err != nil {
			return importFigure{}, fmt.Errorf("import rows %d to %d: %w", start, end, err)
		}
		if res.Inserted != end-start {
			return importFigure{}, fmt.Errorf("import rows %d to %d: %+v; rejects:\n%.2000s", start, end, res, rejects.String())
		}

		t = time.Now()
		if err := insertBare(ctx, d, recs); err != nil {
			return importFigure{}, err
		}
		bare += time.Since(t)
		logger.Info("bench: imported", "rows", end, "of", n,
			"rows_per_second", round(float64(end)/spent.Seconds()), "bare_rows_per_second", round(float64(end)/bare.Seconds()))
	}
	if _, err := d.Exec(ctx, "DROP TABLE "+bareTable); err != nil {
		return importFigure{}, fmt.Errorf("drop bare table: %w", err)
	}
	return importFigure{Figure: "import_parties", N: n, Seconds: round(spent.Seconds()),
		RowsPerSecond: round(float64(n) / spent.Seconds()), BareSeconds: round(bare.Seconds()),
		BareRowsPerSecond: round(float64(n) / bare.Seconds())}, nil
}

// insertBare writes recs into the scratch table in one transaction, with
// the same multi-row INSERTs the import uses (db.InsertMany).
func insertBare(ctx context.Context, d *db.DB, recs [][]string) error {
	rows := make([][]any, len(recs))
	for i, rec := range recs {
		rows[i] = make([]any, len(rec))
		for j, v := range rec {
			rows[i][j] = v
		}
	}
	head := "INSERT INTO " + bareTable + " (" + strings.Join(columns, ", ") + ") VALUES "
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		return db.InsertMany(ctx, tx, head, "("+db.Placeholders(len(columns))+")", rows)
	})
	if err != nil {
		return fmt.Errorf("bare insert: %w", err)
	}
	return nil
}
