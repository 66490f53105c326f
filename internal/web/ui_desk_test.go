package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
)

// actorOf is the actor of a test agent, to set up the desk through its store.
func (a *testApp) actorOf(login string) *core.Actor {
	a.t.Helper()
	ctx := context.Background()
	ag, err := a.Orgs.AgentByLogin(ctx, login)
	if err != nil {
		a.t.Fatal(err)
	}
	actor, err := a.Orgs.Actor(ctx, ag.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return actor
}

// withMailbox gives the establishment a mailbox on an in-process mail
// server, so replies and solicitations can be queued.
func (a *testApp) withMailbox() {
	a.t.Helper()
	srv, err := devmail.Start(devmail.Options{IMAPAddr: "127.0.0.1:0", SMTPAddr: "127.0.0.1:0"})
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { srv.Close() })
	ctx := context.Background()
	br, err := a.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		a.t.Fatal(err)
	}
	host, port := splitHostPort(a.t, srv.IMAPAddr())
	shost, sport := splitHostPort(a.t, srv.SMTPAddr())
	_, err = a.App.App.Desk.SaveMailbox(ctx, a.actorOf("admin"), desk.Mailbox{UnitID: br.ID, Address: "contact@banque.example",
		Name: "Banque Rapport", Active: true,
		IMAP: desk.IMAPSettings{Host: host, Port: port, Security: "none", Login: "contact@banque.example", Password: "demo"},
		SMTP: desk.SMTPSettings{Host: shost, Port: sport, Security: "none", Login: "contact@banque.example", Password: "demo"}})
	if err != nil {
		a.t.Fatal(err)
	}
}

func splitHostPort(t *testing.T, addr string) (string, int) {
	i := strings.LastIndex(addr, ":")
	port, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return addr[:i], port
}

