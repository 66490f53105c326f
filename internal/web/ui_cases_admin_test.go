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

// processForm is the process form's rows: open → review → closed, the
// closing step asking for its outcome; extra pairs set or replace fields.
func processForm(extra ...string) url.Values {
	v := url.Values{"code": {"claim"}, "name": {"Réclamation"}, "name_en": {"Claim"}, "position": {"1"}, "template": {""},
		"statuses[0].code": {"open"}, "statuses[0].name": {"Ouvert"}, "statuses[0].name_en": {""},
		"statuses[1].code": {""}, "statuses[1].name": {""}, "statuses[1].name_en": {""},
		"statuses[2].code": {"review"}, "statuses[2].name": {"En revue"}, "statuses[2].name_en": {""},
		"statuses[3].code": {"closed"}, "statuses[3].name": {"Clôturé"}, "statuses[3].name_en": {""}, "statuses[3].closed": {"on"},
		"steps[0].code": {"review"}, "steps[0].name": {"Revoir"}, "steps[0].name_en": {""}, "steps[0].from": {"open"},
		"steps[0].to": {"review"}, "steps[0].fields": {""}, "steps[0].document_kind": {""},
		"steps[1].code": {"close"}, "steps[1].name": {"Clôturer"}, "steps[1].name_en": {""}, "steps[1].from": {"review"},
		"steps[1].to": {"closed"}, "steps[1].fields": {`[{"code": "outcome", "label": "Issue", "type": "text", "required": true}]`},
		"steps[1].document_kind": {"letter"}, "steps[1].document_subject": {"Votre réclamation {{case.reference}}"},
		"steps[1].document_body": {"Madame, Monsieur, …"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func TestAnAdministratorDefinesContactTypesClassificationsAndPlansFromTheForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		if status, page, _ := admin.post("/admin/cases/BR/classifications", processForm()); status != http.StatusSeeOther {
			t.Fatalf("save classification: %d %.500s", status, page)
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
		_, page = admin.get("/admin/cases/BR/classifications/claim")
		page = html.UnescapeString(page)
		for _, want := range []string{`name="statuses[1].code" value="review"`, `name="statuses[2].closed" checked`,
			`name="steps[1].to" value="closed"`, `"code": "outcome"`, `<option value="letter" selected>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the classification's form lacks %s (the blank status row skipped)", want)
			}
		}
	})
}

func TestARefusedDefinitionIsShownAgainWithEachFieldsReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		status, page, _ := admin.post("/admin/cases/BR/classifications", processForm("steps[1].to", "nowhere",
			"steps[0].fields", `[{"code": "x", "label": "X", "type": "colour"}]`))
		page = html.UnescapeString(page)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("process with an unknown status: %d", status)
		}
		if !strings.Contains(page, `name="steps[1].to" value="nowhere"`) || !strings.Contains(page, "steps[0].fields[0].type") {
			t.Errorf("the refusal does not keep the typed rows or name the step's field")
		}
		if i := strings.Index(page, `name="steps[1].to"`); i < 0 || !strings.Contains(page[i:i+300], `class="err"`) {
			t.Errorf("the unknown status has no reason beside its field")
		}
		status, page, _ = admin.post("/admin/cases/BR/classifications", processForm("steps[1].fields", `[{"code": `))
		if status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(page), "steps[1].fields : ") {
			t.Errorf("broken JSON: %d, reason not shown under the step's fields", status)
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
