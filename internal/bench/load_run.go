package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"
)

// runLoad builds the database as Run does (cfg.Parties imported, a history
// of cfg.Interactions generated), serves the application on a loopback
// port and runs the load (runLoadClients), then writes the import and
// history figures, one figure per kind of request and for all, and the
// memory held under load: with cfg.Server, the server process's (its peak
// since it started); otherwise the bench's own (its peak counted from the
// start of the load).
func runLoad(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Parties <= 0 {
		cfg.Parties = 100_000
	}
	if cfg.Interactions <= 0 {
		cfg.Interactions = 1_000_000
	}
	if cfg.Clients <= 0 {
		cfg.Clients = 20
	}
	if cfg.LoadDuration <= 0 {
		cfg.LoadDuration = 30 * time.Second
	}
	d, a, logger, tearDown, err := setUp(ctx, cfg)
	if err != nil {
		return err
	}
	defer tearDown(&err)
	enc := json.NewEncoder(out)
	g, admin, _, err := organise(ctx, a.Orgs, cfg.Seed)
	if err != nil {
		return err
	}
	logger.Info("bench: importing", "parties", cfg.Parties)
	imp, err := importParties(ctx, d.DB, a.Parties, admin, g, cfg.Parties, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(imp); err != nil {
		return err
	}
	logger.Info("bench: generating the history", "interactions", cfg.Interactions)
	gen, h, err := generateHistory(ctx, a.DB, admin, cfg.Interactions, cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(gen); err != nil {
		return err
	}
	var api *apiServer
	var server *serverProcess
	if cfg.Server != "" {
		server, err = startServer(ctx, a, cfg.Server, d.dsn, logger)
		if err == nil {
			api = server.api
		}
	} else {
		api, err = startAPI(ctx, a, logger)
	}
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, api.close()) }()
	targets, err := pickTargets(ctx, d.DB, g, cfg, h.heavy)
	if err != nil {
		return err
	}
	settle(ctx, d.DB, logger)
	resetPeakRSS()
	logger.Info("bench: load", "clients", cfg.Clients, "seconds", cfg.LoadDuration.Seconds())
	figures, err := runLoadClients(ctx, api, g, targets, cfg, logger)
	if err != nil {
		return err
	}
	for _, f := range figures {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	if server != nil {
		m, err := server.memory(ctx, "memory_load")
		if err != nil {
			return err
		}
		return enc.Encode(m)
	}
	return enc.Encode(memoryNow("memory_load"))
}
