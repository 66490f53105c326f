package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

// withContactForm adds the web form "contact" of agency A1.
func withContactForm(t *testing.T, app *testApp) {
	t.Helper()
	if _, err := app.App.App.Desk.SaveForm(context.Background(), core.System(), desk.Form{Code: "contact", UnitCode: "A1",
		Name: "Nous contacter", Confirmation: "Merci, nous vous répondons sous 48 heures.",
		Fields: []string{"phone", "attachments"}, Active: true}); err != nil {
		t.Fatal(err)
	}
}

// postForm posts a web form as a browser would, with extra headers.
func (a *testApp) postForm(path string, fields map[string]string, file []byte, headers map[string]string) (*http.Response, string) {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("attachments", "releve.txt")
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func customer() map[string]string {
	return map[string]string{"name": "Jean Martin", "email": "jean.martin@example.fr", "phone": "06 00 00 00 01",
		"subject": "Carte bloquée", "message": "Ma carte est bloquée.", "website": ""}
}

func (a *testApp) requestCount() int {
	a.t.Helper()
	page, err := a.App.App.Desk.List(context.Background(), core.System(), desk.Filter{View: "all"})
	if err != nil {
		a.t.Fatal(err)
	}
	return len(page.Requests)
}

func TestThePublicFormSpeaksTheVisitorsLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		status, fr := app.call("", http.MethodGet, "/forms/contact", nil)
		if status != http.StatusOK || !strings.Contains(fr["_raw"].(string), "Votre message") ||
			!strings.Contains(fr["_raw"].(string), `lang="fr"`) {
			t.Errorf("French page: %d %.400s", status, fr["_raw"])
		}
		status, en := app.call("", http.MethodGet, "/forms/contact?lang=en", nil)
		if status != http.StatusOK || !strings.Contains(en["_raw"].(string), "Your message") {
			t.Errorf("English page: %d", status)
		}
		if status, _ := app.call("", http.MethodGet, "/forms/nothing", nil); status != http.StatusNotFound {
			t.Errorf("unknown form: %d", status)
		}
	})
}

func TestASubmittedFormShowsItsConfirmationAndAcceptsPostsFromOtherSites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		resp, body := app.postForm("/forms/contact", customer(), []byte("relevé"), nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "48 heures") || !strings.Contains(body, "R-0000") {
			t.Fatalf("same-origin post: %d %.500s", resp.StatusCode, body)
		}
		// The embeddable snippet posts from the bank's site and reads JSON.
		resp, body = app.postForm("/forms/contact", customer(), nil, map[string]string{"Origin": "https://www.banque.example",
			"Sec-Fetch-Site": "cross-site", "Accept": "application/json"})
		var out map[string]any
		json.Unmarshal([]byte(body), &out)
		if resp.StatusCode != http.StatusOK || out["ok"] != true || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("cross-site post: %d %s", resp.StatusCode, body)
		}
		if n := app.requestCount(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
		// Elsewhere the cross-origin protection still holds.
		resp, _ = app.postForm("/login", map[string]string{"login": "admin"}, nil, map[string]string{
			"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site sign-in: %d, want 403", resp.StatusCode)
		}
	})
}

func TestTheHoneypotPretendsSuccessAndStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		bot := customer()
		bot["website"] = "http://spam.example"
		resp, body := app.postForm("/forms/contact", bot, nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "48 heures") {
			t.Errorf("honeypot: %d %.300s", resp.StatusCode, body)
		}
		if n := app.requestCount(); n != 0 {
			t.Errorf("the honeypot stored %d requests", n)
		}
		_, metrics := app.call("", http.MethodGet, "/metrics", nil)
		if !strings.Contains(metrics["_raw"].(string), `rapport_webform_refused_total{reason="honeypot"} 1`) {
			t.Errorf("the honeypot was not counted")
		}
	})
}

func TestTooManySubmissionsFromOneAddressAre429(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		for i := 0; i < 5; i++ {
			if resp, body := app.postForm("/forms/contact", customer(), nil, nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("submission %d: %d %.300s", i+1, resp.StatusCode, body)
			}
		}
		resp, body := app.postForm("/forms/contact", customer(), nil, nil)
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "10 minutes") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("sixth submission: %d %.500s", resp.StatusCode, body)
		}
		if n := app.requestCount(); n != 5 {
			t.Errorf("%d requests, want 5", n)
		}
	})
}

func TestHostileFormFieldsAreRefusedOneByOneKeepingWhatWasTyped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		for _, field := range []string{"name", "email", "phone", "subject", "message"} {
			for bad, want := range map[string]string{"a\x00b": "NUL", "caf\xe9": "UTF-8", strings.Repeat("é", 20_001): "au plus"} {
				in := customer()
				in[field] = bad
				resp, body := app.postForm("/forms/contact", in, nil, nil)
				if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="wf-`+field+`-err"`) ||
					!strings.Contains(body, want) && field != "email" {
					t.Errorf("%s %s: %d %.300s", field, want, resp.StatusCode, body)
				}
				for k, v := range customer() {
					if k != field && k != "website" && !strings.Contains(body, v) {
						t.Errorf("%s %s: the typed %s %q is not shown again", field, want, k, v)
					}
				}
			}
		}
		if n := app.requestCount(); n != 0 {
			t.Errorf("refused submissions stored %d requests", n)
		}
	})
}

func TestTheEmbeddableScriptCarriesTheFormsLabels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		resp, err := http.Get(app.Server.URL + "/forms/contact/embed.js?lang=en")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		js, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
			!strings.Contains(string(js), `"message":"Your message"`) || !strings.Contains(string(js), `"attachments":true`) {
			t.Errorf("embed.js: %d %s\n%.300s", resp.StatusCode, resp.Header.Get("Content-Type"), js)
		}
	})
}

// deskTemplateID adds a reply template of BR for the hostile-input table.
func deskTemplateID(app *testApp) string {
	app.t.Helper()
	ctx := context.Background()
	br, err := app.Orgs.UnitByCode(ctx, "BR")
	if err != nil {
		app.t.Fatal(err)
	}
	t, err := app.App.App.Desk.SaveTemplate(ctx, core.System(), desk.Template{EstablishmentID: br.ID, Name: "Existant",
		Body: "{{reference}}", Active: true})
	if err != nil {
		app.t.Fatal(err)
	}
	return t.ID
}

func TestASubmissionOver25MiBIsRefusedWithAClearPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		withContactForm(t, app)
		resp, body := app.postForm("/forms/contact", customer(), bytes.Repeat([]byte("a"), 26<<20), nil)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "25 Mo") {
			t.Errorf("26 MiB: %d %.300s", resp.StatusCode, body)
		}
		// Within the cap, a file over the per-file limit is named in the form.
		resp, body = app.postForm("/forms/contact", customer(), bytes.Repeat([]byte("a"), 11<<20), nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "releve.txt") ||
			!strings.Contains(body, "Jean Martin") {
			t.Errorf("11 MiB file: %d %.300s", resp.StatusCode, body)
		}
		if n := app.requestCount(); n != 0 {
			t.Errorf("%d requests stored", n)
		}
	})
}
