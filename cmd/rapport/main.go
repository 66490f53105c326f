// Command rapport is the whole product in one binary: the server, the demo,
// migrations, user and token administration, bulk import and the benchmark.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // units' time zones resolve on machines without zone data

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "rapport:", err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "rapport",
		Short: "Rapport — the 360° customer contact history, desk, cases and leads",
		Long: `Rapport is a customer-relationship system for banks, insurers, utilities and dealerships.

Configuration comes from flags and RAPPORT_* environment variables:
  RAPPORT_ADDR           address to listen on (default 127.0.0.1:8080)
  RAPPORT_DATABASE_URL   postgres://… or sqlite:PATH (default: a SQLite file in RAPPORT_DATA_DIR)
  RAPPORT_DATA_DIR       data directory for the SQLite file (default ./data)
  RAPPORT_LOG_LEVEL      debug, info, warn or error (default info)
  RAPPORT_SECURE_COOKIES true when served over HTTPS (marks cookies Secure)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newOpenAPICmd(), newDemoCmd(), newMigrateCmd(), newUserCmd(), newTokenCmd(),
		newImportCmd(), newBenchCmd(), newRetentionCmd())
	return root
}
