package cases_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// fixture is the test organisation with a co-holder of Hélène Dupré's
// card, an advisor in Lyon (A2), a contact type and a classification.
type fixture struct {
	*webtest.App
	Cases   *cases.Store
	Adv1    *core.Actor // Paris Opéra (A1)
	Adv2    *core.Actor // Lyon Bellecour (A2)
	CoHold  party.Party // holds Hélène's card with her
	Card    party.Contract
	Savings party.Contract
	ctx     context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &fixture{App: app, Cases: app.App.Cases, ctx: context.Background()}
	sys := core.System()
	if _, err := app.Orgs.CreateAgent(f.ctx, sys, org.AgentInput{Login: "adv2", Name: "Lina Conseillère", UnitCode: "A2",
		Roles: []string{"advisor"}, Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	f.Adv1, f.Adv2 = f.actor(t, "adv1"), f.actor(t, "adv2")
	var err error
	f.CoHold, err = app.Parties.Create(f.ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "1000000003",
		FirstName: "Marc", LastName: "Dupré", AgencyCode: "A1"})
	if err != nil {
		t.Fatal(err)
	}
	f.Card, err = app.Parties.CreateContract(f.ctx, sys, party.ContractInput{Number: "CB-0001", Product: "card", Status: "active",
		AgencyCode: "A1", HolderIDs: []string{app.P1.ID, f.CoHold.ID}})
	if err != nil {
		t.Fatal(err)
	}
	f.Savings, err = app.Parties.CreateContract(f.ctx, sys, party.ContractInput{Number: "LA-0001", Product: "savings", Status: "active",
		AgencyCode: "A1", HolderIDs: []string{app.P1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Parties.Update(f.ctx, sys, app.P1.ID, party.Patch{AdvisorLogin: ptr("adv1")}); err != nil {
		t.Fatal(err)
	}
	f.contactType(t, "card_opposition", "Opposition carte", "phone", cases.Template{
		Interlocutors: []cases.TemplateParty{{From: cases.FromContractHolders, Role: "co-holder"}},
		Agents:        []cases.TemplateAgent{{From: cases.FromPartyAdvisor, Role: cases.RoleResponsible}},
		Objects:       []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "card", Required: true}}})
	f.contactType(t, "information", "Demande d'information", "phone", cases.Template{})
	f.classification(t, "claim", "Réclamation", cases.Process{
		Statuses: []cases.Status{{Code: "received", NameFR: "Reçue"}, {Code: "analysis", NameFR: "En analyse"},
			{Code: "answered", NameFR: "Répondue", Closed: true}},
		Steps: []cases.Step{{Code: "analyse", NameFR: "Analyser", From: []string{"received"}, To: "analysis"},
			{Code: "answer", NameFR: "Répondre", From: []string{"analysis"}, To: "answered"}}},
		cases.Template{Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleResponsible}}})
	return f
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	a, err := f.Orgs.AgentByLogin(f.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := f.Orgs.Actor(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// establishment is the id of the test establishment (BR).
func (f *fixture) establishment(t *testing.T) string {
	u, err := f.Orgs.UnitByCode(f.ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// contactType writes a contact type row as an administrator would.
func (f *fixture) contactType(t *testing.T, code, name, medium string, tmpl cases.Template) {
	t.Helper()
	raw, _ := json.Marshal(tmpl)
	if _, err := f.DB.Exec(f.ctx, `INSERT INTO contact_types (id, establishment_id, code, name_fr, name_en, medium, template,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`, core.NewID(), f.establishment(t), code, name, name, medium, string(raw)); err != nil {
		t.Fatal(err)
	}
}

// classification writes a case classification row.
func (f *fixture) classification(t *testing.T, code, name string, p cases.Process, tmpl cases.Template) {
	t.Helper()
	rawP, _ := json.Marshal(p)
	rawT, _ := json.Marshal(tmpl)
	if _, err := f.DB.Exec(f.ctx, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process, template,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`, core.NewID(), f.establishment(t), code, name, name,
		string(rawP), string(rawT)); err != nil {
		t.Fatal(err)
	}
}

func partyIDs(refs []cases.PartyRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.PartyID)
	}
	return out
}

func agentRoles(refs []cases.AgentRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Login+":"+r.Role)
	}
	return out
}

// Viewer is the read-only agent of A1.
func (f *fixture) Viewer(t *testing.T) *core.Actor { return f.actor(t, "viewer") }

func partyInput(first, last string) party.Input {
	return party.Input{Kind: "person", Status: "prospect", FirstName: first, LastName: last, AgencyCode: "A1"}
}
