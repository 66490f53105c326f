package cases_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

// validClaim is a classification an administrator saves.
func validClaim() cases.Classification {
	p := claimProcess
	p.Statuses = append([]cases.Status(nil), claimProcess.Statuses...)
	p.Steps = nil
	for _, s := range claimProcess.Steps {
		s.From = append([]string(nil), s.From...)
		s.Fields = append([]cases.Field(nil), s.Fields...)
		if s.Document != nil {
			d := *s.Document
			s.Document = &d
		}
		p.Steps = append(p.Steps, s)
	}
	return cases.Classification{Code: "claim2", NameFR: "Réclamation", Process: p,
		Template: cases.Template{Interlocutors: []cases.TemplateParty{{From: cases.FromCurrentParty}},
			Agents: []cases.TemplateAgent{{From: cases.FromLogin, Login: "adv1", Role: cases.RoleResponsible}}}}
}

func TestAClassificationIsRefusedFieldByField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		for _, tc := range []struct {
			name   string
			change func(c *cases.Classification)
			field  string
			reason string
		}{
			{"a code with capitals", func(c *cases.Classification) { c.Code = "Claim" }, "code", "catalogue_code"},
			{"a one-letter code", func(c *cases.Classification) { c.Code = "c" }, "code", "catalogue_code"},
			{"no name", func(c *cases.Classification) { c.NameFR = " " }, "name", "required_up_to"},
			{"no status", func(c *cases.Classification) { c.Process.Statuses = nil; c.Process.Steps = nil }, "statuses", "at_least_one"},
			{"a status code twice", func(c *cases.Classification) { c.Process.Statuses[1].Code = "received" }, "statuses[1].code", "taken"},
			{"a status without a name", func(c *cases.Classification) { c.Process.Statuses[0].NameFR = "" }, "statuses[0].name", "required_up_to"},
			{"a step code twice", func(c *cases.Classification) { c.Process.Steps[2].Code = "qualify" }, "steps[2].code", "taken"},
			{"a step to a missing status", func(c *cases.Classification) { c.Process.Steps[2].To = "archived" }, "steps[2].to", "unknown_status"},
			{"a step from a missing status", func(c *cases.Classification) { c.Process.Steps[0].From = []string{"new"} }, "steps[0].from[0]", "unknown_status"},
			{"a field of an unknown type", func(c *cases.Classification) { c.Process.Steps[1].Fields[1].Type = "money" }, "steps[1].fields[1].type", "one_of"},
			{"a field code twice", func(c *cases.Classification) { c.Process.Steps[1].Fields[1].Code = "decision" }, "steps[1].fields[1].code", "taken"},
			{"a choice without choices", func(c *cases.Classification) { c.Process.Steps[1].Fields[0].Choices = nil }, "steps[1].fields[0].choices", "choices_required"},
			{"a field without a label", func(c *cases.Classification) { c.Process.Steps[1].Fields[0].LabelFR = "" }, "steps[1].fields[0].label", "required_up_to"},
			{"a document of an unknown kind", func(c *cases.Classification) { c.Process.Steps[1].Document.Kind = "fax" }, "steps[1].document_template.kind", "one_of"},
			{"a document without a body", func(c *cases.Classification) { c.Process.Steps[1].Document.Body = "" }, "steps[1].document_template.body", "required_up_to"},
			{"a document's subject with NUL", func(c *cases.Classification) { c.Process.Steps[1].Document.Subject = "a\x00" }, "steps[1].document_template.subject", "nul_byte"},
			{"a template's unknown origin", func(c *cases.Classification) { c.Template.Interlocutors[0].From = "anyone" }, "template.interlocutors[0].from", "one_of"},
			{"a template's unknown agent", func(c *cases.Classification) { c.Template.Agents[0].Login = "nobody" }, "template.agents[0].login", "unknown_agent"},
			{"a template's unknown role", func(c *cases.Classification) { c.Template.Agents[0].Role = "boss" }, "template.agents[0].role", "one_of"},
			{"a fixed party that does not exist", func(c *cases.Classification) {
				c.Template.Interlocutors[0] = cases.TemplateParty{From: cases.FromParty, PartyID: core.NewID()}
			}, "template.interlocutors[0].party_id", "party_not_found"},
			{"an object without kind", func(c *cases.Classification) { c.Template.Objects = []cases.TemplateObject{{}} }, "template.objects[0].kind", "required_up_to"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := validClaim()
				tc.change(&c)
				_, err := f.Cases.SaveClassification(f.ctx, f.Admin, "BR", c)
				if code, why := reasonOf(err, tc.field); code != core.Invalid || why != tc.reason {
					t.Errorf("SaveClassification = %v, want %s refused with %s", err, tc.field, tc.reason)
				}
			})
		}
	})
}

