package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAdministratorsDefineContactTypesClassificationsAndPlansThatAgentsThenUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		kind := map[string]any{"code": "change_address", "establishment_code": "BR", "name": "Changement d'adresse",
			"name_en": "Change of address", "medium": "face_to_face", "classification": "claim", "position": 5,
			"interlocutors": []any{map[string]any{"from": "related", "role": "household"}},
			"agents":        []any{map[string]any{"from": "login", "login": "adv2", "role": "contributor"}},
			"objects":       []any{}}
		saved := app.must(http.StatusOK, "admin", http.MethodPost, "/admin/contact-types", kind)
		if saved["code"] != "change_address" || saved["active"] != true || saved["name_en"] != "Change of address" ||
			len(saved["agents"].([]any)) != 1 {
			t.Errorf("saved %v", saved)
		}
		// Saving the same code again replaces it.
		kind["name"] = "Déménagement"
		app.must(http.StatusOK, "admin", http.MethodPost, "/admin/contact-types", kind)
		listed := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/contact-types?establishment_code=BR", nil)
		if got := field(listed["items"], "code"); !slices.Contains(got, "change_address") || len(got) != 3 {
			t.Errorf("the establishment's contact types %v, want the two seeded and change_address", got)
		}
		picker := app.must(http.StatusOK, "adv1", http.MethodGet, "/contact-types", nil)
		if got := field(picker["items"], "name"); !slices.Contains(got, "Déménagement") {
			t.Errorf("the picker of adv1 shows %v", got)
		}
		contact := app.must(http.StatusCreated, "adv1", http.MethodPost, "/contacts", map[string]any{"type": "change_address",
			"party_id": app.P1.ID})
		if contact["medium"] != "face_to_face" || !slices.Contains(field(contact["agents"], "login"), "adv2") {
			t.Errorf("a contact of the new type %v, want its medium and its fixed agent", contact)
		}

		for _, c := range []struct {
			name, as, path string
			body           map[string]any
			status         int
			field, reason  string
		}{
			{"an advisor", "adv1", "/admin/contact-types", kind, 403, "", ""},
			{"an unknown fixed agent, named flat", "admin", "/admin/contact-types", map[string]any{"code": "x_type",
				"establishment_code": "BR", "name": "X", "agents": []any{map[string]any{"from": "login", "login": "ghost", "role": "emitter"}}},
				422, "agents[0].login", "unknown_agent"},
			{"a code with capitals", "admin", "/admin/contact-types", map[string]any{"code": "Bad Code", "establishment_code": "BR",
				"name": "X"}, 422, "code", "catalogue_code"},
			{"an agency as establishment", "admin", "/admin/contact-types", map[string]any{"code": "x_type",
				"establishment_code": "A1", "name": "X"}, 422, "establishment_code", "unknown_unit_code"},
			{"a step to no status", "admin", "/admin/case-classifications", map[string]any{"code": "dunning",
				"establishment_code": "BR", "name": "Relance", "statuses": []any{map[string]any{"code": "open", "name": "Ouvert"}},
				"steps": []any{map[string]any{"code": "close", "name": "Clore", "to": "closed"}}}, 422, "steps[0].to", "unknown_status"},
			{"a plan without steps", "admin", "/admin/action-plans", map[string]any{"code": "welcome", "establishment_code": "BR",
				"name": "Accueil", "steps": []any{}}, 422, "steps", "at_least_one"},
			{"a plan step in another establishment's unit", "admin", "/admin/action-plans", map[string]any{"code": "welcome",
				"establishment_code": "BR", "name": "Accueil", "steps": []any{map[string]any{"day": 0, "title": "Appeler",
					"assignee": "queue", "unit_code": "ZZ"}}}, 422, "steps[0].unit_code", "unknown_unit_code"},
		} {
			status, raw, body := app.call(c.as, http.MethodPost, c.path, c.body)
			if status != c.status || c.reason != "" && reasonOf(body, c.field) != c.reason {
				t.Errorf("%s: %d %s, want %d with %s %s", c.name, status, raw, c.status, c.field, c.reason)
			}
		}

		cl := app.must(http.StatusOK, "admin", http.MethodPost, "/admin/case-classifications", map[string]any{"code": "dunning",
			"establishment_code": "BR", "name": "Relance", "name_en": "Dunning",
			"statuses": []any{map[string]any{"code": "open", "name": "Ouverte"}, map[string]any{"code": "paid", "name": "Payée", "closed": true}},
			"steps": []any{map[string]any{"code": "pay", "name": "Encaisser", "from": []any{"open"}, "to": "paid",
				"fields": []any{map[string]any{"code": "amount", "label": "Montant", "type": "number", "required": true}}}},
			"agents": []any{map[string]any{"from": "signed_in", "role": "responsible"}}})
		if len(cl["statuses"].([]any)) != 2 || cl["steps"].([]any)[0].(map[string]any)["fields"] == nil {
			t.Errorf("saved classification %v", cl)
		}
		if got := field(app.must(http.StatusOK, "adv1", http.MethodGet, "/admin/case-classifications", nil)["items"], "code"); !slices.Equal(got, []string{"claim", "dunning"}) &&
			!slices.Equal(got, []string{"dunning", "claim"}) {
			t.Errorf("classifications %v", got)
		}
		c := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "dunning",
			"party_id": app.P1.ID, "idempotency_key": "inv-77"})
		if c["status"] != "open" || field(c["next_steps"], "code")[0] != "pay" {
			t.Errorf("a case of the new classification %v", c)
		}
		plan := app.must(http.StatusOK, "admin", http.MethodPost, "/admin/action-plans", map[string]any{"code": "welcome",
			"establishment_code": "BR", "name": "Accueil", "steps": []any{
				map[string]any{"day": 0, "title": "Appeler le client", "kind": "call", "assignee": "case_agent"},
				map[string]any{"day": 2, "title": "Envoyer le formulaire", "assignee": "queue", "unit_code": "A1", "moves_case_to": "paid"}}})
		if plan["active"] != true || len(plan["steps"].([]any)) != 2 {
			t.Errorf("saved plan %v", plan)
		}
		if got := field(app.must(http.StatusOK, "admin", http.MethodGet, "/admin/action-plans", nil)["items"], "code"); !slices.Equal(got, []string{"welcome"}) {
			t.Errorf("plans %v", got)
		}
		if status, _, _ := app.call("viewer", http.MethodGet, "/admin/action-plans", nil); status != http.StatusForbidden {
			t.Errorf("a viewer lists the plans: %d, want 403", status)
		}
	})
}
