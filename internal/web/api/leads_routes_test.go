package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// lead is a valid lead body with external id ext.
func lead(ext string, more ...any) map[string]any {
	b := map[string]any{"source": "website", "source_group": "web", "external_id": ext, "first_name": "Jeanne",
		"last_name": "Martin", "email": "jeanne." + ext + "@example.org", "product": "savings", "message": "Rappelez-moi"}
	for i := 0; i+1 < len(more); i += 2 {
		b[more[i].(string)] = more[i+1]
	}
	return b
}

func TestALeadPostedTwiceIsStoredOnceAndSaysWhereItWent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		app.must(http.StatusOK, "admin", http.MethodPut, "/admin/lead-rules/BR",
			map[string]any{"rules": []any{map[string]any{"source": "comparator", "unit_code": "A2"}}})
		first := app.must(http.StatusCreated, "admin", http.MethodPost, "/leads", lead("L-1", "unit_code", "A1"))
		if got := keysOf(first); !slices.Equal(got, []string{"assignee", "id", "party_id", "rule"}) {
			t.Errorf("the answer has %v", got)
		}
		if first["rule"] != "unit" || first["assignee"].(map[string]any)["login"] != "adv1" || first["party_id"] == "" {
			t.Errorf("first: %v", first)
		}
		again := app.must(http.StatusOK, "admin", http.MethodPost, "/leads", lead("L-1", "unit_code", "A1"))
		if again["id"] != first["id"] || again["party_id"] != first["party_id"] || again["rule"] != "unit" {
			t.Errorf("again: %v, want %v", again, first)
		}
		byRule := app.must(http.StatusCreated, "admin", http.MethodPost, "/leads", lead("L-2", "source", "comparator"))
		if byRule["rule"] != "rule 1: source=comparator" || byRule["assignee"].(map[string]any)["login"] != "adv2" {
			t.Errorf("by rule: %v", byRule)
		}
		// Hélène Dupré's email: her party, not a prospect.
		known := app.must(http.StatusCreated, "adv1", http.MethodPost, "/leads", lead("L-3", "email", "helene.dupre@example.fr",
			"unit_code", "A1"))
		if known["party_id"] != app.P1.ID {
			t.Errorf("a known email: party %v, want %s", known["party_id"], app.P1.ID)
		}
		full := app.must(http.StatusOK, "adv1", http.MethodGet, "/leads/"+first["id"].(string), nil)
		if full["unit_code"] != "A1" || full["status"] != "assigned" || full["route"] != "unit" || full["channel"] != "api" ||
			full["external_id"] != "L-1" || full["assignee"].(map[string]any)["login"] != "adv1" || full["clock_start_at"] != full["received_at"] {
			t.Errorf("the lead: %v", full)
		}
		if status, _, _ := app.call("adv2", http.MethodGet, "/leads/"+first["id"].(string), nil); status != http.StatusNotFound {
			t.Errorf("adv2 reads A1's lead: %d, want 404", status)
		}
		list := app.must(http.StatusOK, "admin", http.MethodGet, "/leads?assignee=adv1&status=assigned", nil)
		if got := field(list["leads"], "external_id"); !slices.Equal(got, []string{"L-3", "L-1"}) {
			t.Errorf("adv1's leads %v, want L-3 then L-1", got)
		}
		mine := app.must(http.StatusOK, "adv2", http.MethodGet, "/leads", nil)
		if got := field(mine["leads"], "external_id"); !slices.Equal(got, []string{"L-2"}) {
			t.Errorf("adv2 sees %v, want only A2's L-2", got)
		}
		if status, _, _ := app.call("viewer", http.MethodPost, "/leads", lead("L-4")); status != http.StatusForbidden {
			t.Errorf("the viewer posts a lead: %d, want 403", status)
		}
		status, _, bad := app.call("admin", http.MethodPost, "/leads", lead("L-5", "email", "", "received_at", "2031-01-01T00:00:00Z"))
		reasons, _ := bad["error"].(map[string]any)["reasons"].(map[string]any)
		if status != http.StatusUnprocessableEntity || reasons["email"] == nil || reasons["received_at"] == nil {
			t.Errorf("no email nor phone, received in the future: %d %v", status, bad)
		}
	})
}

func TestAManagerReassignsALeadAndAnAbsentAgentReceivesNone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		l := app.must(http.StatusCreated, "admin", http.MethodPost, "/leads", lead("L-1", "unit_code", "A1"))
		id := l["id"].(string)
		if status, _, _ := app.call("adv1", http.MethodPost, "/leads/"+id+"/assign", map[string]any{"agent": "adv1"}); status != http.StatusForbidden {
			t.Errorf("an advisor reassigns: %d, want 403", status)
		}
		status, _, out := app.call("admin", http.MethodPost, "/leads/"+id+"/assign", map[string]any{"agent": "adv2"})
		if status != http.StatusUnprocessableEntity || out["error"].(map[string]any)["reasons"].(map[string]any)["agent"].(map[string]any)["code"] != "agent_outside_unit" {
			t.Errorf("to an agent of A2: %d %v", status, out)
		}
		moved := app.must(http.StatusOK, "admin", http.MethodPost, "/leads/"+id+"/assign", map[string]any{"agent": "admin"})
		if moved["assignee"].(map[string]any)["login"] != "admin" || moved["assigned_by"] != "manual" {
			t.Errorf("reassigned: %v", moved)
		}

		absence := app.must(http.StatusCreated, "admin", http.MethodPost, "/admin/agents/adv1/absences",
			map[string]any{"starts_at": "2026-11-23T08:00:00Z", "ends_at": "2026-11-23T17:00:00Z", "note": "Formation"})
		list := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/agents/adv1/absences", nil)
		if got := field(list["absences"], "id"); !slices.Equal(got, []string{absence["id"].(string)}) {
			t.Errorf("absences %v", got)
		}
		waiting := app.must(http.StatusCreated, "admin", http.MethodPost, "/leads", lead("L-2", "unit_code", "A1"))
		if waiting["assignee"] != nil {
			t.Errorf("a lead of A1 while adv1 is absent: %v, want it waiting", waiting)
		}
		if got := app.must(http.StatusOK, "admin", http.MethodGet, "/leads/"+waiting["id"].(string), nil); got["status"] != "new" {
			t.Errorf("status %v, want new", got["status"])
		}
		if status, _, _ := app.call("adv2", http.MethodDelete, "/admin/absences/"+absence["id"].(string), nil); status != http.StatusForbidden {
			t.Errorf("an advisor removes an absence: %d", status)
		}
		app.must(http.StatusNoContent, "admin", http.MethodDelete, "/admin/absences/"+absence["id"].(string), nil)
		if got := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/agents/adv1/absences", nil); len(got["absences"].([]any)) != 0 {
			t.Errorf("absences after removal: %v", got)
		}
		rules := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/lead-rules/BR", nil)
		if len(rules["rules"].([]any)) != 0 {
			t.Errorf("rules %v", rules)
		}
		status, _, out = app.call("admin", http.MethodPut, "/admin/lead-rules/BR",
			map[string]any{"rules": []any{map[string]any{"source": "x", "unit_code": "A1"}, map[string]any{"unit_code": "ZZ"}}})
		if status != http.StatusUnprocessableEntity || out["error"].(map[string]any)["reasons"].(map[string]any)["rules[1].unit_code"] == nil {
			t.Errorf("a rule naming no unit: %d %v", status, out)
		}
	})
}