func TestAnActionPlanIsRefusedFieldByField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		if _, err := f.Orgs.CreateUnit(f.ctx, core.System(), org.UnitInput{Code: "XB", Name: "Autre banque", Kind: "establishment"}); err != nil {
			t.Fatal(err)
		}
		valid := func() cases.ActionPlan {
			return cases.ActionPlan{Code: "welcome", NameFR: "Accueil", Steps: []cases.PlanStep{
				{Day: 0, Title: "Appeler le client", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent},
				{Day: 2, Title: "Envoyer le formulaire", Assignee: cases.AssignQueue, UnitCode: "A1"},
				{Day: 10, Title: "Vérifier les pièces", Assignee: cases.AssignLauncher, MovesCaseTo: "answered"},
			}}
		}
		for _, tc := range []struct {
			name   string
			change func(p *cases.ActionPlan)
			field  string
			reason string
		}{
			{"no step", func(p *cases.ActionPlan) { p.Steps = nil }, "steps", "at_least_one"},
			{"a negative day", func(p *cases.ActionPlan) { p.Steps[0].Day = -1 }, "steps[0].day", "out_of_range"},
			{"a day beyond a year", func(p *cases.ActionPlan) { p.Steps[1].Day = 366 }, "steps[1].day", "out_of_range"},
			{"no title", func(p *cases.ActionPlan) { p.Steps[2].Title = "" }, "steps[2].title", "required_up_to"},
			{"an unknown assignee", func(p *cases.ActionPlan) { p.Steps[0].Assignee = "boss" }, "steps[0].assignee", "one_of"},
			{"an unknown kind", func(p *cases.ActionPlan) { p.Steps[0].Kind = "visit" }, "steps[0].kind", "one_of"},
			{"a unit that does not exist", func(p *cases.ActionPlan) { p.Steps[1].UnitCode = "ZZ" }, "steps[1].unit_code", "unknown_unit_code"},
			{"a unit of another establishment", func(p *cases.ActionPlan) { p.Steps[1].UnitCode = "XB" }, "steps[1].unit_code", "unknown_unit_code"},
			{"a status too long", func(p *cases.ActionPlan) { p.Steps[2].MovesCaseTo = strings.Repeat("s", core.MaxCode+1) }, "steps[2].moves_case_to", "too_long"},
			{"no name", func(p *cases.ActionPlan) { p.NameFR = "" }, "name", "required_up_to"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := valid()
				tc.change(&p)
				_, err := f.Cases.SavePlan(f.ctx, f.Admin, "BR", p)
				if code, why := reasonOf(err, tc.field); code != core.Invalid || why != tc.reason {
					t.Errorf("SavePlan = %v, want %s refused with %s", err, tc.field, tc.reason)
				}
			})
		}
		saved, err := f.Cases.SavePlan(f.ctx, f.Admin, "BR", valid())
		if err != nil {
			t.Fatal(err)
		}
		if saved.NameEN != "Accueil" || saved.Steps[1].Kind != cases.TaskTask || !saved.Active {
			t.Errorf("saved plan = %+v, want name_en defaulted, kind task, active", saved)
		}
		plans, err := f.Cases.Plans(f.ctx, f.Adv1, f.Establishment)
		if err != nil || len(plans) != 1 || len(plans[0].Steps) != 3 || plans[0].Steps[1].UnitCode != "A1" {
			t.Errorf("Plans = %+v, %v; want the saved plan", plans, err)
		}
	})
}

func TestAContactTypeIsRefusedFieldByField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		for _, tc := range []struct {
			name   string
			t      cases.ContactType
			field  string
			reason string
		}{
			{"a bad code", cases.ContactType{Code: "a b", NameFR: "Demande"}, "code", "catalogue_code"},
			{"no name", cases.ContactType{Code: "info"}, "name", "required_up_to"},
			{"an English name too long", cases.ContactType{Code: "info", NameFR: "Demande", NameEN: strings.Repeat("é", core.MaxName+1)}, "name_en", "too_long"},
			{"an agent from nowhere", cases.ContactType{Code: "info", NameFR: "Demande",
				Template: cases.Template{Agents: []cases.TemplateAgent{{From: "manager", Role: cases.RoleEmitter}}}}, "template.agents[0].from", "one_of"},
			{"a fixed agent without login", cases.ContactType{Code: "info", NameFR: "Demande",
				Template: cases.Template{Agents: []cases.TemplateAgent{{From: cases.FromLogin, Role: cases.RoleEmitter}}}}, "template.agents[0].login", "unknown_agent"},
			{"an object kind too long", cases.ContactType{Code: "info", NameFR: "Demande",
				Template: cases.Template{Objects: []cases.TemplateObject{{Kind: strings.Repeat("k", core.MaxCode+1)}}}}, "template.objects[0].kind", "too_long"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.Cases.SaveContactType(f.ctx, f.Admin, "BR", tc.t)
				if code, why := reasonOf(err, tc.field); code != core.Invalid || why != tc.reason {
					t.Errorf("SaveContactType = %v, want %s refused with %s", err, tc.field, tc.reason)
				}
			})
		}
	})
}

