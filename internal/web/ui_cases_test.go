package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// idAfter returns the id a redirect to prefix names.
func idAfter(t *testing.T, loc, prefix string) string {
	t.Helper()
	id, ok := strings.CutPrefix(strings.Split(loc, "#")[0], prefix)
	if !ok || id == "" {
		t.Fatalf("redirect %q, want %s…", loc, prefix)
	}
	return id
}

// newContactAndCase traces a card opposition for Hélène Dupré through the
// pages and creates a claim from it; it returns the contact's and the
// case's ids.
func newContactAndCase(t *testing.T, b *browser, app *testApp, s webtest.CaseSetup) (string, string) {
	t.Helper()
	status, _, loc := b.post("/contacts", url.Values{"type": {"card_opposition"}, "party_id": {app.P1.ID},
		"contract_id": {s.Card.ID}, "direction": {"inbound"}, "comment": {"Carte perdue au marché."}})
	if status != http.StatusSeeOther {
		t.Fatalf("new contact: %d", status)
	}
	contact := idAfter(t, loc, "/contacts/")
	status, _, loc = b.post("/contacts/"+contact+"/case", url.Values{"classification": {"claim"}})
	if status != http.StatusSeeOther {
		t.Fatalf("case from the contact: %d", status)
	}
	return contact, idAfter(t, loc, "/cases/")
}

// From a customer's page, "New contact" carries the customer; choosing the
// type shows what its template fills in — the co-holder of the card, the
// advisor responsible, the card as the only contract offered — and saving
// opens the contact's page with all of it.
func TestANewContactFromAPartyShowsItsTemplateAppliedThenItsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		_, party := b.get("/parties/" + app.P1.ID)
		if !strings.Contains(party, `href="/contacts/new?party_id=`+app.P1.ID+`"`) {
			t.Fatalf("the party's page has no New contact carrying the party")
		}
		status, form := b.get("/contacts/new?party_id=" + app.P1.ID + "&type=card_opposition")
		if status != http.StatusOK {
			t.Fatalf("new contact form: %d", status)
		}
		for _, want := range []string{"Marc Dupré", "Hugo Conseiller", "CB-0001", `value="` + s.Card.ID + `" data-apply checked`} {
			if !strings.Contains(form, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		if strings.Contains(form, "LA-0001") {
			t.Errorf("the savings account is offered to a card opposition")
		}
		contact, _ := newContactAndCase(t, b, app, s)
		_, page := b.get("/contacts/" + contact)
		for _, want := range []string{"Opposition carte", "Carte perdue au marché.", "Marc Dupré", "cotitulaire", "CB-0001", "/cases/"} {
			if !strings.Contains(page, want) {
				t.Errorf("the contact's page lacks %q", want)
			}
		}
	})
}

