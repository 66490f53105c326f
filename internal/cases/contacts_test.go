package cases_test

import (
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
)

// The seeds: choosing the type applies its template — the contract it asks
// for (only the customer's own, of its product), the contract's other
// holder as interlocutor, the customer's advisor as responsible — on top of
// the defaults (the customer, the signed-in agent as emitter); and the
// contact is in the customer's timeline.
func TestANewContactAppliesItsTypesTemplateWhereEligible(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p, err := f.Cases.Propose(f.ctx, f.Adv1, "card_opposition", cases.Context{PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Contracts) != 1 || p.Contracts[0].ID != f.Card.ID {
			t.Errorf("eligible contracts = %+v, want only the card (not the savings account)", p.Contracts)
		}
		k, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: f.P1.ID,
			Comment: "Carte perdue au marché, opposition faite."})
		if err != nil {
			t.Fatal(err)
		}
		if got := partyIDs(k.Interlocutors); !slices.Equal(got, []string{f.P1.ID, f.CoHold.ID}) {
			t.Errorf("interlocutors = %v, want the customer then the co-holder", got)
		}
		if got := agentRoles(k.Agents); !slices.Equal(got, []string{"adv1:emitter", "adv1:responsible"}) {
			t.Errorf("agents = %v", got)
		}
		if len(k.Objects) != 1 || k.Objects[0].ID != f.Card.ID || k.Objects[0].Label == "" {
			t.Errorf("objects = %+v, want the card, labelled", k.Objects)
		}
		if k.Medium != "phone" || k.Direction != "inbound" {
			t.Errorf("medium %q direction %q: the type's medium and inbound by default", k.Medium, k.Direction)
		}
		page, err := f.History.Timeline(f.ctx, f.Adv1, f.P1.ID, history.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 || page.Items[0].ID != k.InteractionID || page.Items[0].Source != history.SourceContact ||
			page.Items[0].Subject != "Opposition carte" {
			t.Errorf("timeline = %+v, want the contact first", page.Items)
		}
		again, err := f.Cases.Contact(f.ctx, f.Adv1, k.ID)
		if err != nil || len(again.Interlocutors) != 2 || len(again.Objects) != 1 {
			t.Errorf("read back: %+v %v", again, err)
		}
	})
}

func TestATemplateNeedingAContractRefusesACustomerWhoHoldsNone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: f.CoHold.ID,
			ContractID: f.Savings.ID})
		if core.ErrorCode(err) != core.Invalid {
			t.Fatalf("someone else's contract: %v", err)
		}
		// Marc holds the card: accepted. Without a contract, a customer with
		// no card is refused, saying why.
		if _, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: f.CoHold.ID}); err != nil {
			t.Fatalf("co-holder of the card: %v", err)
		}
		stranger, err := f.Parties.Create(f.ctx, core.System(), partyInput("Paul", "Sanscarte"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: stranger.ID})
		if e, ok := err.(*core.Error); !ok || e.Fields["objects[0]"].Code != "contract_of_product_required" {
			t.Fatalf("no card: %v", err)
		}
	})
}

func TestAContactIsRefusedOnAPartyOutsideTheScopeAndWithHostileText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for name, in := range map[string]cases.NewContact{
			"party of Lyon":   {Type: "information", PartyID: f.P2.ID},
			"unknown type":    {Type: "nope", PartyID: f.P1.ID},
			"NUL byte":        {Type: "information", PartyID: f.P1.ID, Comment: "a\x00b"},
			"invalid UTF-8":   {Type: "information", PartyID: f.P1.ID, Comment: "\xff\xfe"},
			"medium":          {Type: "information", PartyID: f.P1.ID, Medium: "pigeon"},
			"huge comment":    {Type: "information", PartyID: f.P1.ID, Comment: string(make([]byte, core.MaxComment+1))},
			"unknown reason":  {Type: "information", PartyID: f.P1.ID, Reason: "nope"},
			"unknown agent":   {Type: "information", PartyID: f.P1.ID, Agents: []cases.AgentRef{{Login: "ghost", Role: "responsible"}}},
			"contract of P2?": {Type: "information", PartyID: f.P1.ID, Objects: []cases.ObjectRef{{Kind: "contract", ID: core.NewID()}}},
		} {
			if _, err := f.Cases.CreateContact(f.ctx, f.Adv1, in); core.ErrorCode(err) != core.Invalid {
				t.Errorf("%s: %v, want a field error", name, err)
			}
		}
		var n int
		if err := f.DB.QueryRow(f.ctx, "SELECT COUNT(*) FROM contacts").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d contacts written (%v)", n, err)
		}
		if _, err := f.Cases.CreateContact(f.ctx, f.Viewer(t), cases.NewContact{Type: "information", PartyID: f.P1.ID}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("a read-only agent: %v", err)
		}
	})
}
