package web_test

import (
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// leadBody is a valid lead for A1.
func leadBody(ext string) map[string]any {
	return map[string]any{"source": "website", "source_group": "web", "external_id": ext,
		"received_at": "2026-11-23T08:30:00Z", "first_name": "Jeanne", "last_name": "Martin",
		"email": "jeanne.martin@example.org", "phone": "06 11 22 33 44", "postal_code": "75002", "product": "savings",
		"message": "Rappelez-moi", "unit_code": "A1"}
}

// leadsWriteRoutes stores a lead and returns the write routes of leads,
// their distribution rules and the agents' absences with a valid body each.
func leadsWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	status, l := app.call("admin", http.MethodPost, "/api/v1/leads", leadBody("hostile-seed"))
	if status != http.StatusCreated {
		t.Fatalf("post a lead: %d %v", status, l)
	}
	id := l["id"].(string)
	return []writeRoute{
		{method: "POST", pattern: "/leads", path: "/leads", as: "admin", body: leadBody("hostile-1")},
		{method: "POST", pattern: "/leads/{id}/assign", path: "/leads/" + id + "/assign", as: "admin",
			body: map[string]any{"agent": "admin"}},
		{method: "PUT", pattern: "/admin/lead-rules/{establishment_code}", path: "/admin/lead-rules/BR", as: "admin",
			body: map[string]any{"rules": []any{map[string]any{"source": "comparator", "product": "car", "postal_code_prefix": "69",
				"unit_code": "A2"}}}},
		{method: "POST", pattern: "/admin/agents/{login}/absences", path: "/admin/agents/adv1/absences", as: "admin",
			body: map[string]any{"starts_at": "2026-11-24T08:00:00Z", "ends_at": "2026-11-24T17:00:00Z", "note": "Formation"}},
	}
}

// TestAHostileLeadWritesNothing: a lead with any one field poisoned is
// refused in the envelope and leaves no lead, party, rule or absence behind.
func TestAHostileLeadWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		count := func(table string) int {
			var n int
			if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		parties := count("parties")
		for _, r := range []writeRoute{
			{method: "POST", path: "/leads", as: "admin", body: leadBody("hostile-1")},
			{method: "PUT", path: "/admin/lead-rules/BR", as: "admin", body: map[string]any{"rules": []any{
				map[string]any{"source": "comparator", "product": "car", "postal_code_prefix": "69", "unit_code": "A2"}}}},
			{method: "POST", path: "/admin/agents/adv1/absences", as: "admin",
				body: map[string]any{"starts_at": "2026-11-24T08:00:00Z", "ends_at": "2026-11-24T17:00:00Z", "note": "Formation"}},
		} {
			var paths [][]any
			leaves(r.body, nil, &paths)
			for _, at := range paths {
				for _, p := range poisons {
					if p.plain {
						continue
					}
					status, body := app.send(r.as, r.method, "/api/v1"+r.path, "application/json",
						encode(poisoned(r.body, at, p.text(fieldName(at)))))
					if status < 400 || status >= 500 || !inEnvelope(body) {
						t.Errorf("%s %s, %s %s: %d %.200s", r.method, r.path, fieldName(at), p.name, status, body)
					}
				}
			}
		}
		for table, want := range map[string]int{"leads": 0, "lead_rules": 0, "agent_absences": 0, "parties": parties} {
			if n := count(table); n != want {
				t.Errorf("%d rows in %s, want %d", n, table, want)
			}
		}
	})
}
