package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// casePages seeds the contact types and the claim classification, traces a
// card opposition for Hélène Dupré and creates a claim from it; it returns
// the contact and case pages to check, by name.
func casePages(t *testing.T, app *webtest.App) []struct{ name, path string } {
	t.Helper()
	s := webtest.SeedCases(t, app)
	ctx, adv := context.Background(), deskActor(t, app, "adv1")
	k, err := app.App.Cases.CreateContact(ctx, adv, cases.NewContact{Type: "card_opposition", PartyID: app.P1.ID,
		ContractID: s.Card.ID, Comment: "Carte perdue au marché, opposition faite par téléphone avec la cliente."})
	if err != nil {
		t.Fatal(err)
	}
	c, err := app.App.Cases.CaseFromContact(ctx, adv, k.ID, "claim")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.App.Cases.AddNote(ctx, adv, c.ID, "Rappel", "La cliente confirme le paiement contesté de 125,50 €."); err != nil {
		t.Fatal(err)
	}
	return []struct{ name, path string }{
		{"contact-new", "/contacts/new?type=card_opposition&party_id=" + app.P1.ID},
		{"contact", "/contacts/" + k.ID},
		{"case", "/cases/" + c.ID},
		{"cases", "/cases"},
	}
}

// setSelect chooses a value in a select the way a person does: the value
// changes and the change event fires.
func (b *browser) setSelect(css, value string) {
	b.t.Helper()
	b.eval(`(function (s) { s.value = ` + jsString(value) + `; s.dispatchEvent(new Event("change", {bubbles: true})); return ""; })(document.querySelector(` + jsString(css) + `))`)
}

// From a customer's page, the key c opens "New contact" for that customer;
// choosing the card opposition applies its template (the card's co-holder
// appears, the card is the only contract offered); the contact saved, a
// case is created from it, and a step of its process runs with a field.
func TestNewContactFromAPartyAppliesItsTemplateThenItsCaseRunsAStep(t *testing.T) {
	app, b := start(t)
	webtest.SeedCases(t, app)
	b.signIn("adv1")
	party := "/parties/" + app.P1.ID
	b.open(party)
	b.waitPage(party)
	b.do("press c", chromedp.KeyEvent("c"))
	b.waitPage("/contacts/new")
	if got := b.eval(`location.search`); !strings.Contains(got, app.P1.ID) {
		t.Fatalf("New contact opened without the party: %s", got)
	}
	b.setSelect(`select[name="type"]`, "card_opposition")
	b.waitFor("the template applied", `document.querySelector("fieldset.proposal")`)
	if txt := b.text("fieldset.proposal"); !strings.Contains(txt, "Marc Dupré") || !strings.Contains(txt, "Hugo Conseiller") {
		t.Errorf("the template's interlocutors and agents are missing: %q", txt)
	}
	if n := b.count(`input[name="contract_id"]`); n != 1 {
		t.Errorf("%d contracts offered, want only the card", n)
	}
	if txt := b.text("fieldset.proposal .choices"); !strings.Contains(txt, "CB-0001") || strings.Contains(txt, "LA-0001") {
		t.Errorf("contracts offered: %q, want the card alone", txt)
	}
	b.do("write the comment and save",
		chromedp.SendKeys(chromedp.CSS(`textarea[name="comment"]`), "Carte perdue au marché."),
		chromedp.Click(chromedp.CSS(`#contact-form button.primary`)))
	b.waitFor("the contact's page", `location.pathname.indexOf("/contacts/") === 0 && location.pathname !== "/contacts/new" && document.readyState === "complete"`)
	if txt := b.bodyText(); !strings.Contains(txt, "Carte perdue au marché.") || !strings.Contains(txt, "cotitulaire") {
		t.Errorf("the contact's page lacks its comment or the co-holder")
	}
	if got := b.value(`#to-case select[name="classification"]`); got != "claim" {
		t.Errorf("the classification the type proposes is not chosen: %q", got)
	}
	b.do("create a case", chromedp.Click(chromedp.CSS(`#to-case button`)))
	b.waitFor("the case's page", `location.pathname.indexOf("/cases/") === 0 && document.querySelector("#process")`)
	if got := b.text("h1 .badge"); got != "Reçue" {
		t.Errorf("the new case's status is %q, want Reçue", got)
	}
	if n := b.count(`#contacts .element-list li`); n != 1 {
		t.Errorf("the case holds %d contacts, want the one it was created from", n)
	}
	b.do("fill in the amount and run the step",
		chromedp.SendKeys(chromedp.CSS(`#f-analyse-amount`), "125,50"),
		chromedp.SendKeys(chromedp.CSS(`#f-analyse-decided_on`), "24/11/2026"+kb.Tab),
		chromedp.Click(chromedp.CSS(`form[action$="/steps/analyse"] button.primary`)))
	b.waitFor("the case in its next status", `document.querySelector("h1 .badge") && document.querySelector("h1 .badge").textContent.trim() === "En analyse"`)
	if txt := b.text("#history"); !strings.Contains(txt, "Analyser") {
		t.Errorf("the history does not tell the step: %q", txt)
	}
}
