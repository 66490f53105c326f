package desk_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

func TestATemplateRendersWithTheRequestAndTheAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, true)
		ctx := context.Background()
		admin, adv := f.actor(t, "admin"), f.actor(t, "adv1")
		br, _ := f.app.Orgs.UnitByCode(ctx, "BR")
		tpl, err := f.desk.SaveTemplate(ctx, admin, desk.Template{EstablishmentID: br.ID, Name: "Accusé",
			Body: "<p>Bonjour {{customer_name}},</p><p>{{agent_name}} ({{unit}}) suit {{reference}} « {{subject}} ». {{iban}}</p>", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.SaveTemplate(ctx, admin, desk.Template{EstablishmentID: br.ID, Name: "Ancien", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		sub := validSubmission()
		sub.Email, sub.Name, sub.Subject = "inconnu@example.fr", "Jean <Martin>", "Carte & code"
		req, err := f.desk.Submit(ctx, "contact", sub)
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.desk.Templates(ctx, adv, "")
		if err != nil || len(list) != 1 || list[0].Name != "Accusé" {
			t.Errorf("the advisor's templates: %+v %v (want the active one only)", list, err)
		}
		got, err := f.desk.RenderTemplate(ctx, adv, req.ID, tpl.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "<p>Bonjour Jean &lt;Martin&gt;,</p><p>Hugo Conseiller (Paris Opéra) suit " + req.Reference + " « Carte &amp; code ». {{iban}}</p>"
		if got != want {
			t.Errorf("rendered\n%s\nwant\n%s", got, want)
		}
		if _, err := f.desk.RenderTemplate(ctx, adv, req.ID, core.NewID()); core.ErrorCode(err) != core.NotFound {
			t.Errorf("unknown template: %v", err)
		}
	})
}

func TestTemplatesBelongToTheirEstablishment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newDeskFixture(t, d, false)
		ctx := context.Background()
		sys := core.System()
		other, err := f.app.Orgs.CreateUnit(ctx, sys, org.UnitInput{Code: "XB", Name: "Autre Banque", Kind: "establishment"})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := f.desk.SaveTemplate(ctx, sys, desk.Template{EstablishmentID: other.ID, Name: "Ailleurs", Body: "{{reference}}", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		req, err := f.desk.Submit(ctx, "contact", validSubmission())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.RenderTemplate(ctx, f.actor(t, "adv1"), req.ID, tpl.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("another establishment's template rendered: %v", err)
		}
		if err := f.app.Orgs.SaveRole(ctx, sys, org.Role{Code: "desk_admin", Name: "Desk admin",
			Permissions: []core.Permission{core.PermDeskAdmin, core.PermRequestRead}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.Orgs.CreateAgent(ctx, sys, org.AgentInput{Login: "deskbr", Name: "Dora Desk", UnitCode: "BR",
			Roles: []string{"desk_admin"}, ScopeUnitCodes: []string{"BR"}, Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
		admin := f.actor(t, "deskbr")
		if _, err := f.desk.SaveTemplate(ctx, admin, desk.Template{EstablishmentID: other.ID, Name: "x", Body: "y"}); core.ErrorCode(err) != core.Invalid {
			t.Errorf("saved outside the admin's scope: %v", err)
		}
		if err := f.desk.DeleteTemplate(ctx, admin, tpl.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("deleted outside the admin's scope: %v", err)
		}
		a1, _ := f.app.Orgs.UnitByCode(ctx, "A1")
		if _, err := f.desk.SaveTemplate(ctx, sys, desk.Template{EstablishmentID: a1.ID, Name: "x", Body: "y"}); core.ErrorCode(err) != core.Invalid {
			t.Errorf("a template saved on an agency: %v", err)
		}
		if _, err := f.desk.SaveTemplate(ctx, sys, desk.Template{EstablishmentID: other.ID, Name: "Ailleurs", Body: "y"}); fieldsOf(err)["name"].Code != "taken" {
			t.Errorf("a second template of the same name: %v", err)
		}
		if err := f.desk.DeleteTemplate(ctx, sys, tpl.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := f.desk.EstablishmentTemplates(ctx, sys, other.ID); len(list) != 0 {
			t.Errorf("deleted template still listed: %+v", list)
		}
	})
}
