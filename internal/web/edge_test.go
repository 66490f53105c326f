package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestADatabaseOutageAnswers503WithRetryAfterNot401(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		d.Close()
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+"/api/v1/parties/"+app.P1.ID, nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			!inEnvelope(body) || !strings.Contains(string(body), `"unavailable"`) {
			t.Errorf("API: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		if status, page := adv.get("/parties/" + app.P1.ID); status != http.StatusServiceUnavailable {
			t.Errorf("UI page: %d %.200s", status, page)
		}
		resp, err = adv.client.PostForm(app.Server.URL+"/login", url.Values{"login": {"adv1"}, "password": {testPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("sign-in: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	})
}

func TestTheAPIAnswersUnknownRoutesAndMethodsInItsEnvelope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, c := range []struct {
			method, path string
			status       int
		}{
			{http.MethodGet, "/api/v1/nothing-here", http.StatusNotFound},
			{http.MethodDelete, "/api/v1/parties", http.StatusMethodNotAllowed},
			{http.MethodPut, "/api/v1/parties/" + app.P1.ID, http.StatusMethodNotAllowed},
			{http.MethodGet, "/api/v1//parties", http.StatusNotFound},    // would be a redirect to the clean path
			{http.MethodGet, "/api/v1/./parties", http.StatusNotFound},   // likewise
			{http.MethodGet, "/api/v1/parties/%00", http.StatusNotFound}, // no party has that id
		} {
			req, _ := http.NewRequest(c.method, app.Server.URL+c.path, nil)
			req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status || !inEnvelope(body) || resp.Header.Get("Location") != "" ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s %s: %d %q %s", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
	})
}

func TestJSONAnswersAreNeverCached(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+"/api/v1/parties/"+app.P1.ID, nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%d Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	})
}

func TestAnAgentsDetailsNeedAdminUnlessTheirOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		if status, body := app.call("adv1", http.MethodGet, "/api/v1/agents/admin", nil); status != http.StatusForbidden {
			t.Errorf("an advisor reads the admin's details: %d %v", status, body)
		}
		if status, _ := app.call("adv1", http.MethodGet, "/api/v1/agents/adv1", nil); status != http.StatusOK {
			t.Errorf("an advisor reads their own details: %d", status)
		}
		if status, _ := app.call("admin", http.MethodGet, "/api/v1/agents/adv1", nil); status != http.StatusOK {
			t.Errorf("the admin reads an advisor's details: %d", status)
		}
	})
}

func TestHostileQueryParametersAreRefusedNamingThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, q := range []string{"/api/v1/parties?postal_code=%00", "/api/v1/parties?name=caf%E9",
			"/api/v1/search?q=" + strings.Repeat("a", 3000), "/api/v1/parties?city=" + strings.Repeat("b", 300)} {
			status, body := app.call("adv1", http.MethodGet, q, nil)
			if status != http.StatusUnprocessableEntity || body["error"] == nil {
				t.Errorf("%.60s: %d %v", q, status, body)
			}
		}
		// Every query parameter of every read of the OpenAPI document.
		_, doc := app.call("admin", http.MethodGet, "/api/v1/openapi.json", nil)
		for path, ops := range doc["paths"].(map[string]any) {
			get, ok := ops.(map[string]any)["get"].(map[string]any)
			if !ok {
				continue
			}
			params, _ := get["parameters"].([]any)
			for _, p := range params {
				param := p.(map[string]any)
				if param["in"] != "query" {
					continue
				}
				for _, bad := range []string{"%00", "caf%E9", "-1", "99999999999999999999"} {
					if (bad == "-1" || strings.HasPrefix(bad, "9")) && param["name"] != "limit" {
						continue
					}
					u := "/api/v1" + strings.ReplaceAll(path, "{id}", app.P1.ID) + "?" + param["name"].(string) + "=" + bad
					if status, body := app.call("admin", http.MethodGet, u, nil); status != http.StatusUnprocessableEntity || body["error"] == nil {
						t.Errorf("%s: %d %v", u, status, body)
					}
				}
			}
		}
		adv := app.signIn("adv1")
		if status, _ := adv.get("/parties?postal_code=%00"); status != http.StatusUnprocessableEntity {
			t.Errorf("UI search with a NUL: %d", status)
		}
	})
}

func TestAnNDJSONLineOverTheLimitIsAnsweredAloneAndTheStreamGoesOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		item := func(id string) string {
			return fmt.Sprintf(`{"source":"sms","external_id":%q,"channel":"sms","direction":"outbound","occurred_at":"2026-11-20T10:00:00Z","to":["+33612345678"]}`, id)
		}
		huge := `{"source":"sms","external_id":"huge","channel":"sms","direction":"outbound","occurred_at":"2026-11-20T10:00:00Z","body":"` +
			strings.Repeat("x", 33<<20) + `"}`
		stream := strings.Join([]string{item("a"), item("b"), huge, item("c")}, "\n")
		req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/api/v1/interactions", strings.NewReader(stream))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out := string(raw)
		if resp.StatusCode != http.StatusOK || strings.Count(out, `"status":"stored"`) != 3 ||
			!strings.Contains(out, `"reason":"line 3: longer than 32 MiB"`) {
			t.Errorf("%d %.500s", resp.StatusCode, out)
		}
	})
}

func TestAnAdministratorCreatesAnExpiringTokenThroughTheAPIAndThePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, tok := app.call("admin", http.MethodPost, "/api/v1/tokens", map[string]any{"name": "crm", "agent_login": "viewer",
			"expires_in": "90d"})
		if status != http.StatusCreated || !strings.HasPrefix(tok["token"].(string), "rpt_") ||
			tok["detail"].(map[string]any)["expires_at"] != "2027-02-21T09:00:00Z" {
			t.Fatalf("create: %d %v", status, tok)
		}
		if status, _ := app.call("viewer", http.MethodPost, "/api/v1/tokens", map[string]any{"name": "x", "agent_login": "viewer"}); status != http.StatusForbidden {
			t.Errorf("a viewer creates a token: %d", status)
		}
		if status, body := app.call("admin", http.MethodPost, "/api/v1/tokens", map[string]any{"name": "old", "agent_login": "viewer",
			"expires_at": "2020-01-01T00:00:00Z"}); status != http.StatusUnprocessableEntity || body["error"] == nil {
			t.Errorf("an expiry in the past: %d %v", status, body)
		}
		admin := app.signIn("admin")
		status, page, _ := admin.post("/admin/tokens", url.Values{"name": {"telephony"}, "agent": {"adv1"}, "expires": {"2027-03-01"}})
		if status != http.StatusCreated || !strings.Contains(page, "01/03/2027") {
			t.Errorf("the tokens page: %d, expiry shown %v", status, strings.Contains(page, "01/03/2027"))
		}
		if status, _, _ := admin.post("/admin/tokens", url.Values{"name": {"x"}, "agent": {"adv1"}, "expires": {"soon"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("an unreadable expiry on the page: %d", status)
		}
	})
}

func TestSignInNeverSendsTheBrowserToAnotherSite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for next, want := range map[string]string{"/\t/evil.example/": "/", "//evil.example": "/", "/parties?q=x": "/parties?q=x"} {
			b := &browser{t: t, app: app, client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}}}
			if _, _, loc := b.post("/login", url.Values{"login": {"adv1"}, "password": {testPassword}, "next": {next}}); loc != want {
				t.Errorf("next %q: sent to %q, want %q", next, loc, want)
			}
		}
	})
}

func TestTheEventStreamAnswersAnOutageWith503(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		d.Close()
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+"/api/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !inEnvelope(body) {
			t.Errorf("%d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	})
}
