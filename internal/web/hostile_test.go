package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// writeRoute is one write operation of the API with a valid body whose
// every text and number the hostile-input test poisons in turn.
type writeRoute struct {
	method, pattern string // as in the OpenAPI document
	path            string // with its parameters
	as              string // the agent calling
	body            map[string]any
}

// poison is a hostile value for a text or number of a body.
type poison struct {
	name  string
	text  func(field string) any // for a text
	utf8  bool                   // the value is the invalid-UTF-8 marker, spliced in raw
	plain bool                   // applies to numbers, not texts
	num   any
}

const badUTF8Marker = "@@NOT-UTF8@@"

var poisons = []poison{
	{name: "NUL", text: func(string) any { return "a\x00b" }},
	{name: "invalid UTF-8", text: func(string) any { return badUTF8Marker }, utf8: true},
	{name: "huge", text: func(field string) any {
		if field == "body" { // an interaction's body may be long
			return strings.Repeat("x", core.MaxBody+1)
		}
		return strings.Repeat("é", 20_000)
	}},
	{name: "past int64", plain: true, num: json.Number("1e300")},
	{name: "past int4", plain: true, num: json.Number("3000000000")},
	{name: "negative", plain: true, num: -1},
}

// writeRoutes lists every POST, PUT and PATCH of the API with a valid body.
func writeRoutes(app *testApp, reportID, tokenID string) []writeRoute {
	party := map[string]any{"kind": "person", "status": "client", "client_number": "9000000001", "first_name": "Ana",
		"last_name": "Lopes", "birth_date": "1990-01-02", "segment": "retail", "agency_code": "A1", "advisor_login": "adv1",
		"emails":    []any{map[string]any{"address": "ana@example.fr", "kind": "personal"}},
		"phones":    []any{map[string]any{"number": "0612345600", "kind": "mobile"}},
		"addresses": []any{map[string]any{"line1": "1 rue de la Paix", "line2": "bât. B", "postal_code": "75002", "city": "Paris", "country": "FR"}}}
	patch := map[string]any{}
	for k, v := range party {
		if k != "kind" {
			patch[k] = v
		}
	}
	patch["client_number"], patch["version"] = "1000000001", 1
	return []writeRoute{
		{method: "POST", pattern: "/units", path: "/units", as: "admin", body: map[string]any{"code": "A9", "name": "Agence 9",
			"kind": "agency", "parent_code": "R1", "time_zone": "Europe/Paris",
			"hours": []any{[]any{}, []any{map[string]any{"start": "09:00", "end": "17:00"}}, []any{}, []any{}, []any{}, []any{}, []any{}}}},
		{method: "POST", pattern: "/agents", path: "/agents", as: "admin", body: map[string]any{"login": "new.agent", "name": "Nouvel Agent",
			"initials": "NA", "email": "new@example.fr", "unit_code": "A1", "roles": []any{"advisor"},
			"scope_unit_codes": []any{"A1"}, "password": "correct-horse-9", "locale": "fr"}},
		{method: "PATCH", pattern: "/agents/{login}", path: "/agents/viewer", as: "admin", body: map[string]any{"name": "Vera L.",
			"initials": "VL", "email": "vera@example.fr", "unit_code": "A1", "roles": []any{"viewer"},
			"scope_unit_codes": []any{"A1"}, "password": "correct-horse-8", "locale": "en"}},
		{method: "POST", pattern: "/parties", path: "/parties", as: "adv1", body: party},
		{method: "PATCH", pattern: "/parties/{id}", path: "/parties/" + app.P1.ID, as: "adv1", body: patch},
		{method: "POST", pattern: "/parties/{id}/convert", path: "/parties/" + app.P1.ID + "/convert", as: "adv1",
			body: map[string]any{"client_number": "9000000002"}},
		{method: "POST", pattern: "/parties/{id}/relations", path: "/parties/" + app.P1.ID + "/relations", as: "admin",
			body: map[string]any{"kind": "household", "related_id": app.P2.ID}},
		{method: "POST", pattern: "/contracts", path: "/contracts", as: "adv1", body: map[string]any{"number": "C-900",
			"product": "savings", "status": "active", "opened_on": "2026-01-02", "agency_code": "A1", "holder_ids": []any{app.P1.ID}}},
		{method: "POST", pattern: "/reports", path: "/reports", as: "adv1", body: map[string]any{"party_id": app.P1.ID,
			"medium": "phone", "initiative": "inbound", "reason": "savings", "comment": "Rappel",
			"sales": []any{map[string]any{"product": "savings", "amount": 100}}}},
		{method: "PATCH", pattern: "/reports/{id}", path: "/reports/" + reportID, as: "adv1", body: map[string]any{"medium": "phone",
			"initiative": "outbound", "reason": "savings", "comment": "Corrigé", "version": 1}},
		{method: "POST", pattern: "/reports/{id}/attach", path: "/reports/" + reportID + "/attach", as: "adv1",
			body: map[string]any{"interaction_id": "01900000-0000-7000-8000-000000000000", "version": 1}},
		{method: "POST", pattern: "/admin/history-sources", path: "/admin/history-sources", as: "admin",
			body: map[string]any{"code": "crm_other", "name": "Autre CRM", "retention": "other"}},
		{method: "PUT", pattern: "/admin/history-settings/{establishment_code}", path: "/admin/history-settings/BR", as: "admin"},
		{method: "PUT", pattern: "/admin/report-reasons/{establishment_code}/{code}", path: "/admin/report-reasons/BR/savings",
			as: "admin", body: map[string]any{"label_fr": "Épargne", "label_en": "Savings", "active": true}},
		{method: "POST", pattern: "/admin/jobs/{id}/retry", path: "/admin/jobs/01900000-0000-7000-8000-000000000000/retry",
			as: "admin", body: map[string]any{}},
		{method: "POST", pattern: "/tokens", path: "/tokens", as: "admin", body: map[string]any{"name": "crm",
			"agent_login": "viewer", "expires_in": "90d"}},
		{method: "POST", pattern: "/tokens/{id}/revoke", path: "/tokens/" + tokenID + "/revoke", as: "admin", body: map[string]any{}},
		{method: "POST", pattern: "/admin/forms", path: "/admin/forms", as: "admin", body: map[string]any{"code": "contact-x",
			"unit_code": "A1", "name": "Nous contacter", "confirmation": "Merci.", "fields": []any{"phone", "attachments"}}},
		{method: "POST", pattern: "/admin/templates", path: "/admin/templates", as: "admin", body: map[string]any{
			"establishment_code": "BR", "name": "Accusé", "body": "<p>Bonjour {{customer_name}}</p>", "position": 1}},
		{method: "PUT", pattern: "/admin/templates/{id}", path: "/admin/templates/" + deskTemplateID(app), as: "admin",
			body: map[string]any{"establishment_code": "BR", "name": "Relance", "body": "<p>{{reference}}</p>", "position": 2}},
		{method: "POST", pattern: "/interactions", path: "/interactions", as: "admin", body: map[string]any{"source": "agent_mailbox",
			"external_id": "x", "channel": "email", "direction": "inbound", "occurred_at": "2026-11-20T10:00:00+01:00",
			"agent": "adv1", "party_id": app.P1.ID, "client_number": "1000000001", "from": "helene.dupre@example.fr",
			"to": []any{"conseil@banque.fr"}, "cc": []any{"copie@banque.fr"}, "subject": "Bonjour", "body": "<p>Bonjour</p>",
			"attachments": []any{map[string]any{"name": "note.txt", "content_type": "text/plain", "content_base64": "Ym9uam91cg=="}}}},
	}
}

