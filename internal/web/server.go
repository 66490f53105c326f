// Package web wires the HTTP server: health and metrics endpoints, the JSON
// API under /api/v1, the HTML UI, and the middleware around them.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/surveys"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/web/api"
	"github.com/rapport-crm/rapport/internal/web/ui"
)

// Deps are the services the web layer serves.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Logger  *slog.Logger
	Orgs    *org.Store
	Auth    *auth.Service
	Parties *party.Store
	Audit   *audit.Log
	History *history.Store
	// Catalogues labels codes and edits report reasons (app.New builds it,
	// sharing its cache with the history).
	Catalogues *catalogue.Store
	Jobs       *jobs.Runner
	// Metrics is the registry /metrics serves; the application registers
	// the domain's counters in it (New adds the HTTP ones). Nil: a new one.
	Metrics *prometheus.Registry
	// SecureCookies marks session cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// Events feeds the live streams (live.go); LiveEnd ends them all when
	// closed, so that the server's shutdown does not wait for them.
	// LiveHeartbeat is how often an idle stream sends a heartbeat and
	// checks its credentials again; 20 s when zero.
	Events        *events.Bus
	LiveEnd       <-chan struct{}
	LiveHeartbeat time.Duration
	// Desk serves the desk's pages and API.
	Desk *desk.Store
	// Cases serves contacts, cases, plans, tasks and the board.
	Cases *cases.Store
	Leads *leads.Store
	// Dashboard serves the home page's widgets.
	Dashboard *dashboard.Store
	// SMSGateways are the establishments' SMS gateways (lead alerts).
	SMSGateways *smsgw.Store
	// Surveys serves the satisfaction surveys: campaigns, the answer page, results.
	Surveys *surveys.Store
}

// New returns the application's HTTP handler with every route mounted.
func New(d Deps) http.Handler {
	reg := d.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := newHTTPMetrics(reg)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.Ping(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	catalogues := d.Catalogues
	api.Mount(mux, api.Deps{Logger: d.Logger, Orgs: d.Orgs, Auth: d.Auth, Parties: d.Parties, Audit: d.Audit,
		History: d.History, Catalogues: catalogues, Jobs: d.Jobs, Desk: d.Desk, Cases: d.Cases, Leads: d.Leads, Clock: d.Clock,
		SMSGateways: d.SMSGateways, Surveys: d.Surveys})
	mountLive(mux, d)
	ui.Mount(mux, ui.Deps{Logger: d.Logger, Clock: d.Clock, Orgs: d.Orgs, Auth: d.Auth, Parties: d.Parties,
		Audit: d.Audit, History: d.History, Catalogues: catalogues, Jobs: d.Jobs, SecureCookies: d.SecureCookies,
		Desk: d.Desk, Cases: d.Cases, Leads: d.Leads, Dashboard: d.Dashboard, Events: d.Events, Metrics: reg,
		SMSGateways: d.SMSGateways, Surveys: d.Surveys})

	csrf := http.NewCrossOriginProtection()
	// The public web forms take posts from any site (their embeddable
	// snippet): no session, defended by a honeypot and rate limits instead.
	csrf.AddInsecureBypassPattern("POST /forms/{code}")
	csrf.AddInsecureBypassPattern("POST /lead-forms/{code}")
	var h http.Handler = checkURL(mux)
	h = csrf.Handler(h)
	h = apiEdge(h)
	h = securityHeaders(h)
	h = m.instrument(d.Logger, h)
	h = recoverPanics(d.Logger, h)
	return h
}
