package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// TestAManagerReadsTheAuditOfTheirOwnUnitsCustomersOnly: the audit log is a
// customer read like any other, filtered by the reader's scope.
func TestAManagerReadsTheAuditOfTheirOwnUnitsCustomersOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := audit.New(d, core.NewFixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
		orgs := org.NewStore(d, core.NewFixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), log)
		parties := party.NewStore(d, core.NewFixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), log)
		sys := core.System()
		units := map[string]string{}
		for _, u := range []org.UnitInput{{Code: "BR", Name: "Banque", Kind: "establishment"},
			{Code: "A1", Name: "Agence 1", Kind: "agency", ParentCode: "BR"},
			{Code: "A2", Name: "Agence 2", Kind: "agency", ParentCode: "BR"}} {
			created, err := orgs.CreateUnit(ctx, sys, u)
			if err != nil {
				t.Fatal(err)
			}
			units[u.Code] = created.ID
		}
		mine, err := parties.Create(ctx, sys, party.Input{LastName: "Dupré", AgencyCode: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := parties.Create(ctx, sys, party.Input{LastName: "Lefèvre", AgencyCode: "A2",
			Emails: []party.Email{{Address: "old@example.fr"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parties.Update(ctx, sys, theirs.ID, party.Patch{Emails: &[]party.Email{{Address: "secret@example.fr"}}}); err != nil {
			t.Fatal(err)
		}
		if err := log.Record(ctx, d, sys, "token.create", "api_token", "t1", "", nil); err != nil {
			t.Fatal(err)
		}
		manager := &core.Actor{AgentID: "m", Permissions: []core.Permission{core.PermAuditRead},
			Scope: core.Scope{UnitIDs: []string{units["A1"]}}}
		page, err := log.List(ctx, manager, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range page.Items {
			if e.PartyID == theirs.ID || strings.Contains(string(e.Detail), "secret@") {
				t.Errorf("out-of-scope entry listed: %+v", e)
			}
			if e.PartyID != "" || e.Action == "token.create" {
				seen = append(seen, e.Action+" "+e.PartyID)
			}
		}
		if want := []string{"token.create ", "party.create " + mine.ID}; strings.Join(seen, ",") != strings.Join(want, ",") {
			t.Errorf("listed %v, want %v", seen, want)
		}
		page, err = log.List(ctx, manager, audit.Filter{PartyID: theirs.ID})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("the other agency's party: %+v (%v), want nothing", page.Items, err)
		}
		page, err = log.List(ctx, sys, audit.Filter{PartyID: theirs.ID})
		if err != nil || len(page.Items) != 2 {
			t.Errorf("the whole bank reads %d entries of the party (%v), want 2", len(page.Items), err)
		}
	})
}
