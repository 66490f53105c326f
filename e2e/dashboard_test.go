package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// widgetOrder is the kinds of the widgets on the home page, in order.
const widgetOrder = `Array.from(document.querySelectorAll("section.widget")).map(s => s.className.replace(/.*widget-/, "")).join(" ")`

// An agent adds a widget to their dashboard, moves it up with the
// keyboard, configures the lead response time widget and removes it: each
// form posts and comes back to the home page, which says what was done.
func TestAWidgetIsAddedMovedConfiguredAndRemoved(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	b.open("/parties/" + app.P1.ID) // a recent customer
	b.waitPage("/parties/" + app.P1.ID)
	b.open("/")
	b.waitPage("/")
	if got := b.eval(widgetOrder); got != "my_tasks my_requests my_leads lead_response recent_customers" {
		t.Fatalf("default widgets: %s", got)
	}
	if !strings.Contains(b.text("section.widget-recent_customers"), "Hélène Dupré") {
		t.Errorf("the customer just opened is not among the recent ones: %s", b.text("section.widget-recent_customers"))
	}

	// Add: the kind chosen in the form goes at the end.
	b.setSelect(`form.widget-add-form select[name="kind"]`, "orphan_reports")
	b.do("add the widget", chromedp.Click(chromedp.CSS(`form.widget-add-form button[type="submit"]`)))
	b.waitFor("the widget added", `document.querySelector("section.widget-orphan_reports") && document.querySelector(".flash")`)
	if flash := b.text(".flash"); !strings.Contains(flash, "Comptes rendus à corriger") {
		t.Errorf("flash after adding: %q", flash)
	}
	if got := b.eval(widgetOrder); !strings.HasSuffix(got, "recent_customers orphan_reports") {
		t.Errorf("after adding: %s", got)
	}

	// Move it up with the keyboard: Tab to its "up" button, Enter.
	b.tabTo(`section.widget-orphan_reports button.widget-up`)
	b.pressEnter(`section.widget-orphan_reports button.widget-up`)
	b.waitFor("the widget moved", `document.querySelector("section.widget:nth-last-of-type(2)") && `+
		`document.querySelector("section.widget:nth-last-of-type(2)").classList.contains("widget-orphan_reports")`)
	if got := b.eval(widgetOrder); got != "my_tasks my_requests my_leads lead_response orphan_reports recent_customers" {
		t.Errorf("after moving up: %s", got)
	}
	if focus := b.eval(`location.hash`); !strings.HasPrefix(focus, "#w-") {
		t.Errorf("the page does not come back at the widget moved: %q", focus)
	}

	// Configure the response time: a week, one source group.
	resp := `section.widget-lead_response`
	b.do("open its settings", chromedp.Click(chromedp.CSS(resp+` details.widget-settings summary`)))
	b.setSelect(resp+` select[name="window"]`, "7d")
	b.do("type a source group", chromedp.SendKeys(chromedp.CSS(resp+` input[name="source_group"]`), "comparateurs"))
	b.do("save", chromedp.Click(chromedp.CSS(resp+` form.widget-settings-form button[type="submit"]`)))
	b.waitFor("the settings saved", `document.querySelector(".flash") && document.querySelector(".flash").innerText.includes("enregistré")`)
	if got := b.text(resp + ` .widget-criteria`); !strings.Contains(got, "7 derniers jours · comparateurs") {
		t.Errorf("criteria shown: %q", got)
	}
	link := b.eval(`document.querySelector("` + resp + ` .widget-link a").getAttribute("href")`)
	if !strings.Contains(link, "source_group=comparateurs") || !strings.Contains(link, "from=2026-11-16") {
		t.Errorf("the report link does not carry the criteria: %s", link)
	}

	// Remove it.
	b.do("remove", chromedp.Click(chromedp.CSS(resp+` button.widget-remove`)))
	b.waitFor("the widget removed", `!document.querySelector("section.widget-lead_response") && document.querySelector(".flash")`)
	if flash := b.text(".flash"); !strings.Contains(flash, "retiré") {
		t.Errorf("flash after removing: %q", flash)
	}
	// It is offered again in the add form, and the dashboard stays as arranged.
	if b.count(`form.widget-add-form option[value="lead_response"]`) != 1 {
		t.Error("the removed widget is not offered again")
	}
	b.open("/")
	b.waitPage("/")
	if got := b.eval(widgetOrder); got != "my_tasks my_requests my_leads orphan_reports recent_customers" {
		t.Errorf("after removing, reloaded: %s", got)
	}
}
