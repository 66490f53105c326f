package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

func TestFormsAndTemplatesAreAdministeredThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		status, form := app.call("admin", http.MethodPost, "/api/v1/admin/forms", map[string]any{"code": "contact", "unit_code": "A1",
			"name": "Nous contacter", "confirmation": "Merci.", "fields": []string{"phone"}})
		if status != http.StatusCreated || form["unit_name"] != "Paris Opéra" || form["active"] != true {
			t.Fatalf("create form: %d %v", status, form)
		}
		status, again := app.call("admin", http.MethodPost, "/api/v1/admin/forms", map[string]any{"code": "contact", "unit_code": "A1",
			"name": "x", "confirmation": "y"})
		if status != http.StatusUnprocessableEntity && status != http.StatusConflict || !strings.Contains(strings.ToLower(again["error"].(map[string]any)["message"].(string)), "taken") {
			t.Errorf("same code again: %d %v", status, again)
		}
		if status, _ := app.call("adv1", http.MethodPost, "/api/v1/admin/forms", map[string]any{"code": "autre", "unit_code": "A1",
			"name": "x", "confirmation": "y"}); status != http.StatusForbidden {
			t.Errorf("an advisor created a form: %d", status)
		}
		status, list := app.call("admin", http.MethodGet, "/api/v1/admin/forms", nil)
		if status != http.StatusOK || len(list["items"].([]any)) != 1 {
			t.Errorf("list forms: %d %v", status, list)
		}

		status, tpl := app.call("admin", http.MethodPost, "/api/v1/admin/templates", map[string]any{"name": "Accusé",
			"body": "<p>Bonjour {{customer_name}}, {{agent_name}} suit {{reference}}.</p>"})
		if status != http.StatusCreated || tpl["establishment_code"] != "BR" {
			t.Fatalf("create template: %d %v", status, tpl)
		}
		id := tpl["id"].(string)
		status, tpl = app.call("admin", http.MethodPut, "/api/v1/admin/templates/"+id, map[string]any{"establishment_code": "BR",
			"name": "Accusé de lecture", "body": tpl["body"], "position": 3})
		if status != http.StatusOK || tpl["name"] != "Accusé de lecture" {
			t.Errorf("update template: %d %v", status, tpl)
		}
		status, list = app.call("admin", http.MethodGet, "/api/v1/admin/templates?establishment_code=BR", nil)
		if status != http.StatusOK || len(list["items"].([]any)) != 1 {
			t.Errorf("list templates: %d %v", status, list)
		}

		resp, body := app.postForm("/forms/contact", customer(), nil, map[string]string{"Accept": "application/json"})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"ok":true`) {
			t.Fatalf("submit: %d %s", resp.StatusCode, body)
		}
		page, err := app.App.App.Desk.List(context.Background(), core.System(), desk.Filter{View: "all"})
		if err != nil || len(page.Requests) != 1 {
			t.Fatalf("requests: %v %v", page, err)
		}
		status, out := app.call("adv1", http.MethodGet, "/api/v1/requests/"+page.Requests[0].ID+"/templates/"+id+"/render", nil)
		if status != http.StatusOK || out["body"] != "<p>Bonjour Jean Martin, Hugo Conseiller suit "+page.Requests[0].Reference+".</p>" {
			t.Errorf("render: %d %v", status, out)
		}
		if status, _ := app.call("admin", http.MethodDelete, "/api/v1/admin/templates/"+id, nil); status != http.StatusNoContent {
			t.Errorf("delete: %d", status)
		}
		if status, _ := app.call("admin", http.MethodDelete, "/api/v1/admin/templates/"+id, nil); status != http.StatusNotFound {
			t.Errorf("delete twice: %d", status)
		}
	})
}
