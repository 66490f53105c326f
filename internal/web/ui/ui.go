// Package ui serves the HTML pages: server-rendered html/template pages,
// enhanced with a vendored htmx for live search and partial updates. Pages
// work without JavaScript for reading.
package ui

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/surveys"
)

//go:embed templates static locales
var assets embed.FS

// Deps are the services the pages use.
type Deps struct {
	Logger        *slog.Logger
	Clock         core.Clock
	Orgs          *org.Store
	Auth          *auth.Service
	Parties       *party.Store
	Audit         *audit.Log
	History       *history.Store
	Catalogues    *catalogue.Store // labels codes in both languages; report reasons edited per establishment
	Jobs          *jobs.Runner
	SecureCookies bool
	Desk          *desk.Store      // the desk's requests, mailboxes, forms
	Cases         *cases.Store     // contacts, cases, plans, tasks
	Leads         *leads.Store     // leads, their rules, the response-time report
	Surveys       *surveys.Store   // satisfaction surveys: campaigns, the answer page, results
	Dashboard     *dashboard.Store // the home page's widgets, recent customers
	Events        *events.Bus      // live pages (presence on a request)
	// Metrics counts the public web form's refused posts (nil: not counted).
	Metrics prometheus.Registerer
	// SMSGateways are the establishments' SMS gateways (lead alerts).
	SMSGateways *smsgw.Store
}

// server holds the parsed templates and translations.
type server struct {
	Deps
	pages map[string]*pageTemplate
	i18n  *translator
	zones zoneCache
}

// Mount registers every page on mux.
func Mount(mux *http.ServeMux, d Deps) {
	s := &server{Deps: d, i18n: newTranslator()}
	s.pages = parsePages()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.routes(mux)
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
