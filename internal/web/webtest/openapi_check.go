package webtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OpenAPIDocPath is the served document every API response is checked
// against: the OpenAPI 3.1 document integrators generate clients from
// (kin-openapi validates 3.1 schemas with JSON Schema 2020-12).
const OpenAPIDocPath = "/api/v1/openapi.json"

// notChecked are the API paths whose answers are not JSON documents of
// the OpenAPI document: the documents themselves and the event stream.
var notChecked = []string{"/api/v1/openapi", "/api/v1/events"}

// CheckOpenAPI wraps the application's handler so that every response to a
// request under /api/v1/ is validated against the OpenAPI document the
// application serves, by kin-openapi: status codes not documented for the
// operation, bodies that break their schema (a null where the document says
// an object, an enum value it does not list, a missing required field) fail
// the test. Requests to paths the document does not hold are not checked
// (the router's own 404s and 405s).
func CheckOpenAPI(t testing.TB, h http.Handler) http.Handler {
	c := &openAPIChecker{t: t, next: h}
	return c
}

type openAPIChecker struct {
	t    testing.TB
	next http.Handler

	once   sync.Once
	router routers.Router
	err    error
}

// load reads the served document once and builds its router.
func (c *openAPIChecker) load() {
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, OpenAPIDocPath, nil))
	if rec.Code != http.StatusOK {
		c.err = fmt.Errorf("GET %s: %d", OpenAPIDocPath, rec.Code)
		return
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	if err != nil {
		c.err = fmt.Errorf("read the OpenAPI document: %w", err)
		return
	}
	if err := doc.Validate(context.Background()); err != nil {
		c.err = fmt.Errorf("the OpenAPI document is not valid: %w", err)
		return
	}
	// The router matches request URLs against the document's servers:
	// make the server relative so any host matches.
	doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
	c.router, c.err = gorillamux.NewRouter(doc)
}

func (c *openAPIChecker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/") || hasAnyPrefix(r.URL.Path, notChecked) {
		c.next.ServeHTTP(w, r)
		return
	}
	c.once.Do(c.load)
	if c.err != nil {
		c.t.Errorf("OpenAPI check: %v", c.err)
		c.next.ServeHTTP(w, r)
		return
	}
	rec := &teeWriter{ResponseWriter: w, status: http.StatusOK}
	c.next.ServeHTTP(rec, r)
	if r.Context().Err() != nil {
		return // the client went away (a superseded search): nobody reads the answer
	}
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		return // not an operation of the document
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 rec.status,
		Header:                 rec.Header(),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(rec.body.Bytes())
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		c.t.Errorf("%s %s answered %d, which its OpenAPI document forbids: %v\nbody: %.600s",
			r.Method, r.URL.RequestURI(), rec.status, err, rec.body.String())
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// teeWriter passes the response through and keeps a copy of it.
type teeWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (w *teeWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// Flush lets streamed answers through.
func (w *teeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// ReadFrom keeps io.Copy on the copying path.
func (w *teeWriter) ReadFrom(r io.Reader) (int64, error) {
	return io.Copy(struct{ io.Writer }{w}, r)
}
