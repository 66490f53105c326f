package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
)

func newServeCmd() *cobra.Command {
	cfg := loadConfig()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the UI and the API",
		Long:  "Serve the web UI and the /api/v1 JSON API, applying pending migrations first.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			limitMemory(os.Getenv)
			dsn := cfg.DSN("rapport.db")
			a, err := app.Open(cmd.Context(), cfg, dsn)
			if err != nil {
				return err
			}
			defer a.Close()
			a.Logger.Info("database ready", "dsn", app.DescribeDSN(dsn), "engine", a.DB.Dialect())
			return a.Serve(cmd.Context(), nil)
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (RAPPORT_ADDR)")
	return cmd
}