func TestDefinitionsAreSavedByCodeAndListedInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		for _, ct := range []cases.ContactType{
			{Code: "opposition", NameFR: "Opposition carte", Position: 2},
			{Code: "info", NameFR: "Demande d'information", NameEN: "Information request", Position: 1,
				Template: cases.Template{Interlocutors: []cases.TemplateParty{{From: cases.FromCurrentParty, Role: "client"}},
					Agents:  []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleEmitter}},
					Objects: []cases.TemplateObject{{Kind: cases.ObjectContract, Required: true}}}},
			{Code: "address", NameFR: "Changement d'adresse", Position: 1},
		} {
			if _, err := f.Cases.SaveContactType(f.ctx, f.Admin, "BR", ct); err != nil {
				t.Fatal(err)
			}
		}
		// Saving a code again replaces it.
		if _, err := f.Cases.SaveContactType(f.ctx, f.Admin, "BR", cases.ContactType{Code: "opposition", NameFR: "Opposition sur carte", Position: 0}); err != nil {
			t.Fatal(err)
		}
		list, err := f.Cases.ContactTypes(f.ctx, f.Adv1, f.Establishment, "fr")
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, ct := range list {
			codes = append(codes, ct.Code)
		}
		if want := []string{"opposition", "address", "info"}; len(codes) != 3 || codes[0] != want[0] || codes[1] != want[1] || codes[2] != want[2] {
			t.Errorf("contact types in order %v, want %v", codes, want)
		}
		if list[0].NameFR != "Opposition sur carte" || list[0].NameEN != "Opposition sur carte" || !list[0].Active {
			t.Errorf("replaced type = %+v", list[0])
		}
		if tmpl := list[2].Template; len(tmpl.Objects) != 1 || !tmpl.Objects[0].Required || tmpl.Interlocutors[0].Role != "client" {
			t.Errorf("template read back = %+v", tmpl)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact_type.save'"); n != 4 {
			t.Errorf("%d contact_type.save audit entries, want 4", n)
		}

		c, err := f.Cases.SaveClassification(f.ctx, f.Admin, "BR", validClaim())
		if err != nil {
			t.Fatal(err)
		}
		if c.Process.Statuses[0].NameEN != "Received" || c.Process.Steps[0].NameEN != "Qualifier" {
			t.Errorf("saved classification's English names = %q, %q", c.Process.Statuses[0].NameEN, c.Process.Steps[0].NameEN)
		}
		cls, err := f.Cases.Classifications(f.ctx, f.Adv1, f.Establishment)
		if err != nil || len(cls) != 2 {
			t.Fatalf("Classifications = %d, %v; want the fixture's and the saved one", len(cls), err)
		}
		if got, ok := cls[1].Process.Step("answer"); !ok || got.Document == nil || got.Document.Kind != cases.DocumentLetter {
			t.Errorf("the saved process's answer step = %+v", got)
		}
	})
}

func TestOnlyAdministratorsOfTheEstablishmentSaveDefinitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		xb, err := f.Orgs.CreateUnit(f.ctx, core.System(), org.UnitInput{Code: "XB", Name: "Autre banque", Kind: "establishment"})
		if err != nil {
			t.Fatal(err)
		}
		ct := cases.ContactType{Code: "info", NameFR: "Demande"}
		if _, err := f.Cases.SaveContactType(f.ctx, f.Adv1, "BR", ct); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor saving a contact type = %v, want forbidden", err)
		}
		brAdmin := *f.Admin // an administrator whose scope is BR's tree only
		brAdmin.Scope = core.Scope{UnitIDs: []string{f.Establishment, f.A1, f.A2}}
		if _, err := f.Cases.SaveContactType(f.ctx, &brAdmin, "XB", ct); func() string { _, why := reasonOf(err, "establishment_code"); return why }() != "outside_scope" {
			t.Errorf("an administrator of BR saving for XB = %v, want outside_scope", err)
		}
		if _, err := f.Cases.SaveContactType(f.ctx, f.Admin, "A1", ct); func() string { _, why := reasonOf(err, "establishment_code"); return why }() != "unknown_unit_code" {
			t.Errorf("saving for an agency = %v, want unknown_unit_code", err)
		}
		if _, err := f.Cases.ContactTypes(f.ctx, f.Adv1, xb.ID, "fr"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("an advisor listing another establishment's types = %v, want not found", err)
		}
		if _, err := f.Cases.Classifications(f.ctx, f.Viewer, f.Establishment); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("a viewer listing classifications = %v, want forbidden", err)
		}
	})
}