// newRequest records a web form request of Hélène Dupré's address in A1.
func (a *testApp) newRequest(subject string) desk.Request {
	a.t.Helper()
	ctx := context.Background()
	a1, err := a.Orgs.UnitByCode(ctx, "A1")
	if err != nil {
		a.t.Fatal(err)
	}
	r, err := a.App.App.Desk.Create(ctx, a.actorOf("adv1"), desk.NewRequest{UnitID: a1.ID, Channel: desk.ChannelWebForm,
		Subject: subject, Body: "Bonjour, je voudrais augmenter le plafond de ma carte.", CustomerName: "Hélène Dupré",
		CustomerEmail: "helene.dupre@example.fr"})
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

func TestDeskListShowsNamesAndCountsNotIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		r := app.newRequest("Plafond de carte")
		adv := app.signIn("adv1")
		status, page := adv.get("/desk")
		if status != http.StatusOK {
			t.Fatalf("GET /desk: %d", status)
		}
		for _, want := range []string{"Plafond de carte", r.Reference, "Hélène Dupré", "Ouvertes", "Non lu (1)", `href="/desk"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the desk does not show %q", want)
			}
		}
		if strings.Contains(page, r.PartyID) && r.PartyID != "" && !strings.Contains(page, "/desk/requests/"+r.ID) {
			t.Errorf("the desk shows the party's id")
		}
		_, page = adv.get("/desk?view=mine")
		if !strings.Contains(page, "Aucune demande dans cette vue.") {
			t.Errorf("the empty view says nothing")
		}
		_, page = adv.get("/desk?channel=phone")
		if strings.Contains(page, "Plafond de carte") {
			t.Errorf("the channel filter keeps a web form request")
		}
		// The view tabs keep the filter, as a query string a browser reads
		// ("=" and "&" not escaped into the value).
		if !strings.Contains(page, `href="/desk?channel=phone&amp;view=open"`) || strings.Contains(page, "%3d") {
			t.Errorf("the view tabs do not link to the filtered views")
		}
		// The party page lists the requests linked to the customer (found by address).
		_, page = adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "Plafond de carte") || !strings.Contains(page, "Enregistrer une demande téléphonique") {
			t.Errorf("the party page does not list its requests with the phone action")
		}
	})
}

func TestDeskActionsChangeTheRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withMailbox()
		r := app.newRequest("Plafond de carte")
		adv := app.signIn("adv1")
		base := "/desk/requests/" + r.ID
		status, page := adv.get(base)
		if status != http.StatusOK || !strings.Contains(page, "augmenter le plafond") || !strings.Contains(page, "M’assigner") {
			t.Fatalf("the request page: %d, the message and the actions shown", status)
		}
		post := func(path string, form url.Values) {
			t.Helper()
			if status, body, _ := adv.post(base+path, form); status != http.StatusSeeOther {
				t.Fatalf("POST %s: %d\n%s", path, status, body)
			}
		}
		post("/assign", url.Values{"login": {"adv1"}})
		post("/subject", url.Values{"subject": {"Plafond de carte bancaire"}})
		post("/qualify", url.Values{"priority": {"high"}, "status": {"waiting"}, "reason": {""}})
		post("/note", url.Values{"body": {"Client appelé, en attente du justificatif."}})
		post("/reply", url.Values{"body": {"<p>Bonjour, <b>c’est noté</b>.</p><script>alert(1)</script>"}, "subject": {"Re: plafond"}})
		post("/solicit", url.Values{"to": {"service.cartes@banque.example"}, "subject": {"Plafond"}, "body": {"Pouvez-vous valider ?"}})
		_, page = adv.get(base)
		for _, want := range []string{`class="initials" title="Hugo Conseiller">HC`, "Plafond de carte bancaire", "Haute", "En attente",
			"Client appelé", "Note interne", "c’est noté", "service.cartes@banque.example", "Sollicitations"} {
			if !strings.Contains(page, want) {
				t.Errorf("after the actions the page does not show %q", want)
			}
		}
		if strings.Contains(page, "<script>alert(1)") {
			t.Errorf("the reply's script is shown unsanitised")
		}
		got, err := app.App.App.Desk.Get(context.Background(), app.actorOf("adv1"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Assignee == nil || got.Assignee.Login != "adv1" || got.Priority != "high" || got.Status != "waiting" {
			t.Errorf("request after the actions: assignee %v, priority %s, status %s", got.Assignee, got.Priority, got.Status)
		}
		// The recipients already solicited are suggested.
		if _, list := adv.get("/desk/recipients?to=cartes"); !strings.Contains(list, `data-value="service.cartes@banque.example"`) {
			t.Errorf("the solicited address is not suggested: %s", list)
		}
		// Reading marks it read.
		if status, _, _ := adv.post(base+"/read", nil); status != http.StatusNoContent {
			t.Errorf("POST read: %d", status)
		}
		if _, page := adv.get("/desk?view=all"); strings.Contains(page, "Non lu (") {
			t.Errorf("the request is still unread after being read")
		}
	})
}

func TestDeskReplyAfterAnotherAgentsReplyIsAConflictSentAnywayOnRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withMailbox()
		r := app.newRequest("Plafond de carte")
		th, err := app.App.App.Desk.Thread(context.Background(), app.actorOf("adv1"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := th.Messages[len(th.Messages)-1].ID
		if _, err := app.App.App.Desk.Reply(context.Background(), app.actorOf("admin"), r.ID, desk.Draft{Body: "Réponse d’Alice"}); err != nil {
			t.Fatal(err)
		}
		adv := app.signIn("adv1")
		form := url.Values{"body": {"Ma réponse"}, "seen_last": {seen}}
		status, page, _ := adv.post("/desk/requests/"+r.ID+"/reply", form)
		if status != http.StatusConflict || !strings.Contains(page, "Alice Admin a répondu depuis que vous avez ouvert cette demande") ||
			!strings.Contains(page, "Nouvelle réponse") || !strings.Contains(page, "Réponse d’Alice") ||
			!strings.Contains(page, "Envoyer quand même") || !strings.Contains(page, "Ma réponse") {
			t.Fatalf("the colliding reply: %d, the other reply, its author, the draft and Send anyway shown?", status)
		}
		form.Set("force", "1")
		if status, _, _ := adv.post("/desk/requests/"+r.ID+"/reply", form); status != http.StatusSeeOther {
			t.Errorf("Send anyway: %d", status)
		}
	})
}

func TestDeskViewerSeesNoActionsAndIsRefusedThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		r := app.newRequest("Plafond de carte")
		viewer := app.signIn("viewer")
		status, page := viewer.get("/desk/requests/" + r.ID)
		if status != http.StatusOK || !strings.Contains(page, "Plafond de carte") {
			t.Fatalf("the viewer reads the request: %d", status)
		}
		for _, action := range []string{"/assign", "/reply", "/note", "/solicit", "/qualify", "/subject"} {
			if strings.Contains(page, `action="/desk/requests/`+r.ID+action+`"`) {
				t.Errorf("the viewer is offered %s", action)
			}
		}
		for _, action := range []string{"/assign", "/reply", "/note", "/solicit", "/qualify", "/subject", "/party"} {
			if status, _, _ := viewer.post("/desk/requests/"+r.ID+action, url.Values{"login": {"viewer"}, "body": {"x"},
				"subject": {"x"}, "to": {"a@b.example"}, "status": {"closed"}}); status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d, want 403", action, status)
			}
		}
		if _, page := viewer.get("/desk"); strings.Contains(page, "Nouvelle demande téléphonique") {
			t.Errorf("the viewer is offered to record a phone request")
		}
	})
}

func TestDeskPhoneRequestFromThePartyPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		status, page := adv.get("/desk/new?party=" + app.P1.ID)
		if status != http.StatusOK || !strings.Contains(page, "Hélène Dupré") {
			t.Fatalf("the phone form for Hélène: %d", status)
		}
		status, page, _ = adv.post("/desk/requests", url.Values{"party_id": {app.P1.ID}, "subject": {""}, "body": {"x"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Hélène Dupré") {
			t.Errorf("a phone request without subject: %d, shown again for Hélène?", status)
		}
		status, _, loc := adv.post("/desk/requests", url.Values{"party_id": {app.P1.ID}, "subject": {"Opposition carte"},
			"body": {"Carte perdue ce matin"}, "priority": {"high"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk/requests/") {
			t.Fatalf("record the phone request: %d → %s", status, loc)
		}
		_, page = adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "Opposition carte") {
			t.Errorf("the party page does not list the phone request")
		}
		_, page = adv.get(loc)
		if !strings.Contains(page, "Carte perdue ce matin") || !strings.Contains(page, "Téléphone") || !strings.Contains(page, "/parties/"+app.P1.ID) {
			t.Errorf("the phone request's page lacks what the customer asked, the channel or the customer")
		}
	})
}

func TestDeskPagesSpeakEitherLanguageWithoutRawKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withMailbox()
		r := app.newRequest("Plafond de carte")
		if _, _, err := app.App.App.Desk.Solicit(context.Background(), app.actorOf("adv1"), r.ID,
			desk.Draft{To: "cartes@banque.example", Body: "Pouvez-vous regarder ?"}); err != nil {
			t.Fatal(err)
		}
		adv := app.signIn("adv1")
		rawKey := regexp.MustCompile(`\b(desk|reason|tl)\.[a-z_]+\.?[a-z_]*\b`)
		for _, lang := range []struct{ code, want string }{{"en", "Requests"}, {"fr", "Demandes"}} {
			adv.post("/lang", url.Values{"lang": {lang.code}, "next": {"/desk"}})
			for _, path := range []string{"/desk", "/desk/requests/" + r.ID, "/desk/new", "/parties/" + app.P1.ID} {
				_, page := adv.get(path)
				if !strings.Contains(page, lang.want) {
					t.Errorf("%s in %s does not say %q", path, lang.code, lang.want)
				}
				if m := rawKey.FindString(stripTags(page)); m != "" {
					t.Errorf("%s in %s shows the raw key %q", path, lang.code, m)
				}
			}
		}
	})
}

// stripTags is a page's text without its markup, scripts and attributes.
func stripTags(page string) string {
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(page, " ")
}

func TestDeskCreateTheCustomerFromARequestLinksIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		a1, _ := app.Orgs.UnitByCode(ctx, "A1")
		r, err := app.App.App.Desk.Create(ctx, app.actorOf("adv1"), desk.NewRequest{UnitID: a1.ID, Channel: desk.ChannelEmail,
			Subject: "Ouvrir un compte", Body: "Bonjour", CustomerName: "Paul Martin", CustomerEmail: "paul.martin@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		adv := app.signIn("adv1")
		_, page := adv.get("/desk/requests/" + r.ID)
		link := regexp.MustCompile(`href="(/parties/new\?[^"]+)"`).FindStringSubmatch(page)
		if link == nil || !strings.Contains(page, "Créer le client") {
			t.Fatalf("no Create the customer link")
		}
		_, form := adv.get(html.UnescapeString(link[1]))
		for _, want := range []string{`value="Paul"`, `value="Martin"`, `value="paul.martin@example.org"`, `name="request" value="` + r.ID} {
			if !strings.Contains(form, want) {
				t.Errorf("the party form is not prefilled with %s", want)
			}
		}
		status, _, loc := adv.post("/parties", url.Values{"kind": {"person"}, "first_name": {"Paul"}, "last_name": {"Martin"},
			"agency_code": {"A1"}, "email_0": {"paul.martin@example.org"}, "email_kind_0": {"personal"}, "request": {r.ID}})
		if status != http.StatusSeeOther || loc != "/desk/requests/"+r.ID {
			t.Fatalf("create the customer: %d → %s", status, loc)
		}
		got, err := app.App.App.Desk.Get(ctx, app.actorOf("adv1"), r.ID)
		if err != nil || got.PartyID == "" || got.PartyName != "Paul Martin" {
			t.Errorf("the request is not linked to the new customer: %+v %v", got.PartyName, err)
		}
	})
}

