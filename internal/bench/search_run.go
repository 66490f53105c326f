package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// runSearch measures the quick search alone (cfg.Search parties): it
// bulk-loads the generated parties (generateParties) into a fresh database,
// or reopens the one cfg.Reuse names (a database an earlier run kept), then
// times cfg.Queries quick searches as the administrator and as an agency's
// advisor, and the quick search under twenty concurrent HTTP clients, each
// beside the bare lookups.
func runSearch(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Queries <= 0 {
		cfg.Queries = 2000
	}
	var d *db.DB
	var a *app.App
	var logger *slog.Logger
	var tearDown func(*error)
	if cfg.Reuse != "" {
		d, a, logger, tearDown, err = reopen(ctx, cfg)
	} else {
		var fresh *freshDB
		fresh, a, logger, tearDown, err = setUp(ctx, cfg)
		if fresh != nil {
			d = fresh.DB
		}
	}
	if err != nil {
		return err
	}
	defer tearDown(&err)
	enc := json.NewEncoder(out)
	var g *generator
	var admin, advisor *core.Actor
	if cfg.Reuse != "" {
		g, admin, advisor, err = organised(ctx, a, cfg.Seed)
	} else {
		logger.Info("bench: creating the organisation", "engine", d.Dialect(), "agencies", agencyCount)
		g, admin, advisor, err = organise(ctx, a.Orgs, cfg.Seed)
	}
	if err != nil {
		return err
	}
	if cfg.Reuse == "" {
		logger.Info("bench: generating parties", "parties", cfg.Search)
		f, err := generateParties(ctx, d, g, cfg.Search, logger)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	var parties int
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM parties").Scan(&parties); err != nil {
		return fmt.Errorf("count parties: %w", err)
	}
	qs := queries(d.Dialect(), g, parties, cfg.Queries, cfg.Seed)
	if _, err := timeSearches(ctx, d, a.Parties, admin, "warm_up", qs[:min(len(qs), 200)]); err != nil {
		return err
	}
	for _, run := range []struct {
		figure string
		actor  *core.Actor
	}{{"quick_search_all_scope", admin}, {"quick_search_agency_scope", advisor}} {
		logger.Info("bench: searching", "figure", run.figure, "queries", len(qs))
		f, err := timeSearches(ctx, d, a.Parties, run.actor, run.figure, qs)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	if err := concurrentSearchFigure(ctx, a, qs, logger, enc); err != nil {
		return err
	}
	return enc.Encode(memoryNow("memory"))
}

// concurrentSearchFigure serves the application on a loopback port and
// writes the figure of searchClients clients searching at once, five times
// as many requests as qs holds.
func concurrentSearchFigure(ctx context.Context, a *app.App, qs []query, logger *slog.Logger, enc *json.Encoder) (err error) {
	api, err := startAPI(ctx, a, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, api.close()) }()
	n := 5 * len(qs)
	logger.Info("bench: searching from concurrent clients", "clients", searchClients, "requests", n)
	f, err := timeConcurrentSearches(ctx, a.DB, api, "quick_search_concurrent", qs, searchClients, n)
	if err != nil {
		return err
	}
	return enc.Encode(f)
}

// reopen opens the database an earlier run kept (cfg.Reuse: a SQLite file,
// or a PostgreSQL schema on cfg.DSN) and the application on it; tearDown
// closes them and leaves the database in place.
func reopen(ctx context.Context, cfg Config) (d *db.DB, a *app.App, logger *slog.Logger, tearDown func(*error), err error) {
	logger = cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dsn := "sqlite:" + cfg.Reuse
	if cfg.DSN != "" {
		dsn = db.WithSearchPath(cfg.DSN, strings.TrimPrefix(cfg.Reuse, "schema "))
	}
	if d, err = db.Open(ctx, dsn); err != nil {
		return nil, nil, nil, nil, err
	}
	files, err := os.MkdirTemp("", "rapport-bench-files-")
	if err != nil {
		return nil, nil, nil, nil, errors.Join(err, d.Close())
	}
	tearDown = func(err *error) {
		os.RemoveAll(files)
		*err = errors.Join(*err, d.Close())
	}
	if a, err = app.New(d, app.Config{Logger: logger, DataDir: files}); err != nil {
		tearDown(&err)
		return nil, nil, nil, nil, err
	}
	return d, a, logger, tearDown, nil
}

// organised returns what organise returns, for a database it already
// organised: the generator of its parties and the actors of its
// administrator and first agency's advisor.
func organised(ctx context.Context, a *app.App, seed uint64) (*generator, *core.Actor, *core.Actor, error) {
	g := &generator{seed: seed}
	for i, c := range benchCities[:agencyCount] {
		code := fmt.Sprintf("A%02d", 1+i)
		g.agencies = append(g.agencies, agency{code: code, advisor: "adv" + code[1:], city: c.city, postcode: c.postcode})
	}
	var actors []*core.Actor
	for _, login := range []string{"admin", g.agencies[0].advisor} {
		agent, err := a.Orgs.AgentByLogin(ctx, login)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("the bench's %s: %w", login, err)
		}
		actor, err := a.Orgs.Actor(ctx, agent.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		actors = append(actors, actor)
	}
	return g, actors[0], actors[1], nil
}
