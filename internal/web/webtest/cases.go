package webtest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

// CaseSetup is what SeedCases adds to the test organisation for the
// contact and case pages.
type CaseSetup struct {
	CoHolder party.Party    // Marc Dupré, who holds Hélène Dupré's card with her
	Card     party.Contract // CB-0001, a card (the one card_opposition offers)
	Savings  party.Contract // LA-0001, a savings account (Hélène's alone)
}

// ClaimProcess is the claim classification's process: received →
// analysis (the "analyse" step asks for an amount, a decision date, an
// answer channel, an urgency and a comment) → answered (closed).
var ClaimProcess = cases.Process{
	Statuses: []cases.Status{{Code: "received", NameFR: "Reçue", NameEN: "Received"},
		{Code: "analysis", NameFR: "En analyse", NameEN: "Under analysis"},
		{Code: "answered", NameFR: "Répondue", NameEN: "Answered", Closed: true}},
	Steps: []cases.Step{
		{Code: "analyse", NameFR: "Analyser", NameEN: "Analyse", From: []string{"received"}, To: "analysis",
			Fields: []cases.Field{
				{Code: "amount", LabelFR: "Montant contesté", LabelEN: "Disputed amount", Type: cases.FieldNumber, Required: true},
				{Code: "decided_on", LabelFR: "Date de décision", LabelEN: "Decision date", Type: cases.FieldDate},
				{Code: "channel", LabelFR: "Canal de réponse", LabelEN: "Answer channel", Type: cases.FieldChoice, Choices: []string{"letter", "email"}},
				{Code: "urgent", LabelFR: "Urgent", LabelEN: "Urgent", Type: cases.FieldBoolean},
				{Code: "summary", LabelFR: "Synthèse", LabelEN: "Summary", Type: cases.FieldText}}},
		{Code: "answer", NameFR: "Répondre", NameEN: "Answer", From: []string{"analysis"}, To: "answered"}},
}

// SeedCases gives Hélène Dupré (P1) a card she holds with Marc Dupré and a
// savings account, makes adv1 her advisor, and gives establishment BR the
// contact types card_opposition (its template: the card, its holders, the
// advisor responsible; it proposes the claim classification) and
// information, the claim classification and the callback action plan
// (a call the same day, a check two business days later).
func SeedCases(t testing.TB, app *App) CaseSetup {
	t.Helper()
	ctx := context.Background()
	sys := core.System()
	var s CaseSetup
	var err error
	if s.CoHolder, err = app.Parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "1000000003",
		FirstName: "Marc", LastName: "Dupré", AgencyCode: "A1"}); err != nil {
		t.Fatal(err)
	}
	if s.Card, err = app.Parties.CreateContract(ctx, sys, party.ContractInput{Number: "CB-0001", Product: "card", Status: "active",
		AgencyCode: "A1", HolderIDs: []string{app.P1.ID, s.CoHolder.ID}}); err != nil {
		t.Fatal(err)
	}
	if s.Savings, err = app.Parties.CreateContract(ctx, sys, party.ContractInput{Number: "LA-0001", Product: "savings", Status: "active",
		AgencyCode: "A1", HolderIDs: []string{app.P1.ID}}); err != nil {
		t.Fatal(err)
	}
	advisor := "adv1"
	if _, err := app.Parties.Update(ctx, sys, app.P1.ID, party.Patch{AdvisorLogin: &advisor}); err != nil {
		t.Fatal(err)
	}
	br, err := app.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	insert := func(query string, args ...any) {
		if _, err := app.DB.Exec(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	js := func(v any) string { raw, _ := json.Marshal(v); return string(raw) }
	card := cases.Template{
		Interlocutors: []cases.TemplateParty{{From: cases.FromContractHolders, Role: "co-holder"}},
		Agents:        []cases.TemplateAgent{{From: cases.FromPartyAdvisor, Role: cases.RoleResponsible}},
		Objects:       []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "card", Required: true}}}
	insert(`INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, medium, classification, template, position,
		created_at, updated_at) VALUES (?, ?, 'card_opposition', 'Opposition carte', 'Card opposition', 'phone', 'claim', ?, 1, 0, 0)`,
		core.NewID(), br.ID, js(card))
	insert(`INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, medium, template, position, created_at, updated_at)
		VALUES (?, ?, 'information', 'Demande d''information', 'Information request', 'phone', '{}', 2, 0, 0)`, core.NewID(), br.ID)
	insert(`INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process, template, created_at, updated_at)
		VALUES (?, ?, 'claim', 'Réclamation', 'Claim', ?, ?, 0, 0)`, core.NewID(), br.ID, js(ClaimProcess),
		js(cases.Template{Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleResponsible}}}))
	insert(`INSERT INTO action_plans (id, establishment_id, code, name_fr, name_en, steps, created_at, updated_at)
		VALUES (?, ?, 'callback', 'Rappel client', 'Customer callback', ?, 0, 0)`, core.NewID(), br.ID, js([]cases.PlanStep{
		{Day: 0, Title: "Appeler le client", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent},
		{Day: 2, Title: "Vérifier les justificatifs", Assignee: cases.AssignLauncher}}))
	return s
}
