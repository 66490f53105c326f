package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAPIHistorySettingsPerEstablishment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		const path = "/api/v1/admin/history-settings/BR"
		if status, _ := app.call("adv1", "GET", path, nil); status != http.StatusForbidden {
			t.Errorf("advisor reads the settings: %d", status)
		}
		status, body := app.call("admin", "GET", path, nil)
		rules, _ := body["rules"].(map[string]any)
		retention, _ := body["retention"].(map[string]any)
		mailbox, _ := retention["agent_mailbox"].(map[string]any)
		if status != http.StatusOK || body["custom"] != false || rules["min_outbound_call_seconds"] != 40.0 || rules["report_window_minutes"] != 15.0 ||
			mailbox["inline_days"] != 60.0 {
			t.Fatalf("defaults: %d %v", status, body)
		}
		status, body = app.call("admin", "PUT", path, map[string]any{
			"rules":     map[string]any{"min_outbound_call_seconds": 60},
			"retention": map[string]any{"other": map[string]any{"body_days": 100}}})
		rules, _ = body["rules"].(map[string]any)
		retention, _ = body["retention"].(map[string]any)
		other, _ := retention["other"].(map[string]any)
		keywords, _ := rules["private_keywords"].([]any)
		if status != http.StatusOK || body["custom"] != true || rules["min_outbound_call_seconds"] != 60.0 ||
			other["body_days"] != 100.0 || other["subject_days"] != 730.0 || len(keywords) != 5 {
			t.Fatalf("saved: %d %v", status, body)
		}
		// The admin, in BR, pushes a 50 s outbound call: under BR's 60 s.
		status, body = app.call("admin", "POST", "/api/v1/interactions", map[string]any{"source": "telephony",
			"external_id": "c50", "channel": "phone", "direction": "outbound", "occurred_at": "2026-11-20T10:00:00+01:00",
			"duration_seconds": 50, "to": []string{"06 12 34 56 78"}})
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["status"] != "excluded" {
			t.Errorf("a 50 s call pushed for BR: %d %v", status, body)
		}
		status, body = app.call("admin", "PUT", path, map[string]any{
			"retention": map[string]any{"crm_message": map[string]any{"body_days": 9999}}})
		_, _, fields := errorOf(body)
		if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(fields["retention.crm_message.body_days"]), "subject") {
			t.Errorf("body kept longer than the subject: %d %v", status, body)
		}
		if status, body = app.call("admin", "PUT", path, map[string]any{"retention": map[string]any{"fax": map[string]any{}}}); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown retention class: %d %v", status, body)
		}
		if status, body = app.call("admin", "GET", "/api/v1/admin/history-settings/A1", nil); status != http.StatusNotFound || body["error"].(map[string]any)["code"] != "not_found" {
			t.Errorf("settings of an agency: %d %v", status, body)
		}
	})
}

func TestAPIHistorySources(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		const path = "/api/v1/admin/history-sources"
		if status, _ := app.call("adv1", "POST", path, map[string]any{"code": "visio", "name": "Visio"}); status != http.StatusForbidden {
			t.Errorf("advisor adds a source: %d", status)
		}
		status, body := app.call("admin", "POST", path, map[string]any{"code": "visio", "name": "Visioconférence", "retention": "crm_message"})
		if status != http.StatusCreated || body["code"] != "visio" || body["builtin"] != false || body["retention"] != "crm_message" {
			t.Fatalf("add: %d %v", status, body)
		}
		if status, body = app.call("admin", "POST", path, map[string]any{"code": "visio", "name": "Encore"}); status != http.StatusConflict {
			t.Errorf("twice: %d %v", status, body)
		}
		status, body = app.call("admin", "POST", path, map[string]any{"code": "Visio Conf", "name": "Visio"})
		_, _, fields := errorOf(body)
		if status != http.StatusUnprocessableEntity || fields["code"] == nil {
			t.Errorf("bad code: %d %v", status, body)
		}
		status, body = app.call("admin", "GET", path, nil)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) < 2 || items[len(items)-1].(map[string]any)["code"] != "visio" {
			t.Errorf("list: %d %v", status, body)
		}
		item := func(source string) map[string]any {
			return map[string]any{"source": source, "external_id": source + "-1", "channel": "video", "direction": "outbound",
				"occurred_at": "2026-11-20T10:00:00+01:00", "client_number": "1000000001"}
		}
		_, body = app.call("admin", "POST", "/api/v1/interactions", map[string]any{"items": []any{item("visio"), item("fax_server")}})
		items, _ = body["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["status"] != "stored" || items[1].(map[string]any)["status"] != "rejected" ||
			!strings.Contains(fmt.Sprint(items[1].(map[string]any)["reason"]), "telephony, agent_mailbox") ||
			!strings.Contains(fmt.Sprint(items[1].(map[string]any)["reason"]), "visio") {
			t.Errorf("pushed from an added and an unknown source: %v", body)
		}
	})
}

