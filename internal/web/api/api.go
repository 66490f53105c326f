// Package api is the JSON integration API under /api/v1, described by the
// OpenAPI document at /api/v1/openapi.json. Handlers are thin: they decode,
// call a domain store with the caller's actor, and encode.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/surveys"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// Deps are the services the API calls.
type Deps struct {
	Logger  *slog.Logger
	Orgs    *org.Store
	Auth    *auth.Service
	Parties *party.Store
	Audit   *audit.Log
	History *history.Store
	// Catalogues labels codes in both languages and edits report reasons.
	Catalogues *catalogue.Store
	Jobs       *jobs.Runner
	Desk       *desk.Store    // the desk's requests, mailboxes, forms
	Cases      *cases.Store   // contacts, cases, plans, tasks
	Leads      *leads.Store   // leads, distribution rules, response times
	Surveys    *surveys.Store // satisfaction survey campaigns, surveys, results
	Clock      core.Clock     // what time it is for the desk's breached targets; the system's when nil
	// SMSGateways are the establishments' SMS gateways (lead alerts).
	SMSGateways *smsgw.Store
}

// Version is the API's version in the OpenAPI document.
const Version = "1.0.0"

type handlers struct{ Deps }

var errorModelOnce sync.Once

// Mount registers every API operation on mux under /api/v1.
func Mount(mux *http.ServeMux, d Deps) huma.API {
	errorModelOnce.Do(useErrorEnvelope)
	cfg := huma.DefaultConfig("Rapport API", Version)
	cfg.Info.Description = "Integration API of Rapport: organisation, agents, parties, contracts, search, contact history, the desk's requests, contacts, cases, action plans, tasks and the board. " +
		"Authenticate with `Authorization: Bearer <token>` (see `rapport token create`)."
	cfg.Servers = []*huma.Server{{URL: "/api/v1"}}
	cfg.OpenAPIPath = "" // served by serveDocuments, with the 3.0 form corrected
	cfg.DocsPath = ""    // no third-party documentation renderer loaded from the internet
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil // no $schema links in responses
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	a := humago.NewWithPrefix(mux, "/api/v1", cfg)
	if d.Clock == nil {
		d.Clock = core.SystemClock{}
	}
	h := &handlers{Deps: d}
	a.UseMiddleware(h.authenticate(a))
	h.registerUnits(a)
	h.registerAgents(a)
	h.registerParties(a)
	h.registerContracts(a)
	h.registerSearch(a)
	h.registerInteractions(a)
	h.registerTimeline(a)
	h.registerHistoryAdmin(a)
	h.registerInteractionDetail(a)
	h.registerReports(a)
	h.registerTokens(a)
	h.registerCatalogues(a)
	h.registerJobsAdmin(a)
	h.registerDeskRequests(a)
	h.registerDeskActions(a)
	h.registerDeskAdmin(a)
	h.registerDeskAdminForms(a)
	h.registerContacts(a)
	h.registerCases(a)
	h.registerTasks(a)
	h.registerActivity(a)
	h.registerAdminCases(a)
	h.registerBoard(a)
	h.registerLeadActivities(a)
	h.registerLeadResponseStats(a)
	h.registerLeads(a)
	h.registerLeadsAdmin(a)
	h.registerLeadAlerts(a)
	h.registerSurveys(a)
	h.registerSurveysAdmin(a)
	h.registerSurveyStats(a)
	// Last: what huma leaves out of the document, for every operation.
	documentErrors(a)
	declareNullables(a)
	serveDocuments(mux, "/api/v1", a.OpenAPI())
	return a
}

