package web

// The edge of the server: what every request meets before a handler, so that
// hostile URLs and bodies are refused in one place and the API always answers
// in its error envelope.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// apiEdge gives every answer under /api/ what integrations rely on: JSON
// is never cached (Cache-Control: no-store), a body that is not UTF-8 is
// refused (400), and what the router or the cross-origin check write
// themselves in plain text — unknown route (404), wrong method (405, with
// Allow), refused origin (403) — or as a redirect (a path to clean) comes
// in the API's error envelope instead.
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
