package main

import (
	"context"
	"os"

	"github.com/rapport-crm/rapport/internal/app"
)

// loadConfig reads the RAPPORT_* environment; subcommands' flags refine it.
func loadConfig() app.Config {
	cfg := app.LoadConfig(os.Getenv)
	cfg.Stderr = os.Stderr
	return cfg
}

// withApp opens the configured database (RAPPORT_DATABASE_URL, else
// rapport.db in the data directory), runs fn with the application and
// closes it.
func withApp(ctx context.Context, fn func(a *app.App) error) error {
	cfg := loadConfig()
	a, err := app.Open(ctx, cfg, cfg.DSN("rapport.db"))
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}
