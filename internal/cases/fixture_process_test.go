package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// procFixture is the test organisation with a claim classification of
// establishment BR whose process the tests run.
type procFixture struct {
	*webtest.App
	Cases         *cases.Store
	Adv1, Admin   *core.Actor
	Viewer        *core.Actor
	Establishment string // BR's id
	A1, A2        string // the agencies' ids
	ClassID       string
	ctx           context.Context
	n             int
}

// claimProcess: received → analysis → answered (closed), a reopening
// step, a cancellation from any status, a letter and an email step.
var claimProcess = cases.Process{
	Statuses: []cases.Status{
		{Code: "received", NameFR: "Reçue", NameEN: "Received"},
		{Code: "analysis", NameFR: "En analyse", NameEN: "Under analysis"},
		{Code: "answered", NameFR: "Répondue", NameEN: "Answered", Closed: true},
		{Code: "cancelled", NameFR: "Annulée", NameEN: "Cancelled", Closed: true},
	},
	Steps: []cases.Step{
		{Code: "qualify", NameFR: "Qualifier", From: []string{"received"}, To: "analysis"},
		{Code: "answer", NameFR: "Répondre", From: []string{"analysis"}, To: "answered",
			Fields: []cases.Field{
				{Code: "decision", LabelFR: "Décision", Type: cases.FieldChoice, Required: true, Choices: []string{"accepted", "refused"}},
				{Code: "amount", LabelFR: "Montant", Type: cases.FieldNumber},
			},
			Document: &cases.DocumentTemplate{Kind: cases.DocumentLetter, Subject: "Votre réclamation {{case.reference}}",
				Body: "Madame, Monsieur,\n\nNous avons étudié votre réclamation : décision {{field.decision}}, montant remboursé {{field.amount}} €.\n\nNous restons à votre disposition."}},
		{Code: "notify", NameFR: "Prévenir par email", From: []string{"received"}, To: "analysis",
			Fields: []cases.Field{{Code: "note", LabelFR: "Note", Type: cases.FieldText}},
			Document: &cases.DocumentTemplate{Kind: cases.DocumentEmail, Subject: "Votre dossier {{case.reference}}",
				Body: "Bonjour {{party.name}},\n\nVotre dossier est à l'étude. {{field.note}}\n\n{{agent.name}}"}},
		{Code: "reopen", NameFR: "Rouvrir", From: []string{"answered"}, To: "analysis"},
		{Code: "cancel", NameFR: "Annuler", To: "cancelled"},
	},
}

func newProcFixture(t *testing.T, d *db.DB) *procFixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &procFixture{App: app, Cases: app.App.Cases, ctx: context.Background()}
	for code, dst := range map[string]*string{"BR": &f.Establishment, "A1": &f.A1, "A2": &f.A2} {
		u, err := app.Orgs.UnitByCode(f.ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		*dst = u.ID
	}
	f.Adv1, f.Admin, f.Viewer = f.actor(t, "adv1"), f.actor(t, "admin"), f.actor(t, "viewer")
	raw, _ := json.Marshal(claimProcess)
	f.ClassID = core.NewID()
	if _, err := d.Exec(f.ctx, `INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process,
		created_at, updated_at) VALUES (?, ?, 'claim', 'Réclamation', 'Claim', ?, 0, 0)`, f.ClassID, f.Establishment, string(raw)); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *procFixture) actor(t *testing.T, login string) *core.Actor {
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

// newCase inserts a claim case of unit in status for party.
func (f *procFixture) newCase(t *testing.T, unitID, partyID, status string) string {
	t.Helper()
	f.n++
	id := core.NewID()
	if _, err := f.DB.Exec(f.ctx, `INSERT INTO cases (id, reference, unit_id, classification_id, status, title, party_id,
		origin, establishment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Frais contestés', ?, 'manual', ?, 0, 0)`,
		id, fmt.Sprintf("C-T%05d", f.n), unitID, f.ClassID, status, partyID, f.Establishment); err != nil {
		t.Fatal(err)
	}
	return id
}

// status reads a case's status and whether it has a closing time.
func (f *procFixture) status(t *testing.T, id string) (string, bool) {
	t.Helper()
	var status string
	var closed *int64
	if err := f.DB.QueryRow(f.ctx, "SELECT status, closed_at FROM cases WHERE id = ?", id).Scan(&status, &closed); err != nil {
		t.Fatal(err)
	}
	return status, closed != nil
}

// count counts the rows of a query.
func (f *procFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(f.ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// reasonOf is the reason code err gives for field, with err's code.
func reasonOf(err error, field string) (core.Code, string) {
	var e *core.Error
	if !errors.As(err, &e) {
		return core.ErrorCode(err), ""
	}
	return e.Code, e.Fields[field].Code
}
