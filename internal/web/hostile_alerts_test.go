package web_test

import (
	"testing"
)

// alertsWriteRoutes returns the lead alerts' write routes with a valid
// body each: the agent's choices, an agent's contacts, the SMS gateway
// and its test.
func alertsWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	gateway := map[string]any{"url": "https://sms.example.test/send", "username": "rapport", "password": "s3cret",
		"sender": "BANQUE", "body_template": `{"to": "{{to}}", "text": "{{text}}"}`, "active": true}
	if status, body := app.call("admin", "PUT", "/api/v1/admin/sms-gateways/BR", gateway); status != 200 {
		t.Fatalf("save the gateway: %d %v", status, body)
	}
	return []writeRoute{
		{method: "PUT", pattern: "/me/lead-alerts", path: "/me/lead-alerts", as: "adv1",
			body: map[string]any{"popup": true, "sound": true, "flash": false, "email": false, "sms": false}},
		{method: "PUT", pattern: "/admin/agents/{login}/lead-alerts", path: "/admin/agents/adv1/lead-alerts", as: "admin",
			body: map[string]any{"forward_email": "hugo@example.fr", "mobile": "06 12 34 56 78"}},
		{method: "PUT", pattern: "/admin/sms-gateways/{establishment_code}", path: "/admin/sms-gateways/BR", as: "admin", body: gateway},
		{method: "POST", pattern: "/admin/sms-gateways/{establishment_code}/test", path: "/admin/sms-gateways/BR/test", as: "admin",
			body: map[string]any{"to": "06 12 34 56 78", "text": "Bonjour"}},
	}
}