// A type that needs a card, for a customer who holds none, is refused on
// the form with its reason, and the input is kept.
func TestANewContactRefusedShowsWhyAndKeepsTheComment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		admin := app.signIn("admin")
		status, page, _ := admin.post("/contacts", url.Values{"type": {"card_opposition"}, "party_id": {app.P2.ID},
			"comment": {"Gardez-moi"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Gardez-moi") ||
			!strings.Contains(page, "carte") && !strings.Contains(page, "contrat") {
			t.Errorf("a card opposition for a customer without a card: %d", status)
		}
		status, page, _ = b.post("/contacts", url.Values{"type": {"information"}, "party": {"nobody-at-all"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "nobody-at-all") {
			t.Errorf("a contact for an unknown customer: %d", status)
		}
	})
}

var stepError = regexp.MustCompile(`(?s)id="f-analyse-amount".*?<em class="err">`)

// A case created from a contact holds it; its page offers the steps of its
// status with their fields, refuses a step whose fields are wrong field by
// field, runs it when they are right, and keeps notes and documents apart.
func TestACasePageRunsAStepWithItsFieldsAndKeepsElementsByKind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		contact, id := newContactAndCase(t, b, app, s)
		_, page := b.get("/cases/" + id)
		for _, want := range []string{"C-0000", "Reçue", "Analyser", `href="/contacts/` + contact + `"`, "Montant contesté",
			"Aucun courrier.", "Aucune note."} {
			if !strings.Contains(page, want) {
				t.Errorf("the case page lacks %q", want)
			}
		}
		status, page, _ := b.post("/cases/"+id+"/steps/analyse", url.Values{"field.amount": {"beaucoup"}, "field.urgent": {"false", "true"}})
		if status != http.StatusUnprocessableEntity || !stepError.MatchString(page) || !strings.Contains(page, "beaucoup") {
			t.Errorf("a step with a wrong amount: %d, error by the field %v", status, stepError.MatchString(page))
		}
		status, _, _ = b.post("/cases/"+id+"/steps/analyse", url.Values{"field.amount": {"125,50"}, "field.decided_on": {"24/11/2026"},
			"field.channel": {"letter"}, "field.urgent": {"false", "true"}, "field.summary": {"Paiement contesté"}})
		if status != http.StatusSeeOther {
			t.Fatalf("the step with its fields: %d", status)
		}
		_, page = b.get("/cases/" + id)
		for _, want := range []string{"En analyse", "Répondre", "Analyser", "Hugo Conseiller"} {
			if !strings.Contains(page, want) {
				t.Errorf("after the step, the page lacks %q", want)
			}
		}
		if status, _, _ := b.post("/cases/"+id+"/steps/analyse", url.Values{"field.amount": {"1"}}); status != http.StatusConflict {
			t.Errorf("a step the status no longer offers: %d, want 409", status)
		}
		if status, _, _ := b.post("/cases/"+id+"/notes", url.Values{"title": {"Appel"}, "body": {"Client rappelé à 10 h."}}); status != http.StatusSeeOther {
			t.Errorf("note: %d", status)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "releve.txt")
		fw.Write([]byte("Relevé de compte de novembre\n"))
		mw.Close()
		resp, err := b.client.Post(app.Server.URL+"/cases/"+id+"/documents", mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
		_, page = b.get("/cases/" + id)
		if !strings.Contains(page, "Client rappelé à 10 h.") || !strings.Contains(page, "releve.txt") {
			t.Errorf("the note or the document is missing from the page")
		}
		file := regexp.MustCompile(`/cases/` + id + `/files/([0-9a-f-]+)`).FindStringSubmatch(page)
		if file == nil {
			t.Fatal("no download link")
		}
		resp, err = b.client.Get(app.Server.URL + file[0])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Relevé de compte") {
			t.Errorf("download: %d %q", resp.StatusCode, body)
		}
		_, list := b.get("/cases?status=analysis")
		if !strings.Contains(list, `href="/cases/`+id+`"`) {
			t.Errorf("the case list filtered on its status does not show it")
		}
		if _, list := b.get("/cases?status=received"); strings.Contains(list, `href="/cases/`+id+`"`) {
			t.Errorf("the case list shows it under another status")
		}
		_, party := b.get("/parties/" + app.P1.ID)
		if !strings.Contains(party, `href="/cases/`+id+`"`) {
			t.Errorf("the party's page does not list its case")
		}
	})
}

// A contact moves into one of the customer's open cases; a case opened by
// hand from the party's page opens on its page.
func TestAContactMovesIntoAnOpenCaseAndACaseOpensFromThePartyPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		status, _, loc := b.post("/cases", url.Values{"classification": {"claim"}, "party_id": {app.P1.ID}})
		if status != http.StatusSeeOther {
			t.Fatalf("open a case: %d", status)
		}
		opened := idAfter(t, loc, "/cases/")
		_, _, loc = b.post("/contacts", url.Values{"type": {"information"}, "party_id": {app.P1.ID}, "comment": {"Question sur les frais"}})
		contact := idAfter(t, loc, "/contacts/")
		_, page := b.get("/contacts/" + contact)
		if !strings.Contains(page, `<option value="`+opened+`">`) {
			t.Fatalf("the contact page does not offer the open case")
		}
		status, _, loc = b.post("/contacts/"+contact+"/move", url.Values{"case_id": {opened}})
		if status != http.StatusSeeOther || idAfter(t, loc, "/cases/") != opened {
			t.Fatalf("move: %d → %s", status, loc)
		}
		if _, page := b.get("/cases/" + opened); !strings.Contains(page, "Question sur les frais") {
			t.Errorf("the moved contact is not in the case")
		}
		if status, _, _ := b.post("/contacts/"+contact+"/move", url.Values{"case_id": {s.Card.ID}}); status != http.StatusUnprocessableEntity {
			t.Errorf("move into something that is not a case: %d", status)
		}
	})
}

