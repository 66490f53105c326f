package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAnAgentChoosesTheirLeadAlertsOnTheirProfile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		status, page := adv.get("/profile")
		if status != http.StatusOK || !strings.Contains(page, `name="popup" checked`) || !strings.Contains(page, `name="flash" checked`) ||
			strings.Contains(page, `name="sound" checked`) {
			t.Fatalf("profile %d, the defaults (pop-up and flash) not shown:\n%s", status, page)
		}
		status, page, _ = adv.post("/profile/lead-alerts", url.Values{"sound": {"on"}, "sms": {"on"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "mobile") || !strings.Contains(page, `name="sms" checked`) {
			t.Errorf("an SMS without a mobile: %d\n%s", status, page)
		}
		admin := app.signIn("admin")
		if status, page, _ := admin.post("/admin/agents/adv1/lead-alerts", url.Values{"forward_email": {"pas-une-adresse"},
			"mobile": {"06 12 34 56 78"}}); status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="pas-une-adresse"`) {
			t.Errorf("a wrong forward address: %d", status)
		}
		if status, _, _ := admin.post("/admin/agents/adv1/lead-alerts", url.Values{"forward_email": {"hugo@example.fr"},
			"mobile": {"06 12 34 56 78"}}); status != http.StatusSeeOther {
			t.Fatalf("set adv1's contacts: %d", status)
		}
		if _, page := admin.get("/admin/agents/adv1"); !strings.Contains(page, `33612345678"`) ||
			!strings.Contains(page, `value="hugo@example.fr"`) {
			t.Errorf("the agent's page does not show the contacts")
		}
		if status, _, loc := adv.post("/profile/lead-alerts", url.Values{"sound": {"on"}, "sms": {"on"}, "email": {"on"}}); status != http.StatusSeeOther || loc != "/profile" {
			t.Fatalf("save: %d %s", status, loc)
		}
		_, page = adv.get("/profile")
		for _, want := range []string{`name="sound" checked`, `name="sms" checked`, `name="email" checked`, "hugo@example.fr", "33612345678"} {
			if !strings.Contains(page, want) {
				t.Errorf("the profile lacks %s", want)
			}
		}
		if strings.Contains(page, `name="popup" checked`) {
			t.Errorf("the pop-up was unticked")
		}
		status, body := app.call("adv1", http.MethodGet, "/api/v1/me/lead-alerts", nil)
		if status != http.StatusOK || body["sound"] != true || body["popup"] != false || body["email_to"] != "hugo@example.fr" {
			t.Errorf("API: %d %v", status, body)
		}
	})
}

func TestEveryPageOfAnAgentWhoReceivesLeadsListensForAlerts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		_, page := app.signIn("adv1").get("/")
		if !strings.Contains(page, `data-lead-alerts`) || !strings.Contains(page, `/static/lead-alerts.js`) ||
			!strings.Contains(page, `data-open="Ouvrir la piste"`) {
			t.Errorf("the advisor's home page has no lead alerts")
		}
		_, page = app.signIn("viewer").get("/")
		if strings.Contains(page, `data-lead-alerts`) || strings.Contains(page, `lead-alerts.js`) {
			t.Errorf("a viewer, who receives no leads, listens for them")
		}
	})
}

func TestAnAdministratorSetsTheSMSGatewayWithoutEverSeeingItsPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		if status, page := admin.get("/admin/sms-gateways"); status != http.StatusOK || !strings.Contains(page, "/admin/sms-gateways/BR") ||
			strings.Contains(page, "/admin/sms-gateways/A1") {
			t.Fatalf("list: %d", status)
		}
		status, page, _ := admin.post("/admin/sms-gateways/BR", url.Values{"url": {"https://sms.example.test/send"},
			"password": {"tr3s-secret"}, "body_template": {`{"to": {{to}}}`}, "active": {"on"}})
		if status != http.StatusUnprocessableEntity || strings.Contains(page, "tr3s-secret") || !strings.Contains(page, "un corps JSON avec {{to}} et {{text}}") {
			t.Errorf("a template without text: %d", status)
		}
		status, _, _ = admin.post("/admin/sms-gateways/BR", url.Values{"url": {"https://sms.example.test/send"}, "username": {"rapport"},
			"password": {"tr3s-secret"}, "sender": {"BANQUE"}, "body_template": {`{"to": "{{to}}", "text": "{{text}}"}`}, "active": {"on"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		_, page = admin.get("/admin/sms-gateways/BR")
		if strings.Contains(page, "tr3s-secret") || !strings.Contains(page, "sms.example.test") || !strings.Contains(page, `/admin/sms-gateways/BR/test`) {
			t.Errorf("the gateway's page:\n%s", page)
		}
		status, body := app.call("admin", http.MethodGet, "/api/v1/admin/sms-gateways/BR", nil)
		if status != http.StatusOK || body["has_password"] != true || body["password"] != nil || body["sender"] != "BANQUE" {
			t.Errorf("API: %d %v", status, body)
		}
		if status, _ := app.call("adv1", http.MethodGet, "/api/v1/admin/sms-gateways/BR", nil); status != http.StatusForbidden {
			t.Errorf("an advisor reads the gateway: %d", status)
		}
	})
}
