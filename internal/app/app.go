// Package app builds the whole application once from its configuration:
// the database, the stores and the hooks between them, the metrics, the
// HTTP handler and the background work. serve, demo, the benchmark and the
// web test fixture all use it, so there is one wiring.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/secret"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/surveys"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/outbox"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/web"
)

// App is the wired application.
type App struct {
	Config     Config
	DB         *db.DB
	Clock      core.Clock
	Logger     *slog.Logger
	Audit      *audit.Log
	Orgs       *org.Store
	Auth       *auth.Service
	Parties    *party.Store
	History    *history.Store
	Catalogues *catalogue.Store     // labelled codes; report reasons per establishment
	Files      blob.Store           // attachments' contents
	Jobs       *jobs.Runner         // durable background jobs; RunBackground runs them
	Outbox     *outbox.Outbox       // email, SMS and webhooks, sent by jobs
	Metrics    *prometheus.Registry // what /metrics serves
	Handler    http.Handler         // the UI, the API, health and metrics
	Desk       *desk.Store          // the desk: requests, mailboxes, forms, replies
	Cases      *cases.Store         // contacts, cases, action plans, tasks
	Leads      *leads.Store         // leads, distribution, alerts, response times
	Dashboard  *dashboard.Store     // each agent's home page: widgets and recent customers
	Surveys    *surveys.Store       // satisfaction surveys: campaigns, invitations, answers, results
	Events     *events.Bus          // notifications of live pages, across instances (events.go)
	live       live

	// SMSGateways are the establishments' SMS gateways, the outbox's SMS deliverer.
	SMSGateways *smsgw.Store
}

// Open opens the database at dsn (migrations applied, what an import
// stopped by a crash left deferred restored) and builds the application on
// it; Close closes the database.
func Open(ctx context.Context, cfg Config, dsn string) (*App, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	cfg.FilesDir = cfg.FilesDirFor(dsn)
	a, err := New(d, cfg)
	if err != nil {
		d.Close()
		return nil, err
	}
	if err := a.Parties.MergeStagedNames(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// New builds the application on an open, migrated database; its files are
// kept in cfg.FilesDir (DataDir/files when empty).
func New(d *db.DB, cfg Config) (*App, error) {
	clock := cfg.Clock
	if clock == nil {
		clock = core.SystemClock{}
	}
	if cfg.FilesDir == "" {
		cfg.FilesDir = filepath.Join(cfg.DataDir, "files")
	}
	files, err := blob.NewDisk(cfg.FilesDir, clock)
	if err != nil {
		return nil, fmt.Errorf("open the file store: %w", err)
	}
	if cfg.DurableTraces {
		d.DurableTraces()
	}
	a := &App{Config: cfg, DB: d, Clock: clock, Logger: cfg.NewLogger(), Files: files}
	a.Audit = audit.New(d, clock)
	a.Orgs = org.NewStore(d, clock, a.Audit)
	a.Auth = auth.NewService(d, clock, a.Orgs, a.Audit)
	a.Parties = party.NewStore(d, clock, a.Audit)
	a.History = history.NewStore(d, clock, a.Audit, a.Parties, history.DefaultRules(), files)
	a.Catalogues = catalogue.NewStore(d, clock, a.Audit)
	a.History.ShareCatalogues(a.Catalogues.Books())
	a.Metrics = newMetrics(a.History)
	key, err := secret.Load(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	a.SMSGateways = smsgw.NewStore(smsgw.Deps{DB: d, Clock: clock, Audit: a.Audit, Orgs: a.Orgs, Key: key})
	if err := a.wireJobs(); err != nil {
		return nil, err
	}
	a.startEvents()
	a.Desk = desk.NewStore(desk.Deps{DB: d, Clock: clock, Audit: a.Audit, Orgs: a.Orgs, Parties: a.Parties, Files: files,
		Jobs: a.Jobs, Events: a.Events, Key: key, Books: a.Catalogues.Books(), Logger: a.Logger})
	a.Desk.SetHistory(a.History)
	a.Cases = cases.NewStore(cases.Deps{DB: d, Clock: clock, Audit: a.Audit, Orgs: a.Orgs, Parties: a.Parties,
		History: a.History, Desk: a.Desk, Files: files, Books: a.Catalogues.Books(), Events: a.Events, Logger: a.Logger})
	a.Leads = leads.NewStore(leads.Deps{DB: d, Clock: clock, Audit: a.Audit, Orgs: a.Orgs, Parties: a.Parties,
		Outbox: a.Outbox, Events: a.Events, Logger: a.Logger})
	a.wireLeadActivities()
	a.Leads.SubscribeAlerts(leads.AlertDeps{BaseURL: cfg.LinkBase(), From: cfg.Sender(), Books: a.Catalogues.Books(),
		Gateways: a.SMSGateways})
	a.Surveys = surveys.NewStore(surveys.Deps{DB: d, Clock: clock, Audit: a.Audit, Orgs: a.Orgs, Parties: a.Parties,
		Outbox: a.Outbox, Key: key, History: a.History, BaseURL: cfg.LinkBase(), From: cfg.Sender(), Logger: a.Logger})
	a.wireSurveys()
	a.Dashboard = dashboard.NewStore(dashboard.Deps{DB: d, Clock: clock, Orgs: a.Orgs, Leads: a.Leads, Desk: a.Desk,
		Cases: a.Cases, History: a.History, Surveys: a.Surveys, Logger: a.Logger})
	a.Handler = web.New(web.Deps{DB: d, Clock: clock, Logger: a.Logger, Orgs: a.Orgs, Auth: a.Auth,
		Parties: a.Parties, Audit: a.Audit, History: a.History, Catalogues: a.Catalogues, Jobs: a.Jobs, Metrics: a.Metrics, SecureCookies: cfg.SecureCookies,
		Events: a.Events, LiveEnd: a.live.end, Desk: a.Desk, Cases: a.Cases, Leads: a.Leads, Dashboard: a.Dashboard,
		SMSGateways: a.SMSGateways, Surveys: a.Surveys})
	return a, nil
}

// Close stops the events bus and closes the database.
func (a *App) Close() error {
	return errors.Join(a.closeEvents(), a.DB.Close())
}
