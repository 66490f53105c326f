package cases_test

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// The pickers offer the establishment's active contact types (by name) and
// classifications, a case's page its classification's process, and an
// agent without case.manage gets none of them.
func TestThePickersOfferTheEstablishmentsActiveTypesAndClassifications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		types, err := f.Cases.ContactTypeChoices(f.ctx, f.Adv2)
		if err != nil {
			t.Fatal(err)
		}
		if len(types) != 2 || types[0].Code != "information" || types[1].Code != "card_opposition" {
			t.Errorf("contact types = %+v", types)
		}
		if _, err := f.DB.Exec(f.ctx, "UPDATE contact_types SET active = FALSE WHERE code = 'information'"); err != nil {
			t.Fatal(err)
		}
		if types, _ := f.Cases.ContactTypeChoices(f.ctx, f.Adv1); len(types) != 1 {
			t.Errorf("an inactive type is offered: %+v", types)
		}
		cls, err := f.Cases.ClassificationChoices(f.ctx, f.Adv1)
		if err != nil || len(cls) != 1 || cls[0].Code != "claim" || cls[0].Name("fr") != "Réclamation" {
			t.Errorf("classifications = %+v, %v", cls, err)
		}
		statuses, err := f.Cases.StatusNames(f.ctx, f.Adv1, "fr")
		if err != nil || len(statuses) != 3 || statuses[0].Code != "received" {
			t.Errorf("statuses = %+v, %v", statuses, err)
		}
		c, _, err := f.Cases.OpenCase(f.ctx, f.Adv1, cases.NewCase{Classification: "claim", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		proc, err := f.Cases.ProcessOf(f.ctx, f.Adv1, c.ID)
		if err != nil || len(proc.StepsFrom(c.Status)) != 1 {
			t.Errorf("process = %+v, %v", proc, err)
		}
		if _, err := f.Cases.ProcessOf(f.ctx, f.Adv2, c.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("the process of a case outside the scope: %v, want not found", err)
		}
		if _, err := f.Cases.ContactTypeChoices(f.ctx, f.Viewer(t)); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("viewer reads the contact types: %v", err)
		}
	})
}
