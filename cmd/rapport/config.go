package main

import (
	"context"
	"os"
	"runtime/debug"

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

// serveMemoryLimit is the Go runtime's soft memory limit for serve when
// GOMEMLIMIT does not set one: the collector works harder as the heap nears
// it rather than letting it double, which kept a server under twenty
// clients below 200 MB resident with SQLite's caches (see "Memory" in
// docs/performance.md). It is soft: a heap that needs more gets it.
const serveMemoryLimit = 64 << 20

// limitMemory applies serveMemoryLimit unless getenv sets GOMEMLIMIT.
func limitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