// An agent without case.manage sees no "New contact" and is refused the
// pages; an agent of another agency does not find the case; a form posted
// from another site is refused.
func TestContactAndCasePagesNeedCaseManageTheScopeAndTheSameOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		adv := app.signIn("adv1")
		contact, id := newContactAndCase(t, adv, app, s)
		viewer := app.signIn("viewer")
		if _, home := viewer.get("/"); strings.Contains(home, "new-contact") {
			t.Errorf("the viewer's top bar offers New contact")
		}
		for _, path := range []string{"/contacts/new", "/contacts/" + contact, "/cases", "/cases/" + id} {
			if status, _ := viewer.get(path); status != http.StatusForbidden {
				t.Errorf("viewer opens %s: %d", path, status)
			}
		}
		if status, _, _ := viewer.post("/contacts/"+contact+"/case", url.Values{"classification": {"claim"}}); status != http.StatusForbidden {
			t.Errorf("viewer creates a case: %d", status)
		}
		if _, err := app.Orgs.CreateAgent(t.Context(), core.System(), org.AgentInput{Login: "adv2", Name: "Lina Conseillère",
			UnitCode: "A2", Roles: []string{"advisor"}, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		other := app.signIn("adv2")
		for _, path := range []string{"/contacts/" + contact, "/cases/" + id} {
			if status, page := other.get(path); status != http.StatusNotFound || strings.Contains(page, "Dupré") {
				t.Errorf("an agent of A2 opens %s: %d", path, status)
			}
		}
		for _, path := range []string{"/contacts", "/contacts/" + contact + "/case", "/contacts/" + contact + "/move",
			"/contacts/" + contact + "/plan", "/cases", "/cases/" + id + "/steps/analyse", "/cases/" + id + "/notes",
			"/cases/" + id + "/documents", "/cases/" + id + "/plan"} {
			req, _ := http.NewRequest(http.MethodPost, app.Server.URL+path, strings.NewReader("body=Forg%C3%A9e&classification=claim&plan=callback"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Origin", "https://evil.example")
			resp, err := adv.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site post to %s: %d, want 403", path, resp.StatusCode)
			}
		}
		if _, page := adv.get("/cases/" + id); strings.Contains(page, "Forgée") {
			t.Errorf("the cross-site post added a note")
		}
	})
}

// contactAndCase traces a card opposition for Hélène Dupré and creates a
// claim from it through the store, for the tests that post the pages' forms.
func (a *testApp) contactAndCase(s webtest.CaseSetup) (string, string) {
	a.t.Helper()
	ctx := context.Background()
	k, err := a.App.App.Cases.CreateContact(ctx, a.actorOf("adv1"), cases.NewContact{Type: "card_opposition",
		PartyID: a.P1.ID, ContractID: s.Card.ID, Comment: "Carte perdue."})
	if err != nil {
		a.t.Fatal(err)
	}
	c, err := a.App.App.Cases.CaseFromContact(ctx, a.actorOf("adv1"), k.ID, "claim")
	if err != nil {
		a.t.Fatal(err)
	}
	return k.ID, c.ID
}

// An action plan launched from a contact or a case creates its tasks; the
// case lists them with its elements; a plan the establishment lacks is
// refused on the form.
func TestAnActionPlanLaunchedFromAContactOrACaseCreatesItsTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		contact, id := newContactAndCase(t, b, app, s)
		if _, page := b.get("/contacts/" + contact); !strings.Contains(page, `<option value="callback">Rappel client</option>`) {
			t.Fatalf("the contact page does not offer the plan")
		}
		if status, _, _ := b.post("/contacts/"+contact+"/plan", url.Values{"plan": {"callback"}}); status != http.StatusSeeOther {
			t.Errorf("plan on the contact: %d", status)
		}
		if status, _, _ := b.post("/contacts/"+contact+"/plan", url.Values{"plan": {"nothing"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown plan: %d, want 422", status)
		}
		if status, _, _ := b.post("/cases/"+id+"/plan", url.Values{"plan": {"callback"}}); status != http.StatusSeeOther {
			t.Fatalf("plan on the case: %d", status)
		}
		_, page := b.get("/cases/" + id)
		if !strings.Contains(page, "Appeler le client") || !strings.Contains(page, "Vérifier les justificatifs") {
			t.Errorf("the case does not list the plan's tasks")
		}
	})
}

