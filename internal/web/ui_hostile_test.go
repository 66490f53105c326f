package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

var (
	postForm  = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>(.*?)</form>`)
	formField = regexp.MustCompile(`<(?:input|select|textarea)[^>]*\bname="([^"]+)"[^>]*>`)
	fieldVal  = regexp.MustCompile(`\bvalue="([^"]*)"`)
)

// TestHostileInputInEveryFormOfThePagesIsNeverA500: each form an
// administrator and an advisor see is posted with each field in turn
// holding a NUL byte, invalid UTF-8 or a huge text; the pages answer with
// a refusal or ignore the field, never with an internal error.
func TestHostileInputInEveryFormOfThePagesIsNeverA500(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		setup := webtest.SeedCases(t, app.App)
		contact, caseID := app.contactAndCase(setup)
		app.newTask("adv1", cases.NewTask{Title: "Rappeler la cliente", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Vérifier les pièces", DueOn: "2026-11-24", Queue: true})
		app.withClaims()
		lead := app.newLead("Hostile")
		// An open lead of Hélène Dupré: the request page's "associated with"
		// form and the new task's lead field appear.
		app.addLead("A1", app.P1.ID, "adv1", "site", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), -1)
		// The advisor's pages first: the role forms the administrator posts
		// next may change what an advisor may do.
		pages := []struct {
			as    string
			paths []string
		}{
			{"adv1", []string{"/parties/new", "/parties/" + app.P1.ID, "/parties/" + app.P1.ID + "/edit",
				"/desk/new", "/desk/requests/" + app.newRequest("Plafond de carte").ID,
				"/contacts/new?type=card_opposition&party_id=" + app.P1.ID, "/contacts/" + contact, "/cases/" + caseID,
				"/activity", "/board", "/", "/profile"}},
			{"admin", []string{"/admin/units", "/admin/units/A1", "/admin/agents/new", "/admin/agents/viewer", "/admin/roles",
				"/admin/tokens", "/admin/history", "/admin/history/settings/BR", "/admin/report-reasons/BR",
				"/admin/desk/mailboxes/new", "/admin/desk/forms", "/admin/desk/templates/BR", "/admin/desk/targets?edit=A1",
				"/admin/cases/BR/contact-types/new", "/admin/cases/BR/classifications/new", "/admin/cases/BR/plans/new",
				"/leads/" + lead.ID, "/admin/leads/BR", "/admin/absences?agent=adv1",
				"/admin/sms-gateways/BR", "/admin/surveys/new"}},
		}
		posted := 0
		for _, pg := range pages {
			as, paths := pg.as, pg.paths
			b := app.signIn(as)
			for _, page := range paths {
				status, body := b.get(page)
				if status != http.StatusOK {
					t.Fatalf("%s: %d", page, status)
				}
				for _, form := range postForm.FindAllStringSubmatch(body, -1) {
					action := html.UnescapeString(form[1])
					if action == "/logout" || action == "/lang" || strings.Contains(action, "/delete") ||
						strings.Contains(action, "/revoke") || strings.HasSuffix(action, "/active") {
						continue
					}
					valid := url.Values{}
					for _, f := range formField.FindAllStringSubmatch(form[2], -1) {
						v := ""
						if m := fieldVal.FindStringSubmatch(f[0]); m != nil {
							v = html.UnescapeString(m[1])
						}
						valid.Add(f[1], v)
					}
					for name := range valid {
						for _, bad := range []string{"a\x00b", "caf\xe9", strings.Repeat("é", 20_000)} {
							form := url.Values{}
							for k, v := range valid {
								form[k] = v
							}
							form.Set(name, bad)
							posted++
							if status, answer, _ := b.post(strings.Split(action, "#")[0], form); status >= 500 {
								t.Errorf("%s (from %s), %s = %.12q: %d %.200s", action, page, name, bad, status, answer)
							}
						}
					}
				}
			}
		}
		if posted < 100 {
			t.Errorf("only %d hostile forms posted: the pages' forms were not found", posted)
		}
	})
}
