package web_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// busyConnections is how many database connections are in use.
func busyConnections(d *db.DB) int {
	n := d.Reader().Stats().InUse
	if d.Writer() != d.Reader() {
		n += d.Writer().Stats().InUse
	}
	return n
}

func TestSupersededSearchRequestsWriteNoResultAndFreeTheirConnections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("adv1")
		u, _ := http.NewRequest(http.MethodGet, app.Server.URL, nil)
		cookie := ""
		for _, c := range b.client.Jar.Cookies(u.URL) {
			if c.Name == httpx.SessionCookie {
				cookie = c.Value
			}
		}
		// Requests whose client is gone before the server reads them: the
		// handler stops at the first query and writes no result, many more
		// times than the pool has connections.
		for i := range 40 {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=dupr", nil).WithContext(ctx)
			req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
			if i%2 == 1 {
				req = httptest.NewRequest(http.MethodGet, "/search/suggest?q=dupr", nil).WithContext(ctx)
				req.Header.Set("HX-Request", "true")
				req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: cookie})
			}
			rec := httptest.NewRecorder()
			app.App.App.Handler.ServeHTTP(rec, req)
			if rec.Code != httpx.StatusClientClosed || strings.Contains(rec.Body.String(), "Dupré") {
				t.Fatalf("%s with its client gone: %d %.200q, want %d and no result", req.URL, rec.Code, rec.Body.String(), httpx.StatusClientClosed)
			}
		}
		// Requests cancelled at any moment through the real server, as the
		// browser aborts a search the next keystroke supersedes.
		r := rand.New(rand.NewPCG(14, 2))
		for range 60 {
			ctx, cancel := context.WithCancel(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, app.Server.URL+"/api/v1/search?q=dupr", nil)
			req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
			after := time.Duration(r.IntN(2000)) * time.Microsecond
			go func() {
				time.Sleep(after)
				cancel()
			}()
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			cancel()
		}
		// The server may still be unwinding the last ones: wait until every
		// connection is back, then the pool serves a search as usual.
		for wait := 0; busyConnections(d) > 0; wait++ {
			if wait == 500 {
				t.Fatalf("%d database connections still busy after the cancelled searches", busyConnections(d))
			}
			time.Sleep(10 * time.Millisecond)
		}
		status, body := app.call("adv1", http.MethodGet, "/api/v1/search?q=dupr", nil)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) != 1 {
			t.Fatalf("search after the cancelled ones: %d %v", status, body)
		}
	})
}
