package web_test

import (
	"net/http"
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
	})
}
