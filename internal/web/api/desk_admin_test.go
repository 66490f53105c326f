package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestMailboxPasswordsAreWrittenButNeverReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		var answers []string
		keep := func(status int, raw string, want int, what string) {
			t.Helper()
			if status != want {
				t.Fatalf("%s: %d %s, want %d", what, status, raw, want)
			}
			answers = append(answers, raw)
		}
		status, raw, created := app.call("admin", http.MethodPost, "/admin/mailboxes", mailboxBody("contact@banque.fr"))
		keep(status, raw, http.StatusCreated, "create")
		id, _ := created["id"].(string)
		imap, _ := created["imap"].(map[string]any)
		if created["unit_code"] != "BR" || created["active"] != true || imap["has_password"] != true || imap["folder"] != "INBOX" {
			t.Errorf("created %s", raw)
		}
		status, raw, _ = app.call("admin", http.MethodGet, "/admin/mailboxes/"+id, nil)
		keep(status, raw, http.StatusOK, "get")
		status, raw, list := app.call("admin", http.MethodGet, "/admin/mailboxes", nil)
		keep(status, raw, http.StatusOK, "list")
		if n := len(list["items"].([]any)); n != 1 {
			t.Errorf("%d mailboxes listed, want 1", n)
		}
		// A change without passwords keeps them; active stays as it was.
		change := mailboxBody("contact@banque.fr")
		change["name"] = "Contact"
		delete(change["imap"].(map[string]any), "password")
		change["smtp"].(map[string]any)["password"] = ""
		status, raw, changed := app.call("admin", http.MethodPut, "/admin/mailboxes/"+id, change)
		keep(status, raw, http.StatusOK, "put")
		if changed["name"] != "Contact" || changed["active"] != true || changed["smtp"].(map[string]any)["has_password"] != true {
			t.Errorf("changed %s", raw)
		}
		// Nothing listens on port 1: both steps fail, saying why, never with the password.
		status, raw, check := app.call("admin", http.MethodPost, "/admin/mailboxes/"+id+"/test", nil)
		keep(status, raw, http.StatusOK, "test")
		if check["imap"] == "" || check["smtp"] == "" {
			t.Errorf("connection test against nothing: %s, want both failed", raw)
		}
		status, raw, _ = app.call("admin", http.MethodPost, "/admin/mailboxes", mailboxBody("contact@banque.fr"))
		keep(status, raw, http.StatusUnprocessableEntity, "the same address again")
		for _, a := range answers {
			if strings.Contains(a, "s3cret") || strings.Contains(a, `"password"`) {
				t.Errorf("an answer shows a password: %s", a)
			}
		}

		bad := mailboxBody("pas une adresse")
		bad["imap"].(map[string]any)["security"] = "ssl"
		status, raw, _ = app.call("admin", http.MethodPost, "/admin/mailboxes", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(raw, "imap.security") {
			t.Errorf("bad mailbox: %d %s, want 422 naming imap.security", status, raw)
		}
		bad = mailboxBody("autre@banque.fr")
		bad["unit_code"] = "XX"
		if status, raw, _ = app.call("admin", http.MethodPost, "/admin/mailboxes", bad); status != http.StatusUnprocessableEntity || !strings.Contains(raw, "unit_code") {
			t.Errorf("unknown unit: %d %s, want 422 naming unit_code", status, raw)
		}
		// Mailboxes are administered with desk.admin only.
		for _, c := range []struct {
			method, path string
			body         any
		}{{http.MethodGet, "/admin/mailboxes", nil}, {http.MethodGet, "/admin/mailboxes/" + id, nil},
			{http.MethodPost, "/admin/mailboxes", mailboxBody("x@banque.fr")}, {http.MethodPut, "/admin/mailboxes/" + id, change},
			{http.MethodPost, "/admin/mailboxes/" + id + "/test", nil}} {
			if status, raw, _ := app.call("adv1", c.method, c.path, c.body); status != http.StatusForbidden {
				t.Errorf("advisor %s %s: %d %.200s, want 403", c.method, c.path, status, raw)
			}
		}
		if status, _, _ := app.call("admin", http.MethodGet, "/admin/mailboxes/0190f0f0-0000-7000-8000-000000000000", nil); status != http.StatusNotFound {
			t.Errorf("missing mailbox: %d, want 404", status)
		}
	})
}

func TestAUnitsDeskTargetsAreReadAndSet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		def := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/units/A1/desk-targets", nil)
		if def["first_response_minutes"] != float64(240) || def["reopen_days"] != float64(7) {
			t.Errorf("default targets %v", def)
		}
		set := map[string]any{"first_response_minutes": 60, "resolution_minutes": 960, "reopen_days": 3}
		app.must(http.StatusOK, "admin", http.MethodPut, "/admin/units/A1/desk-targets", set)
		got := app.must(http.StatusOK, "admin", http.MethodGet, "/admin/units/A1/desk-targets", nil)
		if got["first_response_minutes"] != float64(60) || got["resolution_minutes"] != float64(960) || got["reopen_days"] != float64(3) {
			t.Errorf("saved targets read back as %v", got)
		}
		set["first_response_minutes"] = 0
		if status, raw, _ := app.call("admin", http.MethodPut, "/admin/units/A1/desk-targets", set); status != http.StatusUnprocessableEntity || !strings.Contains(raw, "first_response_minutes") {
			t.Errorf("zero minutes: %d %s, want 422 naming first_response_minutes", status, raw)
		}
		if status, _, _ := app.call("admin", http.MethodGet, "/admin/units/XX/desk-targets", nil); status != http.StatusNotFound {
			t.Errorf("unknown unit: %d, want 404", status)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/admin/units/A1/desk-targets", nil); status != http.StatusForbidden {
			t.Errorf("advisor reads targets: %d, want 403", status)
		}
	})
}