// authenticate resolves the bearer token (or a UI session cookie) into the
// actor every handler needs; without one the request is a 401.
func (h *handlers) authenticate(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, _ := humago.Unwrap(ctx)
		var actor *core.Actor
		var err error
		if tok := httpx.BearerToken(r); tok != "" {
			actor, err = h.Auth.TokenActor(ctx.Context(), tok)
		} else if c, cerr := r.Cookie(httpx.SessionCookie); cerr == nil {
			actor, err = h.Auth.SessionActor(ctx.Context(), c.Value)
		} else {
			err = core.Errorf(core.Unauthorized, "a bearer token is required")
		}
		if err != nil && httpx.ClientGone(ctx.Context(), err) {
			ctx.SetStatus(httpx.StatusClientClosed) // the client went away: nothing to log or answer
			return
		}
		if err != nil {
			// Only a credential that is wrong is a 401: an outage is a 503
			// with Retry-After, so integrations retry instead of dropping it.
			if code := httpx.Code(err); code != core.Unauthorized {
				h.Logger.Error("authenticate", "err", err)
				if code == core.Unavailable {
					ctx.SetHeader("Retry-After", httpx.RetryAfter)
				}
				huma.WriteErr(a, ctx, httpx.Status(code), httpx.Message(err))
				return
			}
			huma.WriteErr(a, ctx, http.StatusUnauthorized, "invalid or missing credentials")
			return
		}
		next(huma.WithContext(ctx, core.WithActor(ctx.Context(), actor)))
	}
}

// apiError is the error envelope {"error": {code, message, fields, reasons}}.
type apiError struct {
	status int
	Detail httpx.ErrorDetail `json:"error"`
}

func (e *apiError) Error() string  { return e.Detail.Message }
func (e *apiError) GetStatus() int { return e.status }

// useErrorEnvelope makes huma's own errors (validation, malformed JSON)
// use the same envelope as domain errors.
func useErrorEnvelope() {
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		for _, err := range errs {
			if errors.Is(err, httpx.ErrNotUTF8) {
				return &apiError{status: http.StatusBadRequest, Detail: httpx.ErrorDetail{Code: string(core.BadRequest),
					Message: httpx.ErrNotUTF8.Error()}}
			}
		}
		e := &apiError{status: status, Detail: httpx.ErrorDetail{Code: codeForStatus(status), Message: msg}}
		for _, err := range errs {
			var d huma.ErrorDetailer
			if errors.As(err, &d) {
				detail := d.ErrorDetail()
				field := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(detail.Location, "body."), "query."), "path.")
				if field == "" || field == "body" {
					e.Detail.Message = msg + ": " + detail.Message
					continue
				}
				if e.Detail.Fields == nil {
					e.Detail.Fields, e.Detail.Reasons = map[string]string{}, map[string]core.Reason{}
				}
				if _, ok := e.Detail.Fields[field]; !ok {
					e.Detail.Fields[field] = detail.Message
					e.Detail.Reasons[field] = core.Because("schema", "detail", detail.Message)
				}
			}
		}
		if status == http.StatusUnprocessableEntity && len(e.Detail.Fields) == 1 {
			for k, v := range e.Detail.Fields {
				e.Detail.Message = k + ": " + v
			}
		}
		return e
	}
}

func codeForStatus(status int) string {
	for _, c := range []core.Code{core.Invalid, core.BadRequest, core.Unauthorized, core.Forbidden,
		core.NotFound, core.Conflict, core.Gone, core.TooManyTries, core.Unavailable} {
		if httpx.Status(c) == status {
			return string(c)
		}
	}
	if status == http.StatusMethodNotAllowed || status == http.StatusUnsupportedMediaType || status < 500 {
		return string(core.BadRequest)
	}
	return string(core.Internal)
}

// fail converts a domain error into the API error envelope.
func (h *handlers) fail(ctx context.Context, err error) error {
	if httpx.ClientGone(ctx, err) { // nobody is waiting for the answer: not a failure to log
		return &apiError{status: httpx.StatusClientClosed, Detail: httpx.ErrorDetail{Code: "client_closed",
			Message: "the client closed the request"}}
	}
	code := httpx.Code(err)
	status := httpx.Status(code)
	if status >= 500 {
		h.Logger.ErrorContext(ctx, "api request failed", "err", err)
	}
	e := &apiError{status: status, Detail: httpx.ErrorDetail{Code: string(code), Message: httpx.Message(err)}}
	var ce *core.Error
	if errors.As(err, &ce) && len(ce.Fields) > 0 {
		e.Detail.FieldsDetail(ce.Fields)
	}
	if code == core.Unavailable {
		return huma.ErrorWithHeaders(e, http.Header{"Retry-After": {httpx.RetryAfter}})
	}
	return e
}

func actorOf(ctx context.Context) *core.Actor { return core.ActorFrom(ctx) }

// reflectType returns the reflect.Type of T, for schemas registered by hand.
func reflectType[T any]() reflect.Type { return reflect.TypeFor[T]() }