// From a contract's page, "New contact" carries the contract and its
// holder: the contact is about the customer and has the contract as its
// object, even for a type whose template asks for none.
func TestANewContactFromAContractPageHasItsHolderAndTheContract(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		s := webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		_, page := b.get("/contracts/" + s.Savings.ID + "?party=" + app.P1.ID)
		want := html.EscapeString("/contacts/new?contract_id=" + s.Savings.ID + "&party_id=" + app.P1.ID)
		if !strings.Contains(page, `href="`+want+`"`) {
			t.Fatalf("the contract page's New contact does not carry the contract and the party")
		}
		_, form := b.get("/contacts/new?type=information&contract_id=" + s.Savings.ID)
		if !strings.Contains(form, "Hélène Dupré") || !strings.Contains(form, `name="contract_id" value="`+s.Savings.ID+`"`) {
			t.Fatalf("the form lacks the contract's holder or the contract")
		}
		status, _, loc := b.post("/contacts", url.Values{"type": {"information"}, "contract_id": {s.Savings.ID}, "party_id": {app.P1.ID}})
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		if _, page := b.get(loc); !strings.Contains(page, "LA-0001") {
			t.Errorf("the contact's page does not show the contract")
		}
	})
}

// The agent adds an interlocutor (by the picker's client number) and an
// agent with a role beyond the template's; one outside their scope is
// refused on its field.
func TestANewContactTakesAnInterlocutorAndAnAgentAddedByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		webtest.SeedCases(t, app.App)
		b := app.signIn("adv1")
		status, _, loc := b.post("/contacts", url.Values{"type": {"information"}, "party_id": {app.P1.ID},
			"extra_party": {"1000000003"}, "extra_agent": {"admin"}, "extra_role": {"contributor"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		_, page := b.get(loc)
		for _, want := range []string{"Marc Dupré", "Alice Admin", "contributeur"} {
			if !strings.Contains(page, want) {
				t.Errorf("the contact's page lacks %q", want)
			}
		}
		status, page, _ = b.post("/contacts", url.Values{"type": {"information"}, "party_id": {app.P1.ID},
			"extra_party": {app.P2.ClientNumber}})
		if status != http.StatusUnprocessableEntity || strings.Contains(page, "Lefèvre") {
			t.Errorf("an interlocutor outside the scope: %d", status)
		}
	})
}

// The case list shows 50 cases a page, last updated first, and the next
// page the rest; the classification filter keeps its choice across pages.
func TestTheCaseListPagesThroughTheCasesOfTheScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		webtest.SeedCases(t, app.App)
		adv := app.actorOf("adv1")
		for i := 0; i < 55; i++ {
			if _, _, err := app.App.App.Cases.OpenCase(context.Background(), adv, cases.NewCase{Classification: "claim",
				PartyID: app.P1.ID}); err != nil {
				t.Fatal(err)
			}
		}
		b := app.signIn("adv1")
		_, first := b.get("/cases?classification=claim")
		links := regexp.MustCompile(`href="/cases/[0-9a-f-]{36}"`)
		next := regexp.MustCompile(`href="(/cases\?[^"]*cursor=[^"]*)" rel="next"`).FindStringSubmatch(first)
		if n := len(links.FindAllString(first, -1)); n != 50 || next == nil {
			t.Fatalf("first page: %d cases, next %v", n, next != nil)
		}
		_, second := b.get(html.UnescapeString(next[1]))
		if n := len(links.FindAllString(second, -1)); n != 5 || strings.Contains(second, `rel="next"`) {
			t.Errorf("second page: %d cases, want the 5 left and no next page", n)
		}
		if !strings.Contains(second, `<option value="claim" selected>`) {
			t.Errorf("the second page forgot the classification filter")
		}
	})
}
