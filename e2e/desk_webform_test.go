package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// withWebForm adds the web form "contact" of agency A1 and a mailbox of
// the establishment that acknowledges its submissions.
func withWebForm(t *testing.T, app *webtest.App) {
	t.Helper()
	ctx, sys := context.Background(), core.System()
	br, err := app.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.App.Desk.SaveMailbox(ctx, sys, desk.Mailbox{UnitID: br.ID, Address: "contact@banque.example",
		IMAP: desk.IMAPSettings{Host: "127.0.0.1", Port: 1, Security: "none"},
		SMTP: desk.SMTPSettings{Host: "127.0.0.1", Port: 1, Security: "none"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.App.Desk.SaveForm(ctx, sys, desk.Form{Code: "contact", UnitCode: "A1", Name: "Nous contacter",
		Confirmation: "Merci, nous vous répondons sous 48 heures.", Fields: []string{"phone", "attachments"}, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.App.Desk.SaveTemplate(ctx, sys, desk.Template{EstablishmentID: br.ID, Name: "Accusé",
		Body: "Bonjour {{customer_name}}", Active: true}); err != nil {
		t.Fatal(err)
	}
}

func requestsOf(t *testing.T, app *webtest.App) []desk.Request {
	t.Helper()
	page, err := app.App.Desk.List(context.Background(), core.System(), desk.Filter{View: "all"})
	if err != nil {
		t.Fatal(err)
	}
	return page.Requests
}

// A customer on a phone fills the public form, is told what to correct
// without losing what they typed, then sees the confirmation.
func TestACustomerSendsThePublicFormFromAPhone(t *testing.T) {
	app, b := start(t)
	withWebForm(t, app)
	b.do("phone screen", chromedp.EmulateViewport(390, 844))
	b.open("/forms/contact")
	b.waitPage("/forms/contact")
	if bad := b.eval(overflowing); bad != "" {
		t.Errorf("the form at 390 px:\n%s", bad)
	}
	if bad := accessibilityProblems(t, b); bad != "" {
		t.Errorf("the form's accessibility:\n%s", bad)
	}
	b.do("fill the form with a wrong email",
		chromedp.SendKeys(chromedp.CSS(`#wf-name`), "Jean Martin"),
		chromedp.SendKeys(chromedp.CSS(`#wf-email`), "jean.martin-example.fr"),
		chromedp.SendKeys(chromedp.CSS(`#wf-subject`), "Carte bloquée"),
		chromedp.SendKeys(chromedp.CSS(`#wf-message`), "Ma carte est bloquée depuis ce matin."),
		chromedp.Click(chromedp.CSS(`section.webform button[type="submit"]`)),
	)
	b.waitFor("the refusal", `document.querySelector("#wf-email-err")`)
	keepScreenshot(t, b, "webform-refused-phone")
	if got := b.value(`#wf-message`); got != "Ma carte est bloquée depuis ce matin." {
		t.Errorf("the message typed is lost: %q", got)
	}
	if bad := b.eval(overflowing); bad != "" {
		t.Errorf("the refused form at 390 px:\n%s", bad)
	}
	if bad := accessibilityProblems(t, b); bad != "" {
		t.Errorf("the refused form's accessibility:\n%s", bad)
	}
	b.do("correct the email and send",
		chromedp.Clear(chromedp.CSS(`#wf-email`)),
		chromedp.SendKeys(chromedp.CSS(`#wf-email`), "jean.martin@example.fr"),
		chromedp.Click(chromedp.CSS(`section.webform button[type="submit"]`)),
	)
	b.waitFor("the confirmation", `document.querySelector(".confirmation")`)
	if text := b.text(".confirmation"); !strings.Contains(text, "48 heures") || !strings.Contains(text, "R-") {
		t.Errorf("confirmation says %q", text)
	}
	keepScreenshot(t, b, "webform-sent-phone")
	reqs := requestsOf(t, app)
	if len(reqs) != 1 || reqs[0].CustomerName != "Jean Martin" || reqs[0].Channel != desk.ChannelWebForm {
		t.Errorf("requests = %+v", reqs)
	}
}

// The embeddable snippet on another site renders the form, posts it with
// fetch past the cross-origin protection and shows the confirmation.
func TestTheEmbeddedFormSendsFromAnotherSite(t *testing.T) {
	app, b := start(t)
	withWebForm(t, app)
	// The bank's own site, on another origin (localhost, not 127.0.0.1).
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="fr"><head><meta name="viewport" content="width=device-width"><title>Banque</title></head>
<body><main><h1>Contact</h1><div id="rapport-form-contact"></div>
<script src="` + app.Server.URL + `/forms/contact/embed.js" defer></script></main></body></html>`))
	}))
	t.Cleanup(site.Close)
	sitePage := strings.Replace(site.URL, "127.0.0.1", "localhost", 1)
	b.do("phone screen", chromedp.EmulateViewport(390, 844))
	b.do("open the bank's page", chromedp.Navigate(sitePage))
	b.waitFor("the embedded form", `document.querySelector("#rapport-form-contact-name")`)
	b.do("fill and send",
		chromedp.SendKeys(chromedp.CSS(`#rapport-form-contact-name`), "Zoé Client"),
		chromedp.SendKeys(chromedp.CSS(`#rapport-form-contact-email`), "zoe@example.fr"),
		chromedp.SendKeys(chromedp.CSS(`#rapport-form-contact-subject`), "Virement"),
		chromedp.SendKeys(chromedp.CSS(`#rapport-form-contact-message`), "Mon virement n'est pas arrivé."),
		chromedp.Click(chromedp.CSS(`#rapport-form-contact button[type="submit"]`)),
	)
	b.waitFor("the confirmation", `document.querySelector("#rapport-form-contact .rapport-confirmation")`)
	if text := b.text("#rapport-form-contact"); !strings.Contains(text, "48 heures") {
		t.Errorf("the embedded confirmation says %q", text)
	}
	if reqs := requestsOf(t, app); len(reqs) != 1 || reqs[0].CustomerName != "Zoé Client" {
		t.Errorf("requests = %+v", reqs)
	}
}

// The desk's administration pages fit a phone and a desktop and pass the
// accessibility check.
func TestDeskAdminPagesFitAndPassTheAccessibilityCheck(t *testing.T) {
	app, b := start(t)
	withWebForm(t, app)
	forms, err := app.App.Desk.Forms(context.Background(), core.System())
	if err != nil || len(forms) != 1 {
		t.Fatalf("forms: %v", err)
	}
	mailboxes, err := app.App.Desk.Mailboxes(context.Background(), core.System())
	if err != nil || len(mailboxes) != 1 {
		t.Fatalf("mailboxes: %v", err)
	}
	b.signIn("admin")
	for _, width := range []int64{390, 1440} {
		b.do("resize", chromedp.EmulateViewport(width, 900))
		for _, path := range []string{"/admin/desk/mailboxes", "/admin/desk/mailboxes/" + mailboxes[0].ID,
			"/admin/desk/mailboxes/new", "/admin/desk/forms", "/admin/desk/forms?edit=" + forms[0].ID,
			"/admin/desk/templates/BR", "/admin/desk/targets", "/admin/desk/targets?edit=A1"} {
			b.open(path)
			b.waitFor(path+" loaded", `document.readyState === "complete"`)
			if strings.Contains(path, "?edit=") && strings.Contains(path, "forms") {
				keepScreenshot(t, b, fmt.Sprintf("desk-admin-form-%d", width))
			}
			if bad := b.eval(overflowing); bad != "" {
				t.Errorf("%s at %d px:\n%s", path, width, bad)
			}
			if bad := accessibilityProblems(t, b); bad != "" {
				t.Errorf("%s at %d px:\n%s", path, width, bad)
			}
		}
	}
}
