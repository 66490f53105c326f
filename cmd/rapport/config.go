package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// config is what every subcommand reads from the environment.
type config struct {
	Addr          string
	DatabaseURL   string
	DataDir       string
	LogLevel      string
	SecureCookies bool
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func loadConfig() config {
	return config{
		Addr:          env("RAPPORT_ADDR", "127.0.0.1:8080"),
		DatabaseURL:   os.Getenv("RAPPORT_DATABASE_URL"),
		DataDir:       env("RAPPORT_DATA_DIR", "data"),
		LogLevel:      env("RAPPORT_LOG_LEVEL", "info"),
		SecureCookies: env("RAPPORT_SECURE_COOKIES", "false") == "true",
	}
}

// dsn returns the database to open: RAPPORT_DATABASE_URL, else a SQLite
// file named file in the data directory.
func (c config) dsn(file string) string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDir, file)
}

func (c config) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.LogLevel))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// app is the wired set of services a subcommand uses.
type app struct {
	DB      *db.DB
	Clock   core.Clock
	Audit   *audit.Log
	Orgs    *org.Store
	Auth    *auth.Service
	Parties *party.Store
	History *history.Store
}

// openApp opens the database (applying migrations) and builds the services.
func openApp(ctx context.Context, dsn string) (*app, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	clock := core.SystemClock{}
	log := audit.New(d, clock)
	orgs := org.NewStore(d, clock, log)
	parties := party.NewStore(d, clock, log)
	files, err := blob.NewDisk(filesDir(dsn), clock)
	if err != nil {
		d.Close()
		return nil, err
	}
	return &app{DB: d, Clock: clock, Audit: log, Orgs: orgs,
		Auth:    auth.NewService(d, clock, orgs, log),
		Parties: parties,
		History: history.NewStore(d, clock, log, parties, history.DefaultRules(), files)}, nil
}

// filesDir is where the files of the database dsn are kept: beside a
// SQLite database (data/rapport.db: data/rapport-files), so the demo's and
// the real one's never mix; RAPPORT_DATA_DIR/files for PostgreSQL.
func filesDir(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return filepath.Join(loadConfig().DataDir, "files")
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	return strings.TrimSuffix(path, filepath.Ext(path)) + "-files"
}

// withApp opens the configured database (RAPPORT_DATABASE_URL, else
// rapport.db in the data directory), runs fn with the services and closes it.
func withApp(ctx context.Context, fn func(a *app) error) error {
	a, err := openApp(ctx, loadConfig().dsn("rapport.db"))
	if err != nil {
		return err
	}
	defer a.DB.Close()
	return fn(a)
}

// describeDSN names the database without its credentials, for logs.
func describeDSN(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		if i := strings.Index(dsn, "@"); i >= 0 {
			return "postgres://…" + dsn[i:]
		}
	}
	return dsn
}
