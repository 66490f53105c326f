package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// deskActor is the actor of a test agent, to set up the desk through its store.
func deskActor(t *testing.T, app *webtest.App, login string) *core.Actor {
	t.Helper()
	ctx := context.Background()
	ag, err := app.Orgs.AgentByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := app.Orgs.Actor(ctx, ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// deskMailbox gives the establishment a mailbox on an in-process mail
// server, so replies and solicitations can be sent.
func deskMailbox(t *testing.T, app *webtest.App) {
	t.Helper()
	srv, err := devmail.Start(devmail.Options{IMAPAddr: "127.0.0.1:0", SMTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	br, err := app.Orgs.UnitByCode(context.Background(), "BR")
	if err != nil {
		t.Fatal(err)
	}
	hostPort := func(addr string) (string, int) {
		i := strings.LastIndex(addr, ":")
		p, _ := strconv.Atoi(addr[i+1:])
		return addr[:i], p
	}
	ih, ip := hostPort(srv.IMAPAddr())
	sh, sp := hostPort(srv.SMTPAddr())
	_, err = app.App.Desk.SaveMailbox(context.Background(), deskActor(t, app, "admin"), desk.Mailbox{UnitID: br.ID,
		Address: "contact@banque.example", Name: "Banque Rapport", Active: true,
		IMAP: desk.IMAPSettings{Host: ih, Port: ip, Security: "none", Login: "contact@banque.example", Password: "demo"},
		SMTP: desk.SMTPSettings{Host: sh, Port: sp, Security: "none", Login: "contact@banque.example", Password: "demo"}})
	if err != nil {
		t.Fatal(err)
	}
}

// deskRequest records a web form request from Hélène Dupré's address in A1.
func deskRequest(t *testing.T, app *webtest.App, subject string) desk.Request {
	t.Helper()
	a1, err := app.Orgs.UnitByCode(context.Background(), "A1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.App.Desk.Create(context.Background(), deskActor(t, app, "adv1"), desk.NewRequest{UnitID: a1.ID,
		Channel: desk.ChannelWebForm, Subject: subject, Body: "Bonjour, je voudrais augmenter le plafond de ma carte.",
		CustomerName: "Hélène Dupré", CustomerEmail: "helene.dupre@example.fr"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// secondBrowser is another browser with its own cookies on the same application.
func (b *browser) secondBrowser() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("second browser: %v", err)
	}
	return &browser{t: b.t, ctx: ctx, base: b.base}
}

// The "unread" badge stays when an agent opens a request and leaves before
// 3 seconds, and goes once the request has been open and visible 3 seconds.
func TestDeskUnreadBadgeStaysUnderThreeSecondsAndClearsAfter(t *testing.T) {
	app, b := start(t)
	r := deskRequest(t, app, "Plafond de carte")
	b.signIn("adv1")
	b.open("/desk/requests/" + r.ID)
	b.waitPage("/desk/requests/" + r.ID)
	b.open("/desk")
	b.waitPage("/desk")
	if n := b.count(`tr.desk-row .unread-badge`); n != 1 {
		t.Fatalf("after a glance the list shows %d unread badges, want 1", n)
	}
	b.open("/desk/requests/" + r.ID)
	b.waitPage("/desk/requests/" + r.ID)
	b.waitFor("the badge to go after 3 s of reading", `!document.getElementById("desk-unread")`)
	b.open("/desk")
	b.waitPage("/desk")
	if n := b.count(`tr.desk-row .unread-badge`); n != 0 {
		t.Errorf("after reading the list still shows %d unread badges", n)
	}
}

// Assigning a request to oneself changes the Assign button into the
// agent's initials.
func TestDeskAssignShowsInitials(t *testing.T) {
	app, b := start(t)
	r := deskRequest(t, app, "Plafond de carte")
	b.signIn("adv1")
	b.open("/desk/requests/" + r.ID)
	b.waitPage("/desk/requests/" + r.ID)
	b.do("open the assign menu", chromedp.Click(chromedp.CSS(`#assign-button`)))
	b.do("assign to me", chromedp.Click(chromedp.CSS(`#assign-me`), chromedp.NodeVisible))
	b.waitFor("the page after assigning", `document.querySelector("#assign-button .initials")`)
	if got := b.text(`#assign-button .initials`); got != "HC" {
		t.Errorf("the assign button shows %q, want Hugo Conseiller's initials HC", got)
	}
}

// A second agent's desk shows a new request as it arrives, and each
// agent on a request sees that the other is viewing it.
func TestDeskSecondBrowserSeesNewRequestsAndWhoIsViewing(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	b.open("/desk")
	b.waitFor("the live stream", `document.querySelector("[data-live]").getAttribute("data-live-state") === "open"`)
	r := deskRequest(t, app, "Opposition sur ma carte")
	b.waitFor("the new request to appear", `document.body.innerText.indexOf("Opposition sur ma carte") >= 0`)
	other := b.secondBrowser()
	other.signIn("admin")
	other.open("/desk/requests/" + r.ID)
	other.waitFor("admin's live stream", `document.querySelector("[data-live]").getAttribute("data-live-state") === "open"`)
	b.open("/desk/requests/" + r.ID)
	b.waitFor("Alice viewing", `document.getElementById("desk-presence").textContent.indexOf("Alice Admin consulte") >= 0`)
	other.waitFor("Hugo viewing", `document.getElementById("desk-presence").textContent.indexOf("Hugo Conseiller consulte") >= 0`)
}

// The solicitation's recipient suggests the addresses already solicited,
// most used first; the arrows and Enter choose one without sending the form.
func TestDeskSolicitationRecipientChosenWithTheKeyboard(t *testing.T) {
	app, b := start(t)
	deskMailbox(t, app)
	r := deskRequest(t, app, "Plafond de carte")
	ctx, adv := context.Background(), deskActor(t, app, "adv1")
	for _, to := range []string{"cartes@banque.example", "credit@banque.example", "cartes@banque.example"} {
		if _, _, err := app.App.Desk.Solicit(ctx, adv, r.ID, desk.Draft{To: to, Body: "Pouvez-vous regarder ?"}); err != nil {
			t.Fatal(err)
		}
	}
	b.signIn("adv1")
	path := "/desk/requests/" + r.ID
	b.open(path)
	b.waitPage(path)
	b.do("open the solicitation form", chromedp.Click(chromedp.CSS(`#solicit summary`)))
	b.do("focus the recipient", chromedp.Focus(chromedp.CSS(`#solicit-to`), chromedp.NodeVisible))
	b.typeKeys("banque")
	b.waitFor("the suggestions", `document.querySelectorAll("#solicit-to-list [role=option]").length === 2 && !document.getElementById("solicit-to-list").hidden`)
	if first := b.eval(`document.querySelector("#solicit-to-list [role=option]").getAttribute("data-value")`); first != "cartes@banque.example" {
		t.Errorf("the most solicited address is not first: %s", first)
	}
	b.press(kb.ArrowDown)
	b.press(kb.ArrowDown)
	b.pressEnter(`#solicit-to`)
	if got := b.value(`#solicit-to`); got != "credit@banque.example" {
		t.Errorf("Down, Down, Enter chose %q, want credit@banque.example", got)
	}
	if b.path() != path || b.eval(`String(document.getElementById("solicit-to-list").hidden)`) != "true" {
		t.Errorf("Enter sent the form or left the list open")
	}
}

// richDeskRequest is a request with a long subject, a reply, a note and a
// solicitation, for the layout and accessibility checks.
func richDeskRequest(t *testing.T, app *webtest.App) desk.Request {
	t.Helper()
	deskMailbox(t, app)
	r := deskRequest(t, app, "Demande d’augmentation du plafond de paiement de la carte Visa Premier pour un voyage à l’étranger")
	ctx, adv := context.Background(), deskActor(t, app, "adv1")
	if _, err := app.App.Desk.Reply(ctx, adv, r.ID, desk.Draft{Body: "<p>Bonjour, <b>c’est noté</b>.</p><ul><li>plafond</li></ul>"}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.App.Desk.Note(ctx, adv, r.ID, desk.Draft{Body: "Client rappelé, justificatif attendu."}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.App.Desk.Solicit(ctx, adv, r.ID, desk.Draft{To: "service.cartes.internationales@banque.example", Body: "Pouvez-vous valider ?"}); err != nil {
		t.Fatal(err)
	}
	return r
}

// An image put into the reply's editor leaves as an inline part of the
// mail (cid:) and shows in the request's history; the text's bold stays.
func TestDeskReplyWithAnInlineImage(t *testing.T) {
	app, b := start(t)
	deskMailbox(t, app)
	r := deskRequest(t, app, "Plafond de carte")
	b.signIn("adv1")
	path := "/desk/requests/" + r.ID
	b.open(path)
	b.waitPage(path)
	b.do("write the reply", chromedp.Click(chromedp.CSS(`[data-editor=reply] .editor-area`), chromedp.NodeVisible))
	b.typeKeys("Voici la capture ")
	b.eval(`(function () {
		var bin = atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
		var bytes = new Uint8Array(bin.length);
		for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
		var dt = new DataTransfer();
		dt.items.add(new File([bytes], "capture.png", { type: "image/png" }));
		var pick = document.querySelector("[data-editor=reply] .editor-image-pick");
		pick.files = dt.files;
		pick.dispatchEvent(new Event("change"));
		return "";
	})()`)
	b.waitFor("the image in the editor", `document.querySelector("[data-editor=reply] .editor-area img[data-cid]")`)
	b.do("send", chromedp.Click(chromedp.CSS(`#send-reply`)))
	b.waitFor("the reply's image shown in the history", `(function () {
		var img = document.querySelector(".msg-outbound .mail-body img[src^='/desk/files/']");
		return img && img.complete && img.naturalWidth === 1;
	})()`)
	if !strings.Contains(b.text(`.msg-outbound .mail-body`), "Voici la capture") {
		t.Errorf("the reply's text is missing")
	}
}

// On the list, j and k move between the requests (newest first) and Enter
// opens the one chosen.
func TestDeskListKeyboardMovesAndOpens(t *testing.T) {
	app, b := start(t)
	older := deskRequest(t, app, "Plafond de carte")
	deskRequest(t, app, "Opposition sur ma carte")
	b.signIn("adv1")
	b.open("/desk")
	b.waitPage("/desk")
	b.press("j")
	b.press("j")
	b.press("k")
	b.press("j")
	b.pressEnter(`tr.desk-row[aria-current] a.desk-open`)
	b.waitPage("/desk/requests/" + older.ID)
}
