package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// errorOf returns the code, message and field errors of an API error body.
func errorOf(body map[string]any) (code, message string, fields map[string]any) {
	e, _ := body["error"].(map[string]any)
	code, _ = e["code"].(string)
	message, _ = e["message"].(string)
	fields, _ = e["fields"].(map[string]any)
	return code, message, fields
}

func TestAPIRequiresCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, path := range []string{"/api/v1/parties/" + app.P1.ID, "/api/v1/search?q=dupre", "/api/v1/units"} {
			status, body := app.call("", http.MethodGet, path, nil)
			if status != http.StatusUnauthorized {
				t.Fatalf("GET %s without token: status %d, want 401", path, status)
			}
			if code, _, _ := errorOf(body); code != "unauthorized" {
				t.Errorf("GET %s without token: error code %q, want unauthorized (body %v)", path, code, body)
			}
		}
		app.Tokens["forged"] = "rpt_forged"
		if status, _ := app.call("forged", http.MethodGet, "/api/v1/units", nil); status != http.StatusUnauthorized {
			t.Errorf("forged token: status %d, want 401", status)
		}
	})
}

func TestAPIScopeHidesOtherAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		// The advisor of A1 reads their own client but not A2's, which
		// answers exactly like a party that does not exist.
		if status, body := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P1.ID, nil); status != http.StatusOK || body["last_name"] != "Dupré" {
			t.Fatalf("advisor reads own client: %d %v", status, body)
		}
		statusOut, bodyOut := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P2.ID, nil)
		statusNone, bodyNone := app.call("adv1", http.MethodGet, "/api/v1/parties/0190f0f0-0000-7000-8000-000000000000", nil)
		if statusOut != http.StatusNotFound || statusNone != http.StatusNotFound {
			t.Fatalf("out of scope %d, missing %d: want 404 for both", statusOut, statusNone)
		}
		_, msgOut, _ := errorOf(bodyOut)
		_, msgNone, _ := errorOf(bodyNone)
		msgOut = strings.ReplaceAll(msgOut, app.P2.ID, "ID")
		msgNone = strings.ReplaceAll(msgNone, "0190f0f0-0000-7000-8000-000000000000", "ID")
		if msgOut != msgNone {
			t.Errorf("out-of-scope message %q differs from missing %q: it reveals the party exists", msgOut, msgNone)
		}
		for _, path := range []string{"/api/v1/parties/" + app.P2.ID + "/contracts", "/api/v1/parties/" + app.P2.ID + "/relations"} {
			if status, _ := app.call("adv1", http.MethodGet, path, nil); status != http.StatusNotFound {
				t.Errorf("GET %s by advisor: %d, want 404", path, status)
			}
		}
		if status, _ := app.call("adv1", http.MethodPatch, "/api/v1/parties/"+app.P2.ID, map[string]any{"segment": "x"}); status != http.StatusNotFound {
			t.Errorf("advisor patches out-of-scope party: %d, want 404", status)
		}
		// The administrator sees both.
		if status, _ := app.call("admin", http.MethodGet, "/api/v1/parties/"+app.P2.ID, nil); status != http.StatusOK {
			t.Errorf("admin reads A2 client: %d", status)
		}
		// Quick search applies the same scope.
		_, adv := app.call("adv1", http.MethodGet, "/api/v1/search?q=lefevre", nil)
		if items, _ := adv["items"].([]any); len(items) != 0 {
			t.Errorf("advisor's search finds the A2 client: %v", items)
		}
		_, adm := app.call("admin", http.MethodGet, "/api/v1/search?q=lefevre", nil)
		if items, _ := adm["items"].([]any); len(items) != 1 {
			t.Errorf("admin's search for lefevre: %v, want 1 item", adm)
		}
		// Creating a party in an agency outside the advisor's scope is refused.
		status, body := app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{"last_name": "Martin", "agency_code": "A2"})
		if status != http.StatusForbidden && status != http.StatusUnprocessableEntity {
			t.Errorf("advisor creates in A2: %d %v, want 403 or 422", status, body)
		}
	})
}

func TestAPIPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		// A viewer reads but may not edit.
		if status, _ := app.call("viewer", http.MethodGet, "/api/v1/parties/"+app.P1.ID, nil); status != http.StatusOK {
			t.Fatalf("viewer reads: %d", status)
		}
		status, body := app.call("viewer", http.MethodPatch, "/api/v1/parties/"+app.P1.ID, map[string]any{"segment": "premium"})
		if code, _, _ := errorOf(body); status != http.StatusForbidden || code != "forbidden" {
			t.Errorf("viewer edits: %d %v, want 403 forbidden", status, body)
		}
		// Administration is for administrators.
		status, _ = app.call("adv1", http.MethodPost, "/api/v1/units", map[string]any{"code": "A3", "name": "Lille", "kind": "agency", "parent_code": "R1"})
		if status != http.StatusForbidden {
			t.Errorf("advisor creates a unit: %d, want 403", status)
		}
		status, body = app.call("admin", http.MethodPost, "/api/v1/units", map[string]any{"code": "A3", "name": "Lille", "kind": "agency", "parent_code": "R1"})
		if status != http.StatusCreated {
			t.Errorf("admin creates a unit: %d %v", status, body)
		}
	})
}

func TestAPIValidationNamesFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, body := app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{
			"first_name": "Jean", "emails": []map[string]any{{"address": "not-an-email"}},
			"phones": []map[string]any{{"number": "12"}}, "birth_date": "1990-13-45"})
		code, _, fields := errorOf(body)
		if status != http.StatusUnprocessableEntity || code != "invalid" {
			t.Fatalf("invalid party: %d %v, want 422 invalid", status, body)
		}
		for _, f := range []string{"last_name", "birth_date"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("field %s not named in %v", f, fields)
			}
		}
		var email, phone bool
		for k := range fields {
			email = email || strings.HasPrefix(k, "emails")
			phone = phone || strings.HasPrefix(k, "phones")
		}
		if !email || !phone {
			t.Errorf("email and phone errors not named in %v", fields)
		}
		// Malformed JSON is a 400 with the envelope, not a crash.
		status, body = app.call("adv1", http.MethodPost, "/api/v1/parties", `{"last_name": `)
		if code, _, _ := errorOf(body); status != http.StatusBadRequest && status != http.StatusUnprocessableEntity || code == "" {
			t.Errorf("malformed JSON: %d %v", status, body)
		}
		// An enum outside its values is named.
		status, body = app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{"last_name": "X", "kind": "robot"})
		if _, _, fields := errorOf(body); status != http.StatusUnprocessableEntity || fields["kind"] == nil {
			t.Errorf("kind robot: %d %v", status, body)
		}
	})
}

func TestAPIDuplicatesConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, body := app.call("admin", http.MethodPost, "/api/v1/parties", map[string]any{
			"status": "client", "client_number": app.P1.ClientNumber, "last_name": "Autre", "agency_code": "A1"})
		if code, _, _ := errorOf(body); status != http.StatusConflict || code != "conflict" {
			t.Errorf("duplicate client number: %d %v, want 409", status, body)
		}
		status, _ = app.call("admin", http.MethodPost, "/api/v1/units", map[string]any{"code": "A1", "name": "Encore", "kind": "agency", "parent_code": "R1"})
		if status != http.StatusConflict {
			t.Errorf("duplicate unit code: %d, want 409", status)
		}
		// A stale version is refused rather than overwriting a colleague's change.
		status, body = app.call("adv1", http.MethodPatch, "/api/v1/parties/"+app.P1.ID, map[string]any{"segment": "premium", "version": app.P1.Version})
		if status != http.StatusOK {
			t.Fatalf("patch with current version: %d %v", status, body)
		}
		status, _ = app.call("adv1", http.MethodPatch, "/api/v1/parties/"+app.P1.ID, map[string]any{"segment": "standard", "version": app.P1.Version})
		if status != http.StatusConflict {
			t.Errorf("patch with stale version: %d, want 409", status)
		}
	})
}

func TestAPIProspectLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, body := app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{
			"first_name": "Noël", "last_name": "Bézier", "phones": []map[string]any{{"number": "+33 4 78 00 00 01", "kind": "home"}}})
		if status != http.StatusCreated {
			t.Fatalf("create prospect: %d %v", status, body)
		}
		id, _ := body["id"].(string)
		if body["status"] != "prospect" || body["agency_code"] != "A1" {
			t.Errorf("new prospect: status %v agency %v, want prospect in the advisor's agency", body["status"], body["agency_code"])
		}
		_, found := app.call("adv1", http.MethodGet, "/api/v1/search?q=noel+bez", nil)
		if items, _ := found["items"].([]any); len(items) != 1 {
			t.Fatalf("search noel bez: %v", found)
		}
		_, byPhone := app.call("adv1", http.MethodGet, "/api/v1/search?q=0478000001", nil)
		if items, _ := byPhone["items"].([]any); len(items) != 1 {
			t.Errorf("search by phone in national format: %v", byPhone)
		}
		status, body = app.call("adv1", http.MethodPost, "/api/v1/parties/"+id+"/convert", map[string]any{})
		if status != http.StatusOK || body["status"] != "client" || body["client_number"] == "" {
			t.Errorf("convert: %d %v", status, body)
		}
		// The consultation and the changes are in the audit log.
		rows, err := d.Query(t.Context(), "SELECT action FROM audit_log WHERE party_id = ? ORDER BY at", id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var actions []string
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, a)
		}
		if len(actions) < 2 {
			t.Errorf("audit actions for the prospect: %v, want creation and conversion", actions)
		}
	})
}

func TestAPIAdvancedSearchPaginates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, n := range []string{"Martin", "Martineau", "Martinez", "Marton", "Martel"} {
			if status, body := app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{"last_name": n, "agency_code": "A1"}); status != http.StatusCreated {
				t.Fatalf("create %s: %d %v", n, status, body)
			}
		}
		seen := map[string]bool{}
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			_, body := app.call("adv1", http.MethodGet, "/api/v1/parties?name=mar&limit=2&cursor="+cursor, nil)
			items, _ := body["items"].([]any)
			for _, it := range items {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("party %s on two pages", id)
				}
				seen[id] = true
			}
			cursor, _ = body["next_cursor"].(string)
			if cursor == "" {
				break
			}
		}
		if len(seen) != 5 {
			t.Errorf("pages gave %d parties, want 5", len(seen))
		}
	})
}

// TestOpenAPIDescribesEveryRoute checks the published document lists every
// operation the API serves, so integrators can rely on it.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	{
		app := newTestApp(t, dbtest.SQLite(t))
		resp, err := http.Get(app.Server.URL + "/api/v1/openapi.json")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("openapi.json: %d", resp.StatusCode)
		}
		var doc struct {
			Paths map[string]map[string]any `json:"paths"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		want := []string{"POST /units", "GET /units", "POST /agents", "GET /agents/{login}", "PATCH /agents/{login}",
			"POST /parties", "GET /parties", "GET /parties/{id}", "PATCH /parties/{id}", "POST /parties/{id}/convert",
			"POST /parties/{id}/relations", "GET /parties/{id}/relations", "GET /parties/{id}/contracts",
			"POST /contracts", "GET /contracts/{id}", "GET /search", "POST /interactions", "GET /parties/{id}/timeline",
			"GET /interactions/{id}", "GET /interactions/{id}/attachments/{attachmentID}",
			"POST /reports", "GET /reports/{id}", "PATCH /reports/{id}", "GET /reports/orphans", "GET /reports/reasons",
			"GET /admin/history-settings/{establishment_code}", "PUT /admin/history-settings/{establishment_code}",
			"GET /admin/history-sources", "POST /admin/history-sources", "GET /catalogues/{kind}",
			"GET /admin/report-reasons/{establishment_code}", "PUT /admin/report-reasons/{establishment_code}/{code}"}
		for _, w := range want {
			method, path, _ := strings.Cut(w, " ")
			if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
				t.Errorf("OpenAPI document lacks %s", w)
			}
		}
		// Every documented operation is actually served (not 404/405).
		for path, ops := range doc.Paths {
			for method := range ops {
				p := strings.NewReplacer("{id}", app.P1.ID, "{login}", "adv1").Replace(path)
				status, _ := app.call("admin", strings.ToUpper(method), "/api/v1"+p, map[string]any{})
				if status == http.StatusNotFound && !strings.Contains(path, "{") || status == http.StatusMethodNotAllowed {
					t.Errorf("%s %s documented but answers %d", method, path, status)
				}
			}
		}
	}
}
