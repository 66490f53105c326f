package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

const testProcess = `{"statuses": [{"code": "open", "name": "Ouvert"}, {"code": "review", "name": "En revue"},
  {"code": "closed", "name": "Clôturé", "closed": true}],
 "steps": [{"code": "review", "name": "Revoir", "from": ["open"], "to": "review", "fields": []},
  {"code": "close", "name": "Clôturer", "from": ["review"], "to": "closed", "fields": []}]}`

func TestAnAdministratorDefinesContactTypesClassificationsAndPlansFromTheForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		if status, _, loc := admin.post("/admin/cases/BR/classifications", url.Values{"code": {"claim"},
			"name": {"Réclamation"}, "name_en": {"Claim"}, "position": {"1"}, "process": {testProcess}, "template": {""}}); status != http.StatusSeeOther {
			t.Fatalf("save classification: %d → %s", status, loc)
		}
		if status, page, _ := admin.post("/admin/cases/BR/contact-types", url.Values{"code": {"callback"},
			"name": {"Rappel client"}, "name_en": {""}, "medium": {"phone"}, "reason": {""}, "classification": {"claim"},
			"position": {"0"}, "template": {`{"interlocutors": [{"from": "current_party"}], "agents": [], "objects": []}`}}); status != http.StatusSeeOther {
			t.Fatalf("save contact type: %d %.300s", status, page)
		}
		status, page, _ := admin.post("/admin/cases/BR/plans", url.Values{"code": {"follow_up"}, "name": {"Suivi réclamation"},
			"steps[0].day": {"0"}, "steps[0].title": {"Accuser réception"}, "steps[0].kind": {"call"}, "steps[0].assignee": {"case_agent"},
			"steps[1].day": {""}, "steps[1].title": {""}, "steps[1].kind": {"task"}, "steps[1].assignee": {"case_agent"},
			"steps[2].day": {"3"}, "steps[2].title": {"Relancer"}, "steps[2].kind": {"task"}, "steps[2].assignee": {"queue"},
			"steps[2].unit_code": {"A1"}, "steps[2].moves_case_to": {"review"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save plan: %d %.300s", status, page)
		}
		_, page = admin.get("/admin/cases/BR")
		page = html.UnescapeString(page)
		for _, want := range []string{"Rappel client", "Téléphone", "Réclamation", "Ouvert → En revue → Clôturé", "Suivi réclamation"} {
			if !strings.Contains(page, want) {
				t.Errorf("the establishment's definitions lack %q", want)
			}
		}
		_, page = admin.get("/admin/cases/BR/plans/follow_up")
		page = html.UnescapeString(page)
		if !strings.Contains(page, `name="steps[1].title" value="Relancer"`) || !strings.Contains(page, `name="steps[1].unit_code" value="A1"`) {
			t.Errorf("the plan's second step (the blank row skipped) is not shown as saved")
		}
		if _, page := admin.get("/admin/cases/BR/classifications/claim"); !strings.Contains(html.UnescapeString(page), `"to": "review"`) {
			t.Errorf("the classification's process is not shown for editing")
		}
	})
}

func TestARefusedDefinitionIsShownAgainWithEachFieldsReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		bad := strings.Replace(testProcess, `"to": "closed"`, `"to": "nowhere"`, 1)
		status, page, _ := admin.post("/admin/cases/BR/classifications", url.Values{"code": {"claim"},
			"name": {"Réclamation"}, "position": {"0"}, "process": {bad}, "template": {""}})
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("process with an unknown status: %d", status)
		}
		if !strings.Contains(page, "steps[1].to") || !strings.Contains(page, `"to": "nowhere"`) {
			t.Errorf("the refusal does not name the step's field or the typed process is lost")
		}
		status, page, _ = admin.post("/admin/cases/BR/classifications", url.Values{"code": {"claim"},
			"name": {"Réclamation"}, "position": {"0"}, "process": {`{"statuses": [`}, "template": {""}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(page), "process : ") {
			t.Errorf("broken JSON: %d, reason not shown under the process", status)
		}
		status, page, _ = admin.post("/admin/cases/BR/plans", url.Values{"code": {"follow_up"}, "name": {"Suivi"},
			"steps[0].day": {"999"}, "steps[0].title": {"Relancer"}, "steps[0].kind": {"task"}, "steps[0].assignee": {"case_agent"}})
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="999"`) || !strings.Contains(page, `class="err"`) {
			t.Errorf("a step due in 999 days: %d, the row and its reason not shown again", status)
		}
	})
}

func TestOnlyAnAdministratorOpensTheCasesAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		for _, path := range []string{"/admin/cases", "/admin/cases/BR", "/admin/cases/BR/plans/new"} {
			if status, _ := adv.get(path); status != http.StatusForbidden {
				t.Errorf("advisor opens %s: %d", path, status)
			}
		}
		if status, _, _ := adv.post("/admin/cases/BR/plans", url.Values{"code": {"x1"}, "name": {"X"}}); status != http.StatusForbidden {
			t.Errorf("advisor posts a plan: %d", status)
		}
		admin := app.signIn("admin")
		req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/admin/cases/BR/plans", strings.NewReader(url.Values{
			"code": {"forged"}, "name": {"Forgé"}, "steps[0].day": {"0"}, "steps[0].title": {"X"}, "steps[0].kind": {"task"},
			"steps[0].assignee": {"launcher"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := admin.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, page := admin.get("/admin/cases/BR"); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "forged") {
			t.Errorf("cross-site plan post: %d", resp.StatusCode)
		}
		if status, _ := admin.get("/admin/cases/A1"); status != http.StatusNotFound {
			t.Errorf("an agency as an establishment: %d", status)
		}
		if _, page := admin.get("/admin/units"); !strings.Contains(page, `href="/admin/cases"`) {
			t.Errorf("the administration tabs lack the cases' page")
		}
	})
}
