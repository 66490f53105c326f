package cases_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
)

// The seeds: creating a case from a contact brings all the contact's data
// into the case, which becomes the common receptacle; the contact is its
// first element, and the case starts in its process's first status.
func TestACaseCreatedFromAContactHoldsEverythingTheContactHeld(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		k, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Cases.CaseFromContact(f.ctx, f.Adv1, k.ID, "claim")
		if err != nil {
			t.Fatal(err)
		}
		if c.Reference != "C-000001" || c.Status != "received" || c.Classification != "claim" || c.Origin != "contact" {
			t.Errorf("case = %s %s %s %s", c.Reference, c.Status, c.Classification, c.Origin)
		}
		if got := partyIDs(c.Interlocutors); !slices.Equal(got, []string{f.P1.ID, f.CoHold.ID}) {
			t.Errorf("interlocutors = %v", got)
		}
		if got := agentRoles(c.Agents); !slices.Equal(got, []string{"adv1:emitter", "adv1:responsible"}) {
			t.Errorf("agents = %v (the classification's responsible is already there)", got)
		}
		if len(c.Objects) != 1 || c.Objects[0].ID != f.Card.ID {
			t.Errorf("objects = %+v", c.Objects)
		}
		if len(c.Elements.Contacts) != 1 || c.Elements.Contacts[0].RefID != k.ID || len(c.Elements.Notes) != 0 {
			t.Errorf("elements = %+v", c.Elements)
		}
		k, err = f.Cases.Contact(f.ctx, f.Adv1, k.ID)
		if err != nil || !slices.Equal(k.CaseIDs, []string{c.ID}) {
			t.Errorf("the contact's cases = %v (%v)", k.CaseIDs, err)
		}
		page, err := f.History.Timeline(f.ctx, f.Adv1, f.P1.ID, history.Filter{})
		if err != nil || len(page.Items) < 2 || page.Items[0].Channel != history.ChannelCase ||
			page.Items[0].Subject != "C-000001 · Opposition carte" || page.Items[1].ID != k.InteractionID {
			t.Errorf("timeline = %+v (%v), want the case's opening above the contact", page.Items, err)
		}
		evs, err := f.Cases.Events(f.ctx, f.Adv1, c.ID)
		if err != nil || len(evs) != 2 || evs[0].Action != cases.EventOpened || evs[1].Action != cases.EventElement {
			t.Errorf("history = %+v (%v)", evs, err)
		}
	})
}

// The seeds: moving a contact to an existing case brings what the case
// lacks; nothing is duplicated, and moving it again changes nothing.
func TestMovingAContactIntoACaseAddsOnlyWhatTheCaseLacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		first, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "information", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Cases.CaseFromContact(f.ctx, f.Adv1, first.ID, "claim")
		if err != nil {
			t.Fatal(err)
		}
		second, err := f.Cases.CreateContact(f.ctx, f.Adv1, cases.NewContact{Type: "card_opposition", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if c, err = f.Cases.MoveContact(f.ctx, f.Adv1, second.ID, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := partyIDs(c.Interlocutors); !slices.Equal(got, []string{f.P1.ID, f.CoHold.ID}) {
			t.Errorf("interlocutors = %v: the co-holder added once, the customer not twice", got)
		}
		if got := agentRoles(c.Agents); !slices.Equal(got, []string{"adv1:emitter", "adv1:responsible"}) {
			t.Errorf("agents = %v", got)
		}
		if len(c.Objects) != 1 || len(c.Elements.Contacts) != 2 {
			t.Errorf("objects %d, contacts %d; want 1 and 2", len(c.Objects), len(c.Elements.Contacts))
		}
		if _, err := f.Cases.MoveContact(f.ctx, f.Adv1, second.ID, core.NewID()); core.ErrorCode(err) != core.Invalid {
			t.Errorf("into a case that does not exist: %v", err)
		}
	})
}

// An external event opens a case through the API with an idempotency key:
// the same event again, even at the same moment, gives the same case.
func TestACaseOpenedByAnExternalEventIsOpenedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := cases.NewCase{Classification: "claim", PartyID: f.P1.ID, IdempotencyKey: "dunning-2026-12-CB-0001",
			Origin: cases.OriginAPI, Objects: []cases.ObjectRef{{Kind: "contract", ID: f.Card.ID}, {Kind: "invoice", ID: "F-2026-118"}}}
		var wg sync.WaitGroup
		var ids [3]string
		var created [3]bool
		for i := range 3 {
			wg.Go(func() {
				c, isNew, err := f.Cases.OpenCase(f.ctx, f.Adv1, in)
				if err != nil {
					t.Error(err)
				}
				ids[i], created[i] = c.ID, isNew
			})
		}
		wg.Wait()
		if ids[0] == "" || ids[0] != ids[1] || ids[1] != ids[2] {
			t.Fatalf("ids = %v", ids)
		}
		n := 0
		for _, c := range created {
			if c {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d calls said they created the case, want 1", n)
		}
		c, err := f.Cases.Get(f.ctx, f.Adv1, ids[0])
		if err != nil || c.Origin != "api" || len(c.Objects) != 2 || c.Objects[1].Label != "F-2026-118" {
			t.Errorf("case = %+v (%v)", c, err)
		}
	})
}

// A case belongs to a unit: an agent of another unit neither reads it nor
// finds it in lists, nor writes on it.
func TestCasesOutsideTheScopeDoNotExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, _, err := f.Cases.OpenCase(f.ctx, f.Adv1, cases.NewCase{Classification: "claim", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.Get(f.ctx, f.Adv2, c.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("get from Lyon: %v", err)
		}
		page, err := f.Cases.Cases(f.ctx, f.Adv2, cases.CaseFilter{})
		if err != nil || len(page.Cases) != 0 {
			t.Errorf("list from Lyon: %d cases (%v)", len(page.Cases), err)
		}
		if _, err := f.Cases.AddNote(f.ctx, f.Adv2, c.ID, "", "Vu"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("note from Lyon: %v", err)
		}
		page, err = f.Cases.Cases(f.ctx, f.Adv1, cases.CaseFilter{PartyID: f.P1.ID})
		if err != nil || len(page.Cases) != 1 || page.Cases[0].PartyName != "Hélène Dupré" {
			t.Errorf("the party's cases from Paris: %+v (%v)", page.Cases, err)
		}
		if _, err := f.Cases.AddNote(f.ctx, f.Adv1, c.ID, "Appel", "Le client rappellera."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.AddDocument(f.ctx, f.Adv1, c.ID, "justificatif.pdf", "application/pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.AddDocument(f.ctx, f.Adv1, c.ID, "setup.exe", "application/octet-stream", []byte("MZ\x90\x00")); core.ErrorCode(err) != core.Invalid {
			t.Errorf("an executable: %v", err)
		}
		if _, err := f.Cases.CreateTask(f.ctx, f.Adv1, cases.NewTask{Title: "Rappeler la cliente", DueOn: "2026-12-04",
			AssigneeLogin: "adv1", CaseID: c.ID}); err != nil {
			t.Fatal(err)
		}
		c, err = f.Cases.Get(f.ctx, f.Adv1, c.ID)
		if err != nil || len(c.Elements.Notes) != 1 || len(c.Elements.Documents) != 1 || len(c.Elements.Tasks) != 1 {
			t.Errorf("elements = %+v (%v)", c.Elements, err)
		}
	})
}
