package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/web"
)

func newServeCmd() *cobra.Command {
	cfg := loadConfig()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the UI and the API",
		Long:  "Serve the web UI and the /api/v1 JSON API, applying pending migrations first.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger := cfg.logger()
			a, err := openApp(cmd.Context(), cfg.dsn("rapport.db"))
			if err != nil {
				return err
			}
			defer a.DB.Close()
			logger.Info("database ready", "dsn", describeDSN(cfg.dsn("rapport.db")), "engine", a.DB.Dialect())
			return serve(cmd.Context(), cfg, logger, a, nil)
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (RAPPORT_ADDR)")
	return cmd
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully.
// ready, when set, is called with the listening URL.
func serve(ctx context.Context, cfg config, logger *slog.Logger, a *app, ready func(url string)) error {
	handler := web.New(web.Deps{DB: a.DB, Clock: a.Clock, Logger: logger, Orgs: a.Orgs, Auth: a.Auth,
		Parties: a.Parties, Audit: a.Audit, History: a.History, SecureCookies: cfg.SecureCookies})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	url := "http://" + ln.Addr().String()
	logger.Info("listening", "url", url)
	if ready != nil {
		ready(url)
	}
	// The daily retention of the contact history, stopped before the
	// database closes.
	jobs, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		retainDaily(jobs, logger, a.History, time.Minute, time.Hour)
	}()
	defer func() { stopJobs(); <-jobsDone }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
