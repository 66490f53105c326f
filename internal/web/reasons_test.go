package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// TestAPIValidationGivesReasonCodesBesideEnglish checks a refused write
// answers each field's reason twice: in English under "fields" (as before)
// and as a stable code with its parameters under "reasons".
func TestAPIValidationGivesReasonCodesBesideEnglish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, body := app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{
			"first_name": "Jean", "birth_date": "1990-13-45", "emails": []map[string]any{{"address": "not-an-email"}}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid party: %d %v", status, body)
		}
		e, _ := body["error"].(map[string]any)
		fields, _ := e["fields"].(map[string]any)
		reasons, _ := e["reasons"].(map[string]any)
		if fields["last_name"] != "required for a person" {
			t.Errorf("English reason of last_name: %v", fields["last_name"])
		}
		for field, want := range map[string]string{"last_name": "required_for_person", "birth_date": "date", "emails[0].address": "email"} {
			r, _ := reasons[field].(map[string]any)
			if r["code"] != want {
				t.Errorf("reason of %s: %v, want code %s (reasons %v)", field, r, want, reasons)
			}
		}
		if len(fields) != len(reasons) {
			t.Errorf("fields %v and reasons %v name different fields", fields, reasons)
		}

		// A reason with parameters carries them.
		_, body = app.call("adv1", http.MethodPost, "/api/v1/parties", map[string]any{
			"last_name": "Martin", "status": "client", "client_number": "not a number!"})
		e, _ = body["error"].(map[string]any)
		reasons, _ = e["reasons"].(map[string]any)
		r, _ := reasons["client_number"].(map[string]any)
		params, _ := r["params"].(map[string]any)
		if r["code"] != "number_format" || params["max"] != float64(32) {
			t.Errorf("reason of client_number: %v, want number_format with max 32", r)
		}

		// A rejected interaction says why with codes too.
		_, body = app.call("admin", http.MethodPost, "/api/v1/interactions", map[string]any{"items": []map[string]any{{
			"source": "telephony", "external_id": strings.Repeat("x", 201), "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T10:00:00+01:00", "from": "0612345678"}}})
		items, _ := body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("ingestion: %v", body)
		}
		item := items[0].(map[string]any)
		r, _ = item["reasons"].(map[string]any)["external_id"].(map[string]any)
		params, _ = r["params"].(map[string]any)
		if item["status"] != "rejected" || r["code"] != "required_up_to" || params["max"] != float64(200) ||
			!strings.Contains(item["reason"].(string), "external_id: required, up to 200 characters") {
			t.Errorf("rejected item: %v", item)
		}
	})
}

// TestOpenAPIDocumentsReasonCodesAndMoney checks the published document
// describes the error envelope's reasons and amounts in minor units.
func TestOpenAPIDocumentsReasonCodesAndMoney(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	_, doc := app.call("", http.MethodGet, "/api/v1/openapi.json", nil)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	prop := func(schema, name string) map[string]any {
		s, _ := schemas[schema].(map[string]any)
		props, _ := s["properties"].(map[string]any)
		p, _ := props[name].(map[string]any)
		return p
	}
	if p := prop("ErrorDetail", "reasons"); p == nil || !strings.Contains(p["description"].(string), "stable code") {
		t.Errorf("the error envelope's reasons are not documented: %v", schemas["ErrorDetail"])
	}
	if prop("Reason", "code") == nil || prop("Reason", "params") == nil {
		t.Errorf("the Reason schema lacks code or params: %v", schemas["Reason"])
	}
	if p := prop("Sale", "amount_minor"); p == nil || p["type"] != "integer" || prop("Sale", "currency") == nil {
		t.Errorf("a sale's amount is not integer minor units with a currency: %v", schemas["Sale"])
	}
}
