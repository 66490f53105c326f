package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// httpMetrics counts and times requests by route pattern.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rapport_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rapport_http_request_duration_seconds", Help: "HTTP request duration by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush lets server-sent events through the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// instrument logs each request (never its query string or headers, which may
// carry secrets) and records its metrics under the matched route pattern.
func (m *httpMetrics) instrument(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
		logger.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", elapsed)
	})
}

// recoverPanics turns a panic into a 500 and a log line with the stack.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeAPIError(w, http.StatusInternalServerError, httpx.ErrorDetail{Code: string(core.Internal), Message: "internal error"})
					return
				}
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// apiEdge gives every answer under /api/ what integrations rely on: JSON
// is never cached (Cache-Control: no-store), a body that is not UTF-8 is
// refused (400), and the answers the router or
// the cross-origin check write themselves in plain text — unknown route
// (404), wrong method (405, with Allow), refused origin (403) — or as a
// redirect (a path to clean) come in the API's error envelope instead.
func apiEdge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		// JSON must be UTF-8: bodies are checked as read (ingestion checks
		// each item or line itself, to refuse it alone).
		if r.Body != nil && r.Body != http.NoBody && r.URL.Path != "/api/v1/interactions" {
			r.Body = &httpx.UTF8Body{Body: r.Body}
		}
		next.ServeHTTP(&apiWriter{ResponseWriter: w}, r)
	})
}

// apiWriter turns plain-text errors and redirects into the error envelope.
type apiWriter struct {
	http.ResponseWriter
	replaced bool
}

func (w *apiWriter) WriteHeader(code int) {
	plain := strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain")
	switch {
	case code >= 300 && code < 400:
		w.Header().Del("Location")
		w.replace(http.StatusNotFound)
	case code >= 400 && plain:
		w.replace(code)
	default:
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *apiWriter) replace(status int) {
	w.replaced = true
	msg := map[int]string{
		http.StatusNotFound:         "no such route in the API: see /api/v1/openapi.json",
		http.StatusMethodNotAllowed: "this route does not take this method (see Allow)",
		http.StatusForbidden:        "cross-origin request refused",
	}[status]
	if msg == "" {
		msg = strings.ToLower(http.StatusText(status))
	}
	writeAPIError(w.ResponseWriter, status, httpx.ErrorDetail{Code: string(codeOf(status)), Message: msg})
}

func (w *apiWriter) Write(b []byte) (int, error) {
	if w.replaced {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed answers through.
func (w *apiWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (w *apiWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// codeOf is the error code of a status written in plain text.
func codeOf(status int) core.Code {
	for _, c := range []core.Code{core.BadRequest, core.Unauthorized, core.Forbidden, core.NotFound, core.Conflict,
		core.Gone, core.TooManyTries, core.Unavailable, core.Internal} {
		if httpx.Status(c) == status {
			return c
		}
	}
	if status >= 500 {
		return core.Internal
	}
	return core.BadRequest
}

// writeAPIError writes {"error": {code, message, fields}}.
func writeAPIError(w http.ResponseWriter, status int, d httpx.ErrorDetail) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error httpx.ErrorDetail `json:"error"`
	}{d})
}

// maxQueryValue bounds a query parameter's value at the edge; domain
// validation has the tighter limit of each field.
const maxQueryValue = 2000

// checkURL refuses, before any handler runs, a path or query parameter that
// no route could use and PostgreSQL could not even compare: not valid
// UTF-8 or holding a NUL byte once decoded, or a parameter of more than
// maxQueryValue characters. A bad path is a 404 (nothing has that name); a
// bad parameter a 422 naming it, in the API's envelope under /api/.
func checkURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api := strings.HasPrefix(r.URL.Path, "/api/")
		if _, bad := core.TextProblem(r.URL.Path, maxQueryValue); bad {
			if api {
				writeAPIError(w, http.StatusNotFound, httpx.ErrorDetail{Code: string(core.NotFound), Message: "not found"})
			} else {
				http.NotFound(w, r)
			}
			return
		}
		values, err := url.ParseQuery(r.URL.RawQuery)
		f := core.Fields{}
		if err != nil {
			f.Add("query", core.Because("query_string"))
		}
		for name, list := range values {
			if why, bad := core.TextProblem(name, core.MaxCode); bad {
				f.Add("query", why)
			}
			for _, v := range list {
				core.CheckText(f, name, v, maxQueryValue)
			}
		}
		if len(f) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		if !api {
			http.Error(w, core.Summary(f.Err()), http.StatusUnprocessableEntity)
			return
		}
		msg := "invalid query parameters"
		if len(f) == 1 {
			msg = core.Summary(f.Err())
		}
		d := httpx.ErrorDetail{Code: string(core.Invalid), Message: msg}
		d.FieldsDetail(f)
		writeAPIError(w, http.StatusUnprocessableEntity, d)
	})
}
