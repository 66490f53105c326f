package web_test

import (
	"net/http"
	"testing"
)

// surveyCampaignBody is a valid survey campaign of BR.
func surveyCampaignBody(code string) map[string]any {
	return map[string]any{"establishment_code": "BR", "code": code, "name": "Satisfaction", "active": true,
		"triggers": []any{"call", "request_closed"}, "delay_minutes": 60, "channel": "email", "scale": "0-10",
		"ask_comment": true, "ask_identify": true, "link_days": 30, "texts": map[string]any{
			"fr": map[string]any{"subject": "Votre avis", "intro": "Bonjour,", "question": "Nous recommanderiez-vous ?",
				"thanks": "Merci !", "sms": "Votre avis :"},
			"en": map[string]any{"subject": "Your opinion", "intro": "Hello,", "question": "Would you recommend us?",
				"thanks": "Thanks!", "sms": "Your opinion:"}}}
}

// surveysWriteRoutes creates a campaign and returns the write routes of
// the surveys with a valid body each.
func surveysWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	status, c := app.call("admin", http.MethodPost, "/api/v1/admin/survey-campaigns", surveyCampaignBody("hostile-seed"))
	if status != http.StatusCreated {
		t.Fatalf("create a survey campaign: %d %v", status, c)
	}
	return []writeRoute{
		{method: "POST", pattern: "/admin/survey-campaigns", path: "/admin/survey-campaigns", as: "admin",
			body: surveyCampaignBody("hostile-1")},
		{method: "PUT", pattern: "/admin/survey-campaigns/{id}", path: "/admin/survey-campaigns/" + c["id"].(string),
			as: "admin", body: surveyCampaignBody("hostile-seed")},
		{method: "POST", pattern: "/surveys", path: "/surveys", as: "admin",
			body: map[string]any{"interaction_id": "01900000-0000-7000-8000-000000000000", "campaign": "hostile-seed"}},
	}
}
