package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// surveyCampaign is a valid campaign body of BR.
func surveyCampaign(code, scale string, triggers ...any) map[string]any {
	return map[string]any{"establishment_code": "BR", "code": code, "name": "Satisfaction " + code, "active": true,
		"triggers": triggers, "delay_minutes": 60, "channel": "email", "scale": scale, "ask_comment": true,
		"ask_identify": true, "link_days": 30, "texts": map[string]any{
			"fr": map[string]any{"subject": "Votre avis", "intro": "Bonjour,", "question": "Êtes-vous satisfait ?",
				"thanks": "Merci !", "sms": "Votre avis :"},
			"en": map[string]any{"subject": "Your opinion", "intro": "Hello,", "question": "Are you satisfied?",
				"thanks": "Thanks!", "sms": "Your opinion:"}}}
}

func TestSurveyCampaignsAreCreatedReadAndReplacedByTheirAdministrator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		c := app.must(http.StatusCreated, "admin", http.MethodPost, "/admin/survey-campaigns", surveyCampaign("calls", "1-5", "call"))
		if c["establishment_code"] != "BR" || c["code"] != "calls" || c["link_days"] != float64(30) {
			t.Fatalf("created %v", c)
		}
		id := c["id"].(string)
		status, _, body := app.call("admin", http.MethodPost, "/admin/survey-campaigns", surveyCampaign("calls", "1-5", "call"))
		if status != http.StatusUnprocessableEntity || reasonOf(body, "code") != "taken" {
			t.Fatalf("the same code again: %d %v", status, body)
		}
		bad := surveyCampaign("x", "1-7", "phone")
		bad["delay_minutes"] = 20000
		status, _, body = app.call("admin", http.MethodPost, "/admin/survey-campaigns", bad)
		if status != http.StatusUnprocessableEntity || reasonOf(body, "scale") != "one_of" ||
			reasonOf(body, "triggers[0]") != "one_of" || reasonOf(body, "delay_minutes") != "out_of_range" {
			t.Fatalf("invalid: %d %v", status, body)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/admin/survey-campaigns", surveyCampaign("y", "1-5", "call")); status != http.StatusForbidden {
			t.Fatalf("an advisor: %d", status)
		}
		upd := surveyCampaign("calls", "0-10", "call", "meeting")
		upd["active"] = false
		got := app.must(http.StatusOK, "admin", http.MethodPut, "/admin/survey-campaigns/"+id, upd)
		if got["scale"] != "0-10" || got["active"] != false || len(got["triggers"].([]any)) != 2 {
			t.Fatalf("updated %v", got)
		}
		one := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/survey-campaigns/"+id, nil)
		if one["scale"] != "0-10" {
			t.Fatalf("read %v", one)
		}
		list := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/survey-campaigns", nil)
		if len(list["campaigns"].([]any)) != 1 {
			t.Fatalf("list %v", list)
		}
		app.must(http.StatusNotFound, "admin", http.MethodGet, "/admin/survey-campaigns/01900000-0000-7000-8000-000000000000", nil)
		var n int
		if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action LIKE 'survey_campaign.%'", id).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d audit entries, want 2 (%v)", n, err)
		}
	})
}

func TestAnIntegrationAsksASurveyOnceAndReadsItOnTheParty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		app.must(http.StatusCreated, "admin", http.MethodPost, "/admin/survey-campaigns", surveyCampaign("nps", "0-10", "request_closed"))
		if _, err := d.Exec(t.Context(), "UPDATE parties SET consent_email = ? WHERE id = ?", true, app.P1.ID); err != nil {
			t.Fatal(err)
		}
		pushed := app.must(http.StatusOK, "admin", http.MethodPost, "/interactions", map[string]any{"source": "telephony",
			"external_id": "call-1", "channel": "phone", "direction": "inbound", "outcome": "answered",
			"occurred_at": "2026-11-23T08:00:00Z", "agent": "adv1", "party_id": app.P1.ID})
		iid := pushed["items"].([]any)[0].(map[string]any)["interaction_id"].(string)
		first := app.must(http.StatusCreated, "admin", http.MethodPost, "/surveys", map[string]any{"interaction_id": iid, "campaign": "nps"})
		if first["status"] != "scheduled" || first["reason"] != nil {
			t.Fatalf("first %v", first)
		}
		again := app.must(http.StatusOK, "admin", http.MethodPost, "/surveys", map[string]any{"interaction_id": iid, "campaign": "nps"})
		if again["id"] != first["id"] {
			t.Fatalf("again %v, want %v", again, first)
		}
		status, _, body := app.call("admin", http.MethodPost, "/surveys", map[string]any{"interaction_id": iid, "campaign": "nope"})
		if status != http.StatusUnprocessableEntity || reasonOf(body, "campaign") != "unknown_campaign" {
			t.Fatalf("unknown campaign: %d %v", status, body)
		}
		list := app.must(http.StatusOK, "adv1", http.MethodGet, "/surveys?party_id="+app.P1.ID, nil)
		items := list["surveys"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["interaction_id"] != iid || items[0].(map[string]any)["answer"] != nil {
			t.Fatalf("party surveys %v", list)
		}
		app.must(http.StatusNotFound, "adv2", http.MethodGet, "/surveys?party_id="+app.P1.ID, nil)
	})
}

func TestAClosedDeskRequestSchedulesTheCampaignsSurvey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		app.must(http.StatusCreated, "admin", http.MethodPost, "/admin/survey-campaigns", surveyCampaign("nps", "0-10", "request_closed"))
		r := app.newRequest("Carte bloquée")
		app.must(http.StatusOK, "adv1", http.MethodPatch, "/requests/"+r["id"].(string),
			map[string]any{"party_id": app.P1.ID, "status": "closed"})
		list := app.must(http.StatusOK, "adv1", http.MethodGet, "/surveys?party_id="+app.P1.ID, nil)
		items := list["surveys"].([]any)
		if len(items) != 1 {
			t.Fatalf("surveys %v", list)
		}
		s := items[0].(map[string]any)
		if s["request_id"] != r["id"] || s["status"] != "skipped" || s["reason"] != "no_consent" {
			t.Fatalf("survey %v", s)
		}
	})
}

func TestSurveyResultsComeAsJSONOrCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		st := app.must(http.StatusOK, "admin", http.MethodGet, "/stats/surveys?from=2026-11-01&to=2026-11-30&group_by=agent", nil)
		if st["group_by"] != "agent" || st["total"].(map[string]any)["average_score"] != nil {
			t.Fatalf("stats %v", st)
		}
		for _, path := range []string{"/stats/surveys.csv?from=2026-11-01", "/stats/surveys?format=csv"} {
			req, _ := http.NewRequest(http.MethodGet, app.Server.URL+"/api/v1"+path, nil)
			req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
				!strings.HasPrefix(string(raw), "key,label,sent,skipped,skipped_recent,answered") {
				t.Fatalf("%s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
			}
		}
		status, _, body := app.call("admin", http.MethodGet, "/stats/surveys?from=2026-13-01", nil)
		if status != http.StatusUnprocessableEntity || reasonOf(body, "from") != "date" {
			t.Fatalf("bad date: %d %v", status, body)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/stats/surveys", nil); status != http.StatusForbidden {
			t.Fatalf("an advisor: %d", status)
		}
	})
}
