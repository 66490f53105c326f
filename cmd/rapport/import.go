package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Bulk load the customer referential (CSV or NDJSON)",
		Long: `Bulk load parties or contracts from a CSV file with a header row, or NDJSON with the
API's field names. Rows are upserted on client number / contract number, so running the
same file twice changes nothing. Every bad row is written with its line number and reason
to a rejects file while the good rows go in.`,
	}
	cmd.AddCommand(newImportKindCmd("parties", func(s *party.Store) importFunc { return s.ImportParties }),
		newImportKindCmd("contracts", func(s *party.Store) importFunc { return s.ImportContracts }))
	return cmd
}

type importFunc func(ctx context.Context, actor *core.Actor, r io.Reader, format string, rejects io.Writer, progress party.Progress) (party.ImportResult, error)

func newImportKindCmd(kind string, pick func(*party.Store) importFunc) *cobra.Command {
	var format, rejectsPath string
	var quiet bool
	cmd := &cobra.Command{
		Use:   kind + " FILE",
		Short: "Import " + kind + " from FILE (.csv or .ndjson)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if format == "" {
				format = formatOf(path)
			}
			if format != "csv" && format != "ndjson" {
				return fmt.Errorf("unknown format %q: use --format csv or ndjson", format)
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			if rejectsPath == "" {
				rejectsPath = strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
			}
			rej, err := os.Create(rejectsPath)
			if err != nil {
				return fmt.Errorf("create rejects file: %w", err)
			}
			defer rej.Close()

			cfg := loadConfig()
			a, err := app.Open(cmd.Context(), cfg, cfg.DSN("rapport.db"))
			if err != nil {
				return err
			}
			defer a.Close()

			var r io.Reader = f
			var bar *progressbar.ProgressBar
			if !quiet {
				bar = progressbar.DefaultBytes(st.Size(), "importing "+kind)
				r = io.TeeReader(f, bar)
			}
			// The end of a large import (indexes, statistics) can take
			// minutes with the bar full: say what it does.
			started := time.Now()
			progress := func(st party.Step) {
				if st.Phase == "" || quiet {
					return
				}
				if bar != nil {
					_ = bar.Finish()
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "\n%s: %s (after %s)\n", kind, phaseText(st.Phase), time.Since(started).Round(time.Second))
			}
			res, err := pick(a.Parties)(cmd.Context(), core.System(), r, format, rej, progress)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%s: %d read, %d inserted, %d updated, %d unchanged, %d rejected\n",
				kind, res.Read, res.Inserted, res.Updated, res.Unchanged, res.Rejected)
			if res.Rejected > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "rejected rows and reasons: %s\n", rejectsPath)
			} else {
				rej.Close()
				os.Remove(rejectsPath)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "csv or ndjson (default: from the file extension)")
	cmd.Flags().StringVar(&rejectsPath, "rejects", "", "where to write rejected rows (default FILE.rejects.csv)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

// phaseText says what a phase of an import's end does.
func phaseText(ph party.Phase) string {
	switch ph {
	case party.PhaseIndexes:
		return "rows written; building the deferred indexes and the name index (minutes for millions of rows)"
	case party.PhaseStatistics:
		return "refreshing the database's statistics"
	}
	return string(ph)
}

func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ndjson", ".jsonl", ".json":
		return "ndjson"
	case ".csv":
		return "csv"
	}
	return ""
}
