package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// chunkRows is how many generated rows the bare import holds in memory at
// once, each chunk in one transaction.
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
	// TableRows is how many rows the import left in the party tables: a
	// party is one row of parties, one per coordinate and one per name
	// word and pair of words (the search's index), where the bare import
	// writes one. TableRowsPerSecond is that count over the import's time.
	TableRows          int     `json:"table_rows"`
	TableRowsPerSecond float64 `json:"table_rows_per_second"`
	// The same file imported again, as a nightly load of an unchanged
	// base: every row read, its party found and compared, none written.
	ReimportSeconds       float64 `json:"reimport_seconds"`
	ReimportRowsPerSecond float64 `json:"reimport_rows_per_second"`
}

// partyTables are the tables an import of parties writes, counted after it.
var partyTables = []string{"parties", "party_emails", "party_phones", "party_addresses", "party_name_words", "party_name_pairs"}

// countRows returns how many rows the tables hold together.
func countRows(ctx context.Context, d *db.DB, tables []string) (int, error) {
	total := 0
	for _, t := range tables {
		var n int
		if err := d.Reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t).Scan(&n); err != nil {
			return 0, fmt.Errorf("count %s: %w", t, err)
		}
		total += n
	}
	return total, nil
}

// importParties writes n generated parties to a CSV file (not timed), times
// one ImportParties of that file, as `rapport import parties` would run it
// on a bank's whole customer base, and a second one, as every night after
// (nothing changed); then the bare import: the same rows
// generated again chunk by chunk (not timed), each chunk written by a plain
// multi-row INSERT into the scratch table in one transaction (timed).
func importParties(ctx context.Context, d *db.DB, parties *party.Store, actor *core.Actor, g *generator, n int, logger *slog.Logger) (importFigure, error) {
	file, err := writeCSV(g, n)
	if err != nil {
		return importFigure{}, err
	}
	defer os.Remove(file.Name())
	defer file.Close()
	var rejects strings.Builder
	t := time.Now()
	progress := func(st party.Step) {
		switch {
		case st.Phase != "":
			logger.Info("bench: import's end", "phase", st.Phase, "after", time.Since(t).Round(time.Second))
		case st.Rows%100_000 < 5_000:
			logger.Info("bench: importing", "rows", st.Rows, "of", n)
		}
	}
	res, err := parties.ImportParties(ctx, actor, bufio.NewReaderSize(file, 1<<20), "csv", &rejects, progress)
	spent := time.Since(t)
	if err != nil {
		return importFigure{}, fmt.Errorf("import: %w", err)
	}
	if res.Inserted != n {
		return importFigure{}, fmt.Errorf("import: %+v; rejects:\n%.2000s", res, rejects.String())
	}
	logger.Info("bench: imported", "rows", n, "rows_per_second", round(float64(n)/spent.Seconds()))
	tableRows, err := countRows(ctx, d, partyTables)
	if err != nil {
		return importFigure{}, err
	}
	if _, err := file.Seek(0, 0); err != nil {
		return importFigure{}, fmt.Errorf("read the CSV file again: %w", err)
	}
	t = time.Now()
	res, err = parties.ImportParties(ctx, actor, bufio.NewReaderSize(file, 1<<20), "csv", &rejects, progress)
	again := time.Since(t)
	if err != nil {
		return importFigure{}, fmt.Errorf("import again: %w", err)
	}
	if res.Unchanged != n {
		return importFigure{}, fmt.Errorf("import again: %+v, want every row unchanged", res)
	}
	logger.Info("bench: imported again", "rows", n, "rows_per_second", round(float64(n)/again.Seconds()))

	defs := make([]string, len(columns))
	for i, c := range columns {
		defs[i] = c + " TEXT"
	}
	if _, err := d.Exec(ctx, "CREATE TABLE "+bareTable+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return importFigure{}, fmt.Errorf("create bare table: %w", err)
	}
	var bare time.Duration
	for start := 0; start < n; start += chunkRows {
		end := min(start+chunkRows, n)
		recs := make([][]string, 0, end-start)
		for i := start; i < end; i++ {
			recs = append(recs, g.row(i).rec)
		}
		t = time.Now()
		if err := insertBare(ctx, d, recs); err != nil {
			return importFigure{}, err
		}
		bare += time.Since(t)
		if end%1_000_000 == 0 || end == n {
			logger.Info("bench: bare import", "rows", end, "of", n, "bare_rows_per_second", round(float64(end)/bare.Seconds()))
		}
	}
	if _, err := d.Exec(ctx, "DROP TABLE "+bareTable); err != nil {
		return importFigure{}, fmt.Errorf("drop bare table: %w", err)
	}
	return importFigure{Figure: "import_parties", N: n, Seconds: round(spent.Seconds()),
		RowsPerSecond: round(float64(n) / spent.Seconds()), BareSeconds: round(bare.Seconds()),
		BareRowsPerSecond: round(float64(n) / bare.Seconds()), TableRows: tableRows,
		TableRowsPerSecond: round(float64(tableRows) / spent.Seconds()), ReimportSeconds: round(again.Seconds()),
		ReimportRowsPerSecond: round(float64(n) / again.Seconds())}, nil
}

// writeCSV writes the n generated parties to a temporary CSV file with its
// header row and returns it open at its start.
func writeCSV(g *generator, n int) (*os.File, error) {
	f, err := os.CreateTemp("", "rapport-bench-parties-*.csv")
	if err != nil {
		return nil, fmt.Errorf("create CSV file: %w", err)
	}
	fail := func(err error) (*os.File, error) {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("write CSV file: %w", err)
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(buf)
	_ = w.Write(columns)
	for i := range n {
		_ = w.Write(g.row(i).rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fail(err)
	}
	if err := buf.Flush(); err != nil {
		return fail(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return fail(err)
	}
	return f, nil
}

// insertBare writes recs into the scratch table in one transaction, with
// the same multi-row INSERTs the import used to run (db.InsertMany).
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