// leaves lists the paths to every text and number of v, as keys and indexes.
func leaves(v any, at []any, out *[][]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			leaves(e, append(slices.Clone(at), k), out)
		}
	case []any:
		for i, e := range x {
			leaves(e, append(slices.Clone(at), i), out)
		}
	case string, int, float64, json.Number:
		*out = append(*out, at)
	}
}

// poisoned returns a deep copy of body with the leaf at path replaced.
func poisoned(v any, path []any, with any) any {
	if len(path) == 0 {
		return with
	}
	switch x := v.(type) {
	case map[string]any:
		c := map[string]any{}
		for k, e := range x {
			c[k] = e
		}
		c[path[0].(string)] = poisoned(x[path[0].(string)], path[1:], with)
		return c
	case []any:
		c := slices.Clone(x)
		c[path[0].(int)] = poisoned(x[path[0].(int)], path[1:], with)
		return c
	}
	return v
}

func fieldName(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch p := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			fmt.Fprintf(&b, "[%d]", p)
		}
	}
	return b.String()
}

// encode marshals v, splicing raw invalid UTF-8 where the marker is.
func encode(v any) []byte {
	raw, _ := json.Marshal(v)
	return bytes.ReplaceAll(raw, []byte(badUTF8Marker), []byte("caf\xe9"))
}

// send posts raw JSON as the agent and returns the status and the body.
func (a *testApp) send(as, method, path, contentType string, raw []byte) (int, []byte) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.Server.URL+"/api/v1"+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func inEnvelope(body []byte) bool {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	return json.Unmarshal(body, &e) == nil && e.Error.Code != "" && e.Error.Message != ""
}

