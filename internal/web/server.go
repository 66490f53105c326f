// Package web wires the HTTP server: health and metrics endpoints, the JSON
// API under /api/v1, the HTML UI, and the middleware around them.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
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
	History *history.Store // New sets its OnExcluded and OnPurged to count exclusions and purges in /metrics
	// SecureCookies marks session cookies Secure (set when served over HTTPS).
	SecureCookies bool
}

// New returns the application's HTTP handler with every route mounted.
func New(d Deps) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
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

	excluded := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_interactions_excluded_total",
		Help: "Interactions not stored because a restitution rule excluded them, by rule."}, []string{"rule"})
	reg.MustRegister(excluded)
	purged := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_retention_purged_total",
		Help: "What the retention of the contact history purged, by source and kind (interactions, bodies, attachments, inline_images)."},
		[]string{"source", "kind"})
	reg.MustRegister(purged)
	if d.History != nil {
		d.History.OnExcluded = func(e history.Exclusion) { excluded.WithLabelValues(string(e)).Inc() }
		d.History.OnPurged = func(source, kind string, n int) { purged.WithLabelValues(source, kind).Add(float64(n)) }
	}
	api.Mount(mux, api.Deps{Logger: d.Logger, Orgs: d.Orgs, Auth: d.Auth, Parties: d.Parties, Audit: d.Audit,
		History: d.History})
	ui.Mount(mux, ui.Deps{Logger: d.Logger, Clock: d.Clock, Orgs: d.Orgs, Auth: d.Auth, Parties: d.Parties,
		Audit: d.Audit, History: d.History, SecureCookies: d.SecureCookies})

	csrf := http.NewCrossOriginProtection()
	var h http.Handler = checkURL(mux)
	h = csrf.Handler(h)
	h = apiEdge(h)
	h = securityHeaders(h)
	h = m.instrument(d.Logger, h)
	h = recoverPanics(d.Logger, h)
	return h
}
