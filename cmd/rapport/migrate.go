package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/db"
)

func newMigrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations",
		Long:  "Apply the embedded migrations to the configured database. Every subcommand that opens the database does this too.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := loadConfig()
			d, err := db.Open(cmd.Context(), cfg.DSN("rapport.db"))
			if err != nil {
				return err
			}
			defer d.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "migrations applied (%s)\n", d.Dialect())
			return nil
		},
	}
}
