package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// casesApp is the desk's test application with Hélène Dupré's card held
// with Marc Dupré, her advisor adv1, two contact types and the claim
// classification of establishment BR.
type casesApp struct {
	*deskApp
	CoHolder party.Party
	Card     party.Contract
}

// claimProcess: received → analysis → answered (closed); answering asks
// for a decision.
var claimProcess = cases.Process{
	Statuses: []cases.Status{{Code: "received", NameFR: "Reçue", NameEN: "Received"},
		{Code: "analysis", NameFR: "En analyse", NameEN: "Under analysis"},
		{Code: "answered", NameFR: "Répondue", NameEN: "Answered", Closed: true}},
	Steps: []cases.Step{
		{Code: "analyse", NameFR: "Analyser", NameEN: "Analyse", From: []string{"received"}, To: "analysis"},
		{Code: "answer", NameFR: "Répondre", NameEN: "Answer", From: []string{"analysis"}, To: "answered",
			Fields: []cases.Field{
				{Code: "decision", LabelFR: "Décision", LabelEN: "Decision", Type: cases.FieldChoice, Required: true,
					Choices: []string{"accepted", "refused"}},
				{Code: "amount", LabelFR: "Montant", LabelEN: "Amount", Type: cases.FieldNumber}}},
	},
}

func newCasesApp(t *testing.T, d *db.DB) *casesApp {
	t.Helper()
	app := &casesApp{deskApp: newDeskApp(t, d)}
	ctx, sys := context.Background(), core.System()
	var err error
	if app.CoHolder, err = app.Parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "1000000003",
		FirstName: "Marc", LastName: "Dupré", AgencyCode: "A1"}); err != nil {
		t.Fatal(err)
	}
	if app.Card, err = app.Parties.CreateContract(ctx, sys, party.ContractInput{Number: "CB-0001", Product: "card",
		Status: "active", AgencyCode: "A1", HolderIDs: []string{app.P1.ID, app.CoHolder.ID}}); err != nil {
		t.Fatal(err)
	}
	adv1 := "adv1"
	if _, err := app.Parties.Update(ctx, sys, app.P1.ID, party.Patch{AdvisorLogin: &adv1}); err != nil {
		t.Fatal(err)
	}
	br, err := app.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []struct {
		code, name string
		tmpl       cases.Template
	}{
		{"card_opposition", "Opposition carte", cases.Template{
			Interlocutors: []cases.TemplateParty{{From: cases.FromContractHolders, Role: "co-holder"}},
			Agents:        []cases.TemplateAgent{{From: cases.FromPartyAdvisor, Role: cases.RoleResponsible}},
			Objects:       []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "card", Required: true}}}},
		{"information", "Demande d'information", cases.Template{}},
	} {
		raw, _ := json.Marshal(ct.tmpl)
		if _, err := d.Exec(ctx, `INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, medium, template,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'phone', ?, 0, 0)`, core.NewID(), br.ID, ct.code, ct.name, ct.name,
			string(raw)); err != nil {
			t.Fatal(err)
		}
	}
	rawP, _ := json.Marshal(claimProcess)
	rawT, _ := json.Marshal(cases.Template{Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleResponsible}}})
	if _, err := d.Exec(ctx, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process, template,
		created_at, updated_at) VALUES (?, ?, 'claim', 'Réclamation', 'Claim', ?, ?, 0, 0)`, core.NewID(), br.ID,
		string(rawP), string(rawT)); err != nil {
		t.Fatal(err)
	}
	return app
}

// contact traces a contact of type typ with Hélène Dupré as adv1.
func (a *casesApp) contact(typ string) map[string]any {
	a.t.Helper()
	return a.must(http.StatusCreated, "adv1", http.MethodPost, "/contacts", map[string]any{"type": typ, "party_id": a.P1.ID,
		"comment": "Appel de la cliente"})
}

// openCase opens a claim for Hélène Dupré in A1 as adv1.
func (a *casesApp) openCase(key string) map[string]any {
	a.t.Helper()
	want := http.StatusCreated
	return a.must(want, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "claim", "party_id": a.P1.ID,
		"unit_code": "A1", "idempotency_key": key})
}

// field returns the values of key of each object of list.
func field(list any, key string) []string {
	var out []string
	for _, x := range list.([]any) {
		v, _ := x.(map[string]any)[key].(string)
		out = append(out, v)
	}
	return out
}

// keysOf returns the sorted keys of m.
func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// reasonOf returns the reason code the error answer gives for field.
func reasonOf(body map[string]any, field string) string {
	e, _ := body["error"].(map[string]any)
	reasons, _ := e["reasons"].(map[string]any)
	r, _ := reasons[field].(map[string]any)
	code, _ := r["code"].(string)
	return code
}

// rawGet reads path as the agent without checking the answer against the
// document, and decodes it.
func (a *casesApp) rawGet(as, path string) map[string]any {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.Server.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return out
}

// tick advances the application's clock by a minute.
func (a *casesApp) tick() { a.App.App.Clock.(*core.FixedClock).Advance(time.Minute) }
