package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// newLead stores a lead for agency A1 as a partner's integration sends it
// (round-robin gives it to adv1).
func newLead(t *testing.T, app *webtest.App, last string) leads.Lead {
	t.Helper()
	l, _, err := app.App.Leads.Create(context.Background(), deskActor(t, app, "admin"), leads.Input{Source: "Comparateur",
		SourceGroup: "Partenaires", ExternalID: "e2e-" + last, FirstName: "Anne", LastName: last,
		Email: strings.ToLower(last) + "@example.fr", Phone: "06 12 34 56 78", PostalCode: "75009", Product: "home_loan",
		Message: "Achat d'un trois-pièces avec un apport de 50 000 €, première visite faite samedi.", UnitCode: "A1"})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A manager opens the leads, opens one from the list, gives it to an
// agent with the picker typed at the keyboard, then logs the call that
// answered it: the response time shows on the page.
func TestALeadIsReassignedWithThePickerAndItsCallShowsTheResponseTime(t *testing.T) {
	app, b := start(t)
	l := newLead(t, app, "Moreau")
	b.signIn("admin")
	b.do("open the leads", chromedp.Click(chromedp.CSS(`#main-nav a[href="/leads"]`)))
	b.waitPage("/leads")
	b.open("/leads?tab=all")
	b.waitFor("the list", `document.querySelector("a.lead-open")`)
	b.do("open the lead", chromedp.Click(chromedp.CSS(`a.lead-open[href="/leads/`+l.ID+`"]`)))
	b.waitPage("/leads/" + l.ID)
	b.do("type in the picker", chromedp.SendKeys(chromedp.CSS(`#lead-agent`), "Alice"))
	b.waitFor("the picker's suggestion", `document.querySelector("#pick-lead-agent option[value='admin']")`)
	b.do("choose the suggestion", chromedp.SetValue(chromedp.CSS(`#lead-agent`), "admin"))
	b.pressEnter(`#lead-agent`)
	b.waitFor("the new agent", `document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("Alice Admin")`)
	app.App.Clock.(*core.FixedClock).Advance(30 * time.Minute)
	b.setSelect(`select[name="kind"]`, "call")
	b.do("type when", chromedp.SendKeys(chromedp.CSS(`input[name="completed_at"]`), "23/11/2026 10:25"))
	b.do("log the call", chromedp.Click(chromedp.CSS(`.lead-activity-form button`)))
	b.waitFor("the response time", `document.getElementById("response-time")`)
	if got := b.text("#response-time"); got != "25 min" {
		t.Errorf("response time %q, want 25 min", got)
	}
	if txt := b.text("#activities"); !strings.Contains(txt, "Appel") || !strings.Contains(txt, "Alice Admin") {
		t.Errorf("the activity is not listed: %q", txt)
	}
}

// A prospect sends the public lead form from a phone, without an account:
// the thank-you shows, and the lead is in the agents' list.
func TestAProspectSendsTheLeadFormFromAPhoneAndTheLeadIsListed(t *testing.T) {
	_, b := start(t)
	b.do("phone screen", chromedp.EmulateViewport(390, 844))
	form := "/lead-forms/BR?source=Simulateur+cr%C3%A9dit+immobilier&group=Internet&product=home_loan&unit=A1"
	b.open(form)
	b.waitFor("the form", `document.querySelector("#lf-last_name")`)
	if bad := b.eval(overflowing); bad != "" {
		t.Errorf("the form at 390 px:\n%s", bad)
	}
	b.do("fill the form", chromedp.SendKeys(chromedp.CSS(`#lf-first_name`), "Paul"),
		chromedp.SendKeys(chromedp.CSS(`#lf-last_name`), "Lemaire"),
		chromedp.SendKeys(chromedp.CSS(`#lf-email`), "paul.lemaire@example.fr"),
		chromedp.SendKeys(chromedp.CSS(`#lf-postal_code`), "75009"),
		chromedp.SendKeys(chromedp.CSS(`#lf-message`), "Simulation sur 20 ans."),
		chromedp.Click(chromedp.CSS(`.leadform button[type="submit"]`)))
	b.waitFor("the consent asked", `document.querySelector("#lf-consent-err")`)
	if got := b.value(`#lf-message`); got != "Simulation sur 20 ans." {
		t.Errorf("the message typed is lost: %q", got)
	}
	b.do("consent and send", chromedp.Click(chromedp.CSS(`#lf-consent`)), chromedp.Click(chromedp.CSS(`.leadform button[type="submit"]`)))
	b.waitFor("the thank-you", `document.querySelector(".confirmation")`)
	keepScreenshot(t, b, "leadform-sent-phone")
	b.signIn("adv1")
	b.open("/leads")
	b.waitFor("the list", `document.readyState === "complete"`)
	if txt := b.text("main"); !strings.Contains(txt, "Paul Lemaire") || !strings.Contains(txt, "Simulateur crédit immobilier") {
		t.Errorf("the lead is not in adv1's list: %q", txt)
	}
}

// leadPages creates a lead and returns the lead pages to check, and who sees them.
func leadPages(t *testing.T, app *webtest.App) map[string][]string {
	l := newLead(t, app, "Garnier-Rousseau")
	if _, err := app.App.Leads.SaveRules(context.Background(), deskActor(t, app, "admin"), "BR", []leads.RuleInput{
		{Source: "Comparateur", Product: "home_loan", UnitCode: "A1"}, {PostalCodePrefix: "69", UnitCode: "A2"}}); err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"adv1":  {"/leads", "/leads?tab=all", "/leads?tab=waiting", "/leads/" + l.ID},
		"admin": {"/leads/" + l.ID, "/admin/leads/BR", "/admin/absences?agent=adv1", "/lead-forms/BR?lang=en"},
	}
}

// checkLeadPages opens the lead pages at 390 and 1440 px and reports what
// reaches past the edge, or what fails the accessibility check.
func checkLeadPages(t *testing.T, axe bool) {
	app, b := start(t)
	pages := leadPages(t, app)
	for _, login := range []string{"adv1", "admin"} {
		b.signIn(login)
		for _, size := range []struct {
			name string
			w, h int64
		}{{"phone", 390, 844}, {"desktop", 1440, 900}} {
			b.do("resize to "+size.name, chromedp.EmulateViewport(size.w, size.h))
			for _, path := range pages[login] {
				b.open(path)
				b.waitFor(path+" loaded", `document.readyState === "complete"`)
				if axe {
					if bad := accessibilityProblems(t, b); bad != "" {
						t.Errorf("%s at %d px, accessibility:\n%s", path, size.w, bad)
					}
					continue
				}
				name := strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/"))
				keepScreenshot(t, b, "layout-"+name+"-"+size.name)
				if bad := b.eval(overflowing); bad != "" {
					t.Errorf("%s at %d px:\n%s", path, size.w, bad)
				}
			}
		}
		b.open("/")
		b.waitPage("/")
		b.signOut()
	}
}

// The lead pages fit a phone and a desktop: nothing past the edge.
func TestLeadPagesFitAPhoneAndADesktop(t *testing.T) { checkLeadPages(t, false) }

// The lead pages pass the accessibility check.
func TestLeadPagesPassTheAccessibilityCheck(t *testing.T) { checkLeadPages(t, true) }
