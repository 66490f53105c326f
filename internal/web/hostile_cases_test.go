package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

// seedCases gives establishment BR a contact type (card_opposition, which
// asks for a card) and a claim classification whose answer step asks for
// a decision and an amount; Hélène Dupré holds a card. It returns the
// card's id.
func seedCases(t *testing.T, app *testApp) string {
	t.Helper()
	ctx := context.Background()
	card, err := app.Parties.CreateContract(ctx, core.System(), party.ContractInput{Number: "CB-0001", Product: "card",
		Status: "active", AgencyCode: "A1", HolderIDs: []string{app.P1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	br, err := app.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := json.Marshal(cases.Template{Objects: []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "card"}}})
	if _, err := app.DB.Exec(ctx, `INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, medium, template,
		created_at, updated_at) VALUES (?, ?, 'card_opposition', 'Opposition carte', 'Card stop', 'phone', ?, 0, 0)`,
		core.NewID(), br.ID, string(tmpl)); err != nil {
		t.Fatal(err)
	}
	process, _ := json.Marshal(cases.Process{
		Statuses: []cases.Status{{Code: "received", NameFR: "Reçue"}, {Code: "analysis", NameFR: "En analyse"},
			{Code: "answered", NameFR: "Répondue", Closed: true}},
		Steps: []cases.Step{{Code: "analyse", NameFR: "Analyser", From: []string{"received"}, To: "analysis"},
			{Code: "answer", NameFR: "Répondre", From: []string{"analysis"}, To: "answered", Fields: []cases.Field{
				{Code: "decision", LabelFR: "Décision", Type: cases.FieldChoice, Required: true, Choices: []string{"accepted", "refused"}},
				{Code: "amount", LabelFR: "Montant", Type: cases.FieldNumber},
				{Code: "comment", LabelFR: "Commentaire", Type: cases.FieldText, Max: 200}}}}})
	if _, err := app.DB.Exec(ctx, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process,
		created_at, updated_at) VALUES (?, ?, 'claim', 'Réclamation', 'Claim', ?, 0, 0)`, core.NewID(), br.ID, string(process)); err != nil {
		t.Fatal(err)
	}
	return card.ID
}

// casesWriteRoutes seeds a contact and a case in analysis and returns the
// write routes of contacts and cases with a valid body each.
func casesWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	card := seedCases(t, app)
	must := func(want int, method, path string, body any) map[string]any {
		t.Helper()
		as := "adv1"
		if strings.HasPrefix(path, "/admin/") {
			as = "admin"
		}
		status, out := app.call(as, method, "/api/v1"+path, body)
		if status != want {
			t.Fatalf("%s %s: %d %v", method, path, status, out)
		}
		return out
	}
	contact := map[string]any{"type": "card_opposition", "party_id": app.P1.ID, "contract_id": card, "medium": "phone",
		"direction": "inbound", "reason": "", "comment": "Carte perdue", "unit_code": "A1", "interlocutors": []any{app.P1.ID},
		"agents":  []any{map[string]any{"login": "adv1", "role": "contributor"}},
		"objects": []any{map[string]any{"kind": "dossier", "id": "EXT-1", "label": "Dossier externe"}}}
	k := must(http.StatusCreated, http.MethodPost, "/contacts", contact)["id"].(string)
	open := map[string]any{"classification": "claim", "party_id": app.P1.ID, "contract_id": card, "unit_code": "A1",
		"idempotency_key": "dunning-1", "title": "Relance", "interlocutors": []any{app.P1.ID},
		"agents":  []any{map[string]any{"login": "adv1", "role": "responsible"}},
		"objects": []any{map[string]any{"kind": "dossier", "id": "EXT-1", "label": "Dossier externe"}}}
	c := must(http.StatusCreated, http.MethodPost, "/cases", open)["id"].(string)
	must(http.StatusOK, http.MethodPost, "/cases/"+c+"/steps", map[string]any{"step": "analyse"})
	open["idempotency_key"] = "dunning-2" // the poisoned calls never reach the key's lookup
	contactType := map[string]any{"code": "change_address", "establishment_code": "BR", "name": "Changement d'adresse",
		"name_en": "Change of address", "medium": "phone", "reason": "", "classification": "claim", "position": 3,
		"interlocutors": []any{map[string]any{"from": "party", "party_id": app.P1.ID, "role": "household"}},
		"agents":        []any{map[string]any{"from": "login", "login": "adv1", "role": "contributor"}},
		"objects":       []any{map[string]any{"kind": "contract", "product": "card", "required": true}}}
	classification := map[string]any{"code": "dunning", "establishment_code": "BR", "name": "Relance", "name_en": "Dunning",
		"position": 2, "statuses": []any{map[string]any{"code": "open", "name": "Ouverte", "name_en": "Open"},
			map[string]any{"code": "paid", "name": "Payée", "closed": true}},
		"steps": []any{map[string]any{"code": "pay", "name": "Encaisser", "name_en": "Cash", "from": []any{"open"}, "to": "paid",
			"fields": []any{map[string]any{"code": "amount", "label": "Montant", "label_en": "Amount", "type": "choice",
				"choices": []any{"full", "part"}, "max": 100}},
			"document_template": map[string]any{"kind": "letter", "subject": "Relance {{case.reference}}", "body": "Madame, Monsieur"}}},
		"agents": []any{map[string]any{"from": "signed_in", "role": "responsible"}}}
	plan := map[string]any{"code": "follow_up", "establishment_code": "BR", "name": "Suivi", "name_en": "Follow-up",
		"steps": []any{map[string]any{"day": 2, "title": "Vérifier", "description": "Les pièces", "kind": "call",
			"assignee": "queue", "unit_code": "A1", "moves_case_to": "analysis"}}}
	must(http.StatusOK, http.MethodPost, "/admin/action-plans", plan)
	run := must(http.StatusCreated, http.MethodPost, "/action-plans/follow_up/launch", map[string]any{"case_id": c})
	task := run["tasks"].([]any)[0].(map[string]any)["id"].(string)
	newTask := map[string]any{"kind": "call", "title": "Rappeler", "description": "Sa carte", "due_on": "2026-11-24",
		"assignee": "adv1", "priority": "high", "party_id": app.P1.ID, "case_id": c, "unit_code": "A1"}
	return []writeRoute{
		{method: "POST", pattern: "/admin/contact-types", path: "/admin/contact-types", as: "admin", body: contactType},
		{method: "POST", pattern: "/admin/case-classifications", path: "/admin/case-classifications", as: "admin", body: classification},
		{method: "POST", pattern: "/admin/action-plans", path: "/admin/action-plans", as: "admin", body: plan},
		{method: "POST", pattern: "/action-plans/{code}/launch", path: "/action-plans/follow_up/launch", as: "adv1",
			body: map[string]any{"case_id": c}},
		{method: "POST", pattern: "/plan-runs/{id}/cancel", path: "/plan-runs/" + run["id"].(string) + "/cancel", as: "adv1",
			body: map[string]any{}},
		{method: "POST", pattern: "/tasks", path: "/tasks", as: "adv1", body: newTask},
		{method: "PATCH", pattern: "/tasks/{id}", path: "/tasks/" + task, as: "adv1", body: map[string]any{"assignee": "adv1",
			"due_on": "2026-11-30", "priority": "medium", "title": "Vérifier les pièces"}},
		{method: "POST", pattern: "/tasks/{id}/complete", path: "/tasks/" + task + "/complete", as: "adv1", body: map[string]any{}},
		{method: "POST", pattern: "/tasks/{id}/take", path: "/tasks/" + task + "/take", as: "adv1", body: map[string]any{}},
		{method: "POST", pattern: "/tasks/{id}/cancel", path: "/tasks/" + task + "/cancel", as: "adv1", body: map[string]any{}},
		{method: "POST", pattern: "/board/move", path: "/board/move", as: "adv1",
			body: map[string]any{"kind": "cases", "id": c, "status": "received"}},
		{method: "POST", pattern: "/contacts", path: "/contacts", as: "adv1", body: contact},
		{method: "POST", pattern: "/contacts/{id}/case", path: "/contacts/" + k + "/case", as: "adv1",
			body: map[string]any{"classification": "claim"}},
		{method: "POST", pattern: "/contacts/{id}/move", path: "/contacts/" + k + "/move", as: "adv1",
			body: map[string]any{"case_id": c}},
		{method: "POST", pattern: "/cases", path: "/cases", as: "adv1", body: open},
		{method: "POST", pattern: "/cases/{id}/steps", path: "/cases/" + c + "/steps", as: "adv1",
			body: map[string]any{"step": "answer", "fields": map[string]any{"decision": "accepted", "amount": "12.50",
				"comment": "Remboursé"}}},
		{method: "POST", pattern: "/cases/{id}/notes", path: "/cases/" + c + "/notes", as: "adv1",
			body: map[string]any{"title": "Appel", "body": "La cliente rappellera."}},
		{method: "POST", pattern: "/cases/{id}/documents", path: "/cases/" + c + "/documents", as: "adv1",
			body: map[string]any{"name": "releve.txt", "content_type": "text/plain", "content_base64": "Ym9uam91cg=="}},
	}
}