func TestDeskFailedReplyShowsWhyAndIsSentAgainOnRetry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withMailbox()
		r := app.newRequest("Plafond de carte")
		ctx := context.Background()
		m, err := app.App.App.Desk.Reply(ctx, app.actorOf("adv1"), r.ID, desk.Draft{Body: "Bonjour"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.DB.Exec(ctx, "UPDATE desk_messages SET status = 'failed', status_detail = ? WHERE id = ?",
			"550 mailbox unavailable", m.ID); err != nil {
			t.Fatal(err)
		}
		adv := app.signIn("adv1")
		base := "/desk/requests/" + r.ID
		_, page := adv.get(base)
		retry := base + "/messages/" + m.ID + "/retry"
		if !strings.Contains(page, "Non distribué: 550 mailbox unavailable") || !strings.Contains(page, `action="`+retry+`"`) {
			t.Fatalf("the failed reply does not show why with a Retry button")
		}
		if status, _, _ := adv.post(retry, nil); status != http.StatusSeeOther {
			t.Fatalf("retry: %d", status)
		}
		if _, page = adv.get(base); strings.Contains(page, "550 mailbox unavailable") || strings.Contains(page, `action="`+retry+`"`) {
			t.Errorf("after Retry the reply still shows as failed")
		}
		if status, _, _ := adv.post(retry, nil); status != http.StatusSeeOther {
			t.Errorf("a second retry: %d, want a message and back to the request", status)
		}
	})
}

func TestDeskReplyOffersTheEstablishmentsTemplatesFilledForTheRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		br, err := app.Orgs.UnitByCode(ctx, "BR")
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := app.App.App.Desk.SaveTemplate(ctx, app.actorOf("admin"), desk.Template{EstablishmentID: br.ID,
			Name: "Plafond relevé", Body: "<p>Bonjour {{customer_name}}, votre demande {{reference}} est traitée. {{agent_name}}</p>", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		r := app.newRequest("Plafond de carte")
		adv := app.signIn("adv1")
		if _, page := adv.get("/desk/requests/" + r.ID); !strings.Contains(page, "Plafond relevé") {
			t.Fatal("the reply form does not offer the establishment's template")
		}
		status, body := adv.get("/desk/requests/" + r.ID + "/templates/" + tpl.ID)
		if status != http.StatusOK || !strings.Contains(body, "Bonjour Hélène Dupré, votre demande "+r.Reference+" est traitée. Hugo Conseiller") {
			t.Fatalf("template filled: %d %q", status, body)
		}
	})
}