func TestHostileInputOnEveryWriteRouteIsRefusedInTheEnvelope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, rep := app.call("adv1", http.MethodPost, "/api/v1/reports", map[string]any{"party_id": app.P1.ID,
			"medium": "face_to_face", "initiative": "outbound", "reason": "savings", "comment": "", "written_at": "2026-11-20T10:00:00Z"})
		if status != http.StatusCreated {
			t.Fatalf("write a report: %d %v", status, rep)
		}
		status, tok := app.call("admin", http.MethodPost, "/api/v1/tokens", map[string]any{"name": "crm", "agent_login": "viewer"})
		if status != http.StatusCreated {
			t.Fatalf("create a token: %d %v", status, tok)
		}
		routes := writeRoutes(app, rep["id"].(string), tok["detail"].(map[string]any)["id"].(string))
		routes = append(routes, deskWriteRoutes(t, app)...)
		routes = append(routes, casesWriteRoutes(t, app)...)
		routes = append(routes, leadsReportWriteRoutes(t, app)...)
		routes = append(routes, alertsWriteRoutes(t, app)...)
		routes = append(routes, leadsWriteRoutes(t, app)...)
		routes = append(routes, surveysWriteRoutes(t, app)...)
		// Every write route of the OpenAPI document is in the table.
		_, doc := app.call("admin", http.MethodGet, "/api/v1/openapi.json", nil)
		for path, ops := range doc["paths"].(map[string]any) {
			for method := range ops.(map[string]any) {
				m := strings.ToUpper(method)
				if m != "POST" && m != "PUT" && m != "PATCH" {
					continue
				}
				if !slices.ContainsFunc(routes, func(r writeRoute) bool { return r.method == m && r.pattern == path }) {
					t.Errorf("%s %s is not in the hostile-input table", m, path)
				}
			}
		}
		for _, r := range routes {
			if r.body == nil { // the settings: their current form is the valid body
				status, r.body = app.call(r.as, http.MethodGet, "/api/v1"+r.path, nil)
				if status != http.StatusOK {
					t.Fatalf("read %s: %d", r.path, status)
				}
			}
			// A hostile path parameter names nothing.
			if i := strings.IndexByte(r.pattern, '{'); i >= 0 {
				rest := r.pattern[strings.IndexByte(r.pattern, '}')+1:]
				for _, bad := range []string{"%00", "caf%E9", strings.Repeat("z", 5000)} {
					status, body := app.send(r.as, r.method, r.pattern[:i]+bad+rest, "application/json", encode(r.body))
					if status < 400 || status >= 500 || !inEnvelope(body) {
						t.Errorf("%s %s with the parameter %.20s: %d %.300s", r.method, r.pattern, bad, status, body)
					}
				}
			}
			var paths [][]any
			leaves(r.body, nil, &paths)
			n := 0
			for _, at := range paths {
				field := fieldName(at)
				_, isText := valueAt(r.body, at).(string)
				for _, p := range poisons {
					if isText == p.plain || p.name == "past int4" && strings.Contains(field, "amount") {
						continue // an amount of 3 billion is a (large) amount
					}
					with := p.num
					if isText {
						with = p.text(field)
					}
					n++
					if r.pattern == "/interactions" {
						checkBatch(t, app, r, at, p, with, n)
						continue
					}
					status, body := app.send(r.as, r.method, r.path, "application/json", encode(poisoned(r.body, at, with)))
					if status < 400 || status >= 500 || !inEnvelope(body) {
						t.Errorf("%s %s, %s %s: %d %.300s", r.method, r.pattern, field, p.name, status, body)
					}
				}
			}
		}
	})
}

func valueAt(v any, path []any) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p.(string)]
		case []any:
			v = x[p.(int)]
		}
	}
	return v
}

// checkBatch sends a valid item and the poisoned one in one batch, then in
// an NDJSON stream: the poisoned item is rejected alone, the valid one
// stored, the answer a 200.
func checkBatch(t *testing.T, app *testApp, r writeRoute, at []any, p poison, with any, n int) {
	t.Helper()
	field := fieldName(at)
	good := poisoned(r.body, []any{"external_id"}, fmt.Sprintf("good-%d", n)).(map[string]any)
	bad := poisoned(poisoned(r.body, []any{"external_id"}, fmt.Sprintf("bad-%d", n)), at, with)
	batch := encode(map[string]any{"items": []any{good, bad}})
	stream := bytes.Join([][]byte{encode(poisoned(good, []any{"external_id"}, fmt.Sprintf("good-%d-nd", n))),
		encode(poisoned(poisoned(bad, []any{"external_id"}, fmt.Sprintf("bad-%d-nd", n)), at, with)),
		encode(poisoned(good, []any{"external_id"}, fmt.Sprintf("after-%d-nd", n)))}, []byte("\n"))
	for _, c := range []struct {
		contentType string
		raw         []byte
		want        []string
	}{
		{"application/json", batch, []string{"stored", "rejected"}},
		{"application/x-ndjson", stream, []string{"stored", "rejected", "stored"}},
	} {
		status, body := app.send(r.as, r.method, r.path, c.contentType, c.raw)
		var out struct {
			Items []struct{ Status, Reason string }
		}
		if status != http.StatusOK || json.Unmarshal(body, &out) != nil {
			t.Errorf("%s with %s %s: %d %.300s", c.contentType, field, p.name, status, body)
			continue
		}
		got := make([]string, len(out.Items))
		for i, it := range out.Items {
			got[i] = it.Status
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s with %s %s: %v, want %v (%+v)", c.contentType, field, p.name, got, c.want, out.Items)
		}
	}
}