func TestRetentionPurgesAreCountedInMetrics(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	status, body := app.call("admin", "POST", "/api/v1/interactions", map[string]any{"source": "agent_mailbox",
		"external_id": "old", "channel": "email", "direction": "inbound", "occurred_at": "2024-01-15T10:00:00+01:00",
		"from": "helene.dupre@example.fr", "subject": "Ancien message"})
	if status != http.StatusOK {
		t.Fatalf("push: %d %v", status, body)
	}
	run, err := app.History.Retain(context.Background(), nil)
	if err != nil || run.Purged["agent_mailbox"]["interactions"] != 1 {
		t.Fatalf("retention: %+v (%v)", run, err)
	}
	resp, err := http.Get(app.Server.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(metrics), `rapport_retention_purged_total{kind="interactions",source="agent_mailbox"} 1`) {
		t.Errorf("/metrics lacks the purged interaction")
	}
}

// settingsFormValues is the settings form as the page fills it with the defaults.
func settingsFormValues() url.Values {
	v := url.Values{
		"rules.min_outbound_call_seconds": {"40"}, "rules.report_window_minutes": {"15"}, "rules.private_keywords": {"Personnel, Perso, Privé, Secret, Intime"},
		"rules.spam_tags": {"SPAM DOUTEUX"}, "rules.notification_categories": {"appointment", "card", "security", "distance_selling"},
		"rules.letter_types": {"OCF = Offre clientèle fragile\nPND = Pli non distribué"},
	}
	for class, days := range map[string][4]string{"agent_mailbox": {"365", "365", "365", "60"}, "shared_mailbox": {"365", "365", "365", "60"},
		"crm_message": {"730", "730", "0", "0"}, "notification": {"365", "365", "0", "0"}, "other": {"730", "730", "730", "730"}} {
		for i, f := range []string{"subject_days", "body_days", "attachments_days", "inline_days"} {
			v.Set("retention."+class+"."+f, days[i])
		}
	}
	return v
}

func TestUIHistoryAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		if status, _ := app.signIn("adv1").get("/admin/history"); status != http.StatusForbidden {
			t.Errorf("advisor opens the history administration: %d", status)
		}
		admin := app.signIn("admin")
		status, page := admin.get("/admin/history")
		if status != http.StatusOK || !strings.Contains(page, "Historique des contacts") || !strings.Contains(page, `href="/admin/history/settings/BR"`) ||
			!strings.Contains(page, "réglages par défaut") || !strings.Contains(page, "Messagerie des conseillers") {
			t.Fatalf("overview: %d", status)
		}
		status, page = admin.get("/admin/history/settings/BR")
		if status != http.StatusOK || !strings.Contains(page, `name="rules.min_outbound_call_seconds" value="40"`) ||
			!strings.Contains(page, `name="retention.agent_mailbox.inline_days" value="60"`) {
			t.Fatalf("settings form: %d", status)
		}
		if status, _ := admin.get("/admin/history/settings/A1"); status != http.StatusNotFound {
			t.Errorf("settings of an agency: %d", status)
		}
		// Refused: the input is kept and the reasons are given in French.
		bad := settingsFormValues()
		bad.Set("rules.min_outbound_call_seconds", "quarante")
		bad.Set("retention.other.body_days", "900")
		status, page, _ = admin.post("/admin/history/settings/BR", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="quarante"`) || !strings.Contains(page, "nombre entier attendu") {
			t.Errorf("a duration that is not a number: %d, input or reason lost", status)
		}
		bad.Set("rules.min_outbound_call_seconds", "60")
		status, page, _ = admin.post("/admin/history/settings/BR", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `name="retention.other.body_days" value="900"`) ||
			!strings.Contains(page, "ne peut pas dépasser la durée de l’objet") || !strings.Contains(page, `value="60"`) {
			t.Errorf("a body kept longer than the subject: %d, input or reason lost", status)
		}
		if !strings.Contains(page, `value="card" checked> Carte`) || strings.Contains(page, "appointment, card") {
			t.Errorf("notification categories are not checkboxes named in French")
		}
		good := settingsFormValues()
		good.Set("rules.min_outbound_call_seconds", "60")
		good["rules.notification_categories"] = []string{"appointment", "security"}
		status, _, loc := admin.post("/admin/history/settings/BR", good)
		if status != http.StatusSeeOther || loc != "/admin/history/settings/BR" {
			t.Fatalf("save: %d → %q", status, loc)
		}
		if _, page = admin.get(loc); !strings.Contains(page, `name="rules.min_outbound_call_seconds" value="60"`) ||
			!strings.Contains(page, "réglages propres") || !strings.Contains(page, "OCF = Offre clientèle fragile") ||
			strings.Contains(page, `value="card" checked`) || !strings.Contains(page, `value="security" checked`) {
			t.Errorf("the saved settings are not shown")
		}
		// Sources: a bad code is explained, the name kept; a good one is listed.
		status, page, _ = admin.post("/admin/history/sources", url.Values{"code": {"Visio!"}, "name": {"Visioconférence"}, "retention": {"crm_message"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="Visioconférence"`) ||
			!strings.Contains(page, "obligatoire : 2 à 40 minuscules, chiffres ou _") {
			t.Errorf("a bad source code: %d, input or reason lost", status)
		}
		status, _, loc = admin.post("/admin/history/sources", url.Values{"code": {"visio"}, "name": {"Visioconférence"}, "retention": {"crm_message"}})
		if status != http.StatusSeeOther || loc != "/admin/history" {
			t.Fatalf("add a source: %d → %q", status, loc)
		}
		if _, page = admin.get(loc); !strings.Contains(page, "Visioconférence") || !strings.Contains(page, "Source ajoutée.") {
			t.Errorf("the added source is not listed")
		}
	})
}
