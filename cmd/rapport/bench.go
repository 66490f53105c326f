package main

import (
	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/bench"
)

func newBenchCmd() *cobra.Command {
	var cfg bench.Config
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the performance figures against the bare database",
		Long: `Generate a database of the given size (a fresh SQLite file, or a fresh schema on the
PostgreSQL server named by --dsn) and print one JSON object per figure, each beside the
same work done by a bare query on the same database: bulk import rate, quick search
p50/p99 (whole-organisation and agency scopes), memory.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Logger = loadConfig().logger()
			return bench.Run(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DSN, "dsn", "", "postgres://… to bench PostgreSQL (a fresh schema is created and dropped); default a temporary SQLite file")
	f.IntVar(&cfg.Parties, "parties", 1_000_000, "number of parties to generate")
	f.IntVar(&cfg.Queries, "queries", 2000, "number of quick-search queries to time")
	f.Uint64Var(&cfg.Seed, "seed", 1, "random seed of the generator")
	f.BoolVar(&cfg.Keep, "keep", false, "keep the generated database (its location is logged) instead of deleting it")
	return cmd
}
