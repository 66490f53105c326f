package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAPIReportsReconcileWithTheCall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		call := map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "outbound",
			"occurred_at": "2026-11-20T10:00:00+01:00", "duration_seconds": 300, "outcome": "answered",
			"to": []string{"06 12 34 56 78"}, "agent": "adv1"}
		if status, body := app.call("admin", http.MethodPost, "/api/v1/interactions", call); status != http.StatusOK {
			t.Fatalf("push call: %d %v", status, body)
		}
		report := map[string]any{"party_id": app.P1.ID, "medium": "phone", "initiative": "inbound", "reason": "savings",
			"comment": "Ouverture d'un livret pour sa fille.", "sales": []any{map[string]any{"product": "savings", "amount_minor": 20000}},
			"written_at": "2026-11-20T10:08:00+01:00"}
		status, body := app.call("adv1", http.MethodPost, "/api/v1/reports", report)
		if status != http.StatusCreated || body["status"] != "orphan" {
			t.Fatalf("report with the wrong initiative: %d %v, want 201 orphan", status, body)
		}
		if sales, _ := body["sales"].([]any); len(sales) != 1 || sales[0].(map[string]any)["amount_minor"] != float64(20000) ||
			sales[0].(map[string]any)["currency"] != "EUR" {
			t.Errorf("sales %v, want 20000 cents in EUR", body["sales"])
		}
		suggestions, _ := body["suggestions"].([]any)
		if len(suggestions) != 1 || suggestions[0].(map[string]any)["direction"] != "outbound" {
			t.Errorf("suggestions %v, want the outbound call", body["suggestions"])
		}
		id := body["id"].(string)
		status, again := app.call("adv1", http.MethodPost, "/api/v1/reports", report)
		if msg, _ := again["error"].(map[string]any)["message"].(string); status != http.StatusConflict || !strings.Contains(msg, "2026-11-20") {
			t.Errorf("second report the same day: %d %v, want 409 naming the day", status, again)
		}
		status, orphans := app.call("adv1", http.MethodGet, "/api/v1/reports/orphans", nil)
		if items, _ := orphans["items"].([]any); status != http.StatusOK || len(items) != 1 {
			t.Errorf("orphans: %d %v", status, orphans)
		}
		fix := map[string]any{"medium": "phone", "initiative": "outbound", "reason": "savings",
			"comment": report["comment"], "version": body["version"]}
		status, fixed := app.call("adv1", http.MethodPatch, "/api/v1/reports/"+id, fix)
		if status != http.StatusOK || fixed["status"] != "reconciled" {
			t.Fatalf("fix: %d %v, want reconciled", status, fixed)
		}
		_, timeline := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P1.ID+"/timeline", nil)
		lines, _ := timeline["items"].([]any)
		if len(lines) != 1 {
			t.Fatalf("timeline %v, want the call alone", timeline)
		}
		rep, _ := lines[0].(map[string]any)["report"].(map[string]any)
		if rep["reason_label"] != "Épargne" || rep["comment"] != report["comment"] || rep["orphan"] != false {
			t.Errorf("timeline report %v", rep)
		}
		// Scope, permission and validation.
		report["party_id"] = app.P2.ID
		if status, _ := app.call("adv1", http.MethodPost, "/api/v1/reports", report); status != http.StatusNotFound {
			t.Errorf("report on another agency's customer: %d, want 404", status)
		}
		if status, _ := app.call("viewer", http.MethodPost, "/api/v1/reports", report); status != http.StatusForbidden {
			t.Errorf("viewer writes a report: %d, want 403", status)
		}
		status, bad := app.call("adv1", http.MethodPost, "/api/v1/reports", map[string]any{"party_id": app.P1.ID, "medium": "fax",
			"initiative": "inbound", "reason": "weather", "comment": ""})
		fields, _ := bad["error"].(map[string]any)["fields"].(map[string]any)
		if status != http.StatusUnprocessableEntity || fields["medium"] == nil || fields["reason"] == nil {
			t.Errorf("invalid report: %d %v", status, bad)
		}
		if status, reasons := app.call("adv1", http.MethodGet, "/api/v1/reports/reasons", nil); status != http.StatusOK ||
			len(reasons["items"].([]any)) < 5 {
			t.Errorf("reasons: %d %v", status, reasons)
		}
	})
}

func TestAPIAttachesAnOrphanToTheSuggestionChosen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		call := map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "outbound",
			"occurred_at": "2026-11-20T10:00:00+01:00", "duration_seconds": 300, "outcome": "answered",
			"to": []string{"06 12 34 56 78"}, "agent": "adv1"}
		if status, body := app.call("admin", http.MethodPost, "/api/v1/interactions", call); status != http.StatusOK {
			t.Fatalf("push call: %d %v", status, body)
		}
		status, body := app.call("adv1", http.MethodPost, "/api/v1/reports", map[string]any{"party_id": app.P1.ID,
			"medium": "phone", "initiative": "inbound", "reason": "savings", "comment": "Livret", "written_at": "2026-11-20T10:08:00+01:00"})
		if status != http.StatusCreated || body["status"] != "orphan" {
			t.Fatalf("orphan report: %d %v", status, body)
		}
		id := body["id"].(string)
		exchange := body["suggestions"].([]any)[0].(map[string]any)["interaction_id"].(string)
		if status, _ := app.call("adv1", http.MethodPost, "/api/v1/reports/"+id+"/attach",
			map[string]any{"interaction_id": app.P2.ID, "version": 1}); status != http.StatusNotFound {
			t.Errorf("attach to what is no suggestion: %d, want 404", status)
		}
		status, body = app.call("adv1", http.MethodPost, "/api/v1/reports/"+id+"/attach", map[string]any{"interaction_id": exchange, "version": 1})
		if status != http.StatusOK || body["status"] != "reconciled" || body["interaction_id"] != exchange ||
			body["initiative"] != "outbound" || body["comment"] != "Livret" {
			t.Errorf("attach: %d %v", status, body)
		}
		if status, _ := app.call("adv1", http.MethodPost, "/api/v1/reports/"+id+"/attach",
			map[string]any{"interaction_id": exchange, "version": 1}); status != http.StatusConflict && status != http.StatusNotFound {
			t.Errorf("attach again from a stale read: %d", status)
		}
	})
}
