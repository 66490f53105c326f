package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func mailboxForm(unit string) url.Values {
	return url.Values{"unit_code": {unit}, "address": {"contact@banque.example"}, "name": {"Banque Rapport"},
		"imap_host": {"127.0.0.1"}, "imap_port": {"1"}, "imap_security": {"none"}, "imap_login": {"contact"},
		"imap_password": {"imap-secret-42"}, "imap_folder": {"INBOX"}, "after_fetch": {"move"}, "after_fetch_folder": {"Traité"},
		"smtp_host": {"127.0.0.1"}, "smtp_port": {"1"}, "smtp_security": {"none"}, "smtp_login": {"contact"},
		"smtp_password": {"smtp-secret-42"}, "signature": {"L'équipe"}}
}

func TestMailboxesAreAdministeredWithoutEverShowingTheirPasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("admin")
		status, _, loc := b.post("/admin/desk/mailboxes", mailboxForm("BR"))
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/desk/mailboxes/") {
			t.Fatalf("create: %d %s", status, loc)
		}
		_, list := b.get("/admin/desk/mailboxes")
		br, _ := app.Orgs.UnitByCode(t.Context(), "BR")
		if !strings.Contains(list, "Banque Rapport") || !strings.Contains(list, "contact@banque.example") || strings.Contains(list, br.ID) {
			t.Errorf("the list names the unit and the address, not IDs:\n%s", list)
		}
		status, edit := b.get(loc)
		if status != http.StatusOK || strings.Contains(edit, "secret-42") || !strings.Contains(edit, "Traité") ||
			!strings.Contains(edit, "laisser vide pour conserver") {
			t.Errorf("edit page: %d, password shown %v", status, strings.Contains(edit, "secret-42"))
		}
		// Saving without typing the passwords keeps them.
		form := mailboxForm("BR")
		form.Del("imap_password")
		form.Del("smtp_password")
		form.Set("active", "on")
		form.Set("name", "Service clients")
		if status, body, _ := b.post(loc, form); status != http.StatusSeeOther {
			t.Fatalf("update: %d %.500s", status, body)
		}
		_, edit = b.get(loc)
		if strings.Count(edit, "laisser vide pour conserver") != 2 || !strings.Contains(edit, "Service clients") {
			t.Errorf("passwords lost on update")
		}
		status, tested, _ := b.post(loc+"/test", nil)
		if status != http.StatusOK || strings.Count(tested, "échec :") != 2 || strings.Contains(tested, "secret-42") {
			t.Errorf("connection test: %d\n%.1500s", status, tested[strings.Index(tested, "<main"):])
		}
		form = mailboxForm("BR")
		form.Set("imap_port", "cent")
		form.Set("address", "pas une adresse")
		status, refused, _ := b.post("/admin/desk/mailboxes", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(refused, "nombre entier") || !strings.Contains(refused, "adresse e-mail invalide") ||
			!strings.Contains(refused, "Traité") {
			t.Errorf("refused mailbox: %d\n%.3000s", status, refused)
		}
		if status, _ := app.signIn("adv1").get("/admin/desk/mailboxes"); status != http.StatusForbidden {
			t.Errorf("an advisor opens the mailboxes: %d", status)
		}
	})
}

func TestFormsPageShowsTheUnitTheAddressAndTheSnippets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("admin")
		status, _, loc := b.post("/admin/desk/forms", url.Values{"code": {"contact"}, "unit_code": {"A1"}, "name": {"Nous contacter"},
			"confirmation": {"Merci."}, "fields": {"phone"}, "active": {"on"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/desk/forms?edit=") {
			t.Fatalf("create: %d %s", status, loc)
		}
		_, page := b.get(loc)
		a1, _ := app.Orgs.UnitByCode(t.Context(), "A1")
		for _, want := range []string{"Paris Opéra", "/forms/contact", "/forms/contact/embed.js", "aucun : pas de boîte mail",
			`name=&#34;phone&#34;`, "les demandes sont bien enregistrées"} {
			if !strings.Contains(page, want) {
				t.Errorf("forms page lacks %q", want)
			}
		}
		if strings.Contains(page, a1.ID) {
			t.Errorf("the forms page shows a unit ID")
		}
		if strings.Contains(page, `name=&#34;attachments&#34;`) {
			t.Errorf("the snippet has attachments the form does not take")
		}
		status, refused, _ := b.post("/admin/desk/forms", url.Values{"code": {"Pas Bon"}, "unit_code": {"A1"}, "name": {"x"}, "confirmation": {"y"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(refused, "2 à 40 lettres minuscules") || !strings.Contains(refused, "Pas Bon") {
			t.Errorf("bad code: %d", status)
		}
	})
}

func TestTemplatesAndTargetsPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("admin")
		if status, _, loc := b.post("/admin/desk/templates/BR", url.Values{"name": {"Accusé"}, "body": {"Bonjour {{customer_name}}"},
			"position": {"1"}, "active": {"on"}}); status != http.StatusSeeOther || loc != "/admin/desk/templates/BR" {
			t.Fatalf("create template: %d %s", status, loc)
		}
		status, page := b.get("/admin/desk/templates/BR")
		if status != http.StatusOK || !strings.Contains(page, "Accusé") || !strings.Contains(page, "{{agent_name}}") ||
			!strings.Contains(page, "Banque Rapport") {
			t.Errorf("templates page: %d", status)
		}
		if status, _, _ := b.post("/admin/desk/targets/A1", url.Values{"first_response_minutes": {"60"}, "resolution_minutes": {"480"},
			"reopen_days": {"3"}}); status != http.StatusSeeOther {
			t.Fatalf("save targets: %d", status)
		}
		_, page = b.get("/admin/desk/targets")
		if !strings.Contains(page, "Paris Opéra") || !strings.Contains(page, "60 min") || !strings.Contains(page, "480 min") {
			t.Errorf("targets page lacks A1's targets")
		}
		status, page, _ = b.post("/admin/desk/targets/A1", url.Values{"first_response_minutes": {"0"}, "resolution_minutes": {"x"}, "reopen_days": {"3"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "nombre entier") {
			t.Errorf("bad targets: %d", status)
		}
	})
}
