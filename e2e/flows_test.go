package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The agent signs in, lands on the home page, and signs out from the top bar.
func TestSignInAndOut(t *testing.T) {
	_, b := start(t)

	if got := b.open("/"); got != 200 {
		t.Fatalf("GET / without a session: status %d after redirects, want 200 (sign-in page)", got)
	}
	b.waitPage("/login")
	if got := b.eval(`location.search`); !strings.Contains(got, "next=") {
		t.Errorf("redirect to sign-in lost the page asked for: %q", got)
	}

	b.signIn("adv1")
	if got := b.text(`section.home h1`); !strings.Contains(got, "Hugo Conseiller") {
		t.Errorf("home greeting %q, want the agent's name", got)
	}
	if got := b.text(`header.topbar .who`); got != "Hugo Conseiller" {
		t.Errorf("top bar shows %q, want the agent's name", got)
	}

	b.signOut()
	if n := b.count(`header.topbar`); n != 0 {
		t.Errorf("top bar still shown after sign-out")
	}
	// The session is gone: a page needing one sends back to the sign-in form.
	b.open("/")
	b.waitPage("/login")
}

// A wrong password shows an error on the sign-in form and signs nobody in.
func TestSignInWrongPassword(t *testing.T) {
	_, b := start(t)

	b.open("/login")
	b.do("submit a wrong password",
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "adv1"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`section.login button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main .alert[role="alert"]`)),
	)
	b.waitPage("/login")
	if got := b.text(`main .alert[role="alert"]`); got == "" {
		t.Errorf("empty sign-in error")
	}
	if got := b.value(`input[name="login"]`); got != "adv1" {
		t.Errorf("login field %q after the error, want it kept", got)
	}
	if got := b.value(`input[name="password"]`); got != "" {
		t.Errorf("password field refilled after the error")
	}
	if n := b.count(`header.topbar`); n != 0 {
		t.Errorf("top bar shown: signed in with a wrong password?")
	}
}

// Quick search from the top bar: live suggestions, keyboard or mouse choice,
// and Enter for the full result page.
func TestQuickSearch(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	p1 := `/parties/` + app.P1.ID
	sugg := `#suggest a.sugg[href="` + p1 + `"]`

	// Keyboard: type, wait for the suggestion, ArrowDown then Enter.
	b.do("type in the quick search and choose with the keyboard",
		chromedp.Click(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "helene dup"),
		chromedp.WaitVisible(chromedp.CSS(sugg)),
	)
	b.do("press ArrowDown in the box",
		chromedp.SendKeys(chromedp.ID("q"), kb.ArrowDown),
		chromedp.WaitVisible(chromedp.CSS(`#suggest a.sugg.active`)),
	)
	b.pressEnter("#q")
	b.do("open the chosen suggestion", chromedp.WaitVisible(chromedp.CSS(`section.party`)))
	b.waitPage(p1)
	check360(t, b)

	// Mouse: type and click the suggestion.
	b.open("/")
	b.do("type in the quick search and click the suggestion",
		chromedp.SendKeys(chromedp.ID("q"), "helene dup"),
		chromedp.WaitVisible(chromedp.CSS(sugg)),
		chromedp.Click(chromedp.CSS(sugg)),
		chromedp.WaitVisible(chromedp.CSS(`section.party`)),
	)
	b.waitPage(p1)
	check360(t, b)

	// Enter without choosing a suggestion: the full result page.
	b.open("/")
	b.do("type in the quick search", chromedp.SendKeys(chromedp.ID("q"), "helene dup"))
	b.pressEnter("#q")
	b.do("full result page", chromedp.WaitVisible(chromedp.CSS(`main table.list a[href="`+p1+`"]`)))
	b.waitPage("/search")
	if got := b.eval(`new URLSearchParams(location.search).get("q")`); got != "helene dup" {
		t.Errorf("result page for q=%q, want %q", got, "helene dup")
	}
	if got := b.text(`main table.list a[href="` + p1 + `"]`); got != "Hélène Dupré" {
		t.Errorf("result link text %q", got)
	}
	if got := b.value(`#q`); got != "helene dup" {
		t.Errorf("search box holds %q on the result page, want the query kept", got)
	}
}

// check360 checks the 360° page of Hélène Dupré.
func check360(t *testing.T, b *browser) {
	t.Helper()
	if got := b.text(`section.party h1`); !strings.Contains(got, "Hélène Dupré") {
		t.Errorf("360 heading %q, want her name", got)
	}
	if got := b.text(`section.party .coords a[href^="tel:"]`); got != "06 12 34 56 78" {
		t.Errorf("phone shown as %q", got)
	}
	if got := b.text(`section.party .party-head .muted`); !strings.Contains(got, "1000000001") {
		t.Errorf("identity line %q lacks the client number", got)
	}
	if n := b.count(`section.party article.timeline p.empty`); n != 1 {
		t.Errorf("timeline empty-state: %d elements, want 1", n)
	}
}

// An advisor creates a prospect from the top bar, lands on its 360° page and
// finds it with the quick search; an invalid form is shown again with the
// field's error and what was typed.
func TestCreateProspect(t *testing.T) {
	_, b := start(t)
	b.signIn("adv1")

	b.do("open the new prospect form from the top bar",
		chromedp.Click(chromedp.CSS(`header.topbar nav a[href="/parties/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.form input[name="first_name"]`)),
	)
	b.waitPage("/parties/new")
	b.do("fill and submit the form",
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="first_name"]`), "Noël"),
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="last_name"]`), "Bézier"),
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="phone_0"]`), "04 78 00 00 01"),
		chromedp.Click(chromedp.CSS(`form.form button.primary[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.party`)),
	)
	b.waitFor("the new 360 page", `/^\/parties\/[^\/]+$/.test(location.pathname) && location.pathname !== "/parties/new"`)
	page := b.path()
	if got := b.text(`section.party h1`); !strings.Contains(got, "Noël Bézier") {
		t.Errorf("360 heading %q, want the new name", got)
	}
	if n := b.count(`section.party h1 .badge.prospect`); n != 1 {
		t.Errorf("new party not shown as a prospect")
	}
	if got := b.text(`section.party .coords a[href^="tel:"]`); got != "04 78 00 00 01" {
		t.Errorf("phone shown as %q", got)
	}
	if n := b.count(`main .flash`); n != 1 {
		t.Errorf("no confirmation message after creation")
	}

	sugg := `#suggest a.sugg[href="` + page + `"]`
	b.do("find the new prospect with the quick search",
		chromedp.SendKeys(chromedp.ID("q"), "noel bez"),
		chromedp.WaitVisible(chromedp.CSS(sugg)),
	)
	if got := b.text(sugg + ` strong`); got != "Noël Bézier" {
		t.Errorf("suggestion %q", got)
	}

	// An invalid email: the form comes back with the error and the values.
	b.open("/parties/new")
	b.do("submit the form with an invalid email",
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="first_name"]`), "Noël"),
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="last_name"]`), "Bézier"),
		chromedp.SendKeys(chromedp.CSS(`form.form input[name="email_0"]`), "pas-un-email"),
		chromedp.Click(chromedp.CSS(`form.form button.primary[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.form input[name="email_0"] + em.err`)),
	)
	b.waitPage("/parties")
	if got := b.text(`form.form input[name="email_0"] + em.err`); got == "" {
		t.Errorf("empty field error for the email")
	}
	if n := b.count(`main .alert[role="alert"]`); n != 1 {
		t.Errorf("no error summary above the form")
	}
	for field, want := range map[string]string{"first_name": "Noël", "last_name": "Bézier", "email_0": "pas-un-email"} {
		if got := b.value(`form.form input[name="` + field + `"]`); got != want {
			t.Errorf("field %s holds %q after the error, want %q", field, got, want)
		}
	}
}

// An advisor sees only their agency's parties; the administrator sees all.
func TestScope(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	p2 := `/parties/` + app.P2.ID

	b.do("quick-search a party of another agency",
		chromedp.SendKeys(chromedp.ID("q"), "lefevre"),
		chromedp.WaitVisible(chromedp.CSS(`#suggest p.empty`)),
	)
	if n := b.count(`#suggest a.sugg`); n != 0 {
		t.Errorf("%d suggestions outside the advisor's scope", n)
	}

	b.open("/search?q=lefevre")
	b.do("full search page", chromedp.WaitVisible(chromedp.CSS(`main p.empty`)))
	if n := b.count(`main a[href="` + p2 + `"]`); n != 0 {
		t.Errorf("result page links to a party outside the scope")
	}

	if got := b.open(p2); got != 404 {
		t.Errorf("GET %s as adv1: status %d, want 404", p2, got)
	}
	b.do("not-found page", chromedp.WaitVisible(chromedp.CSS(`main .alert[role="alert"]`)))
	if n := b.count(`section.party`); n != 0 {
		t.Errorf("360 page shown outside the scope")
	}
	if got := b.text(`main .alert[role="alert"]`); got == "" {
		t.Errorf("empty not-found message")
	}
	if body := b.bodyText(); strings.Contains(body, "Lefèvre") || strings.Contains(body, "Zoé") {
		t.Errorf("not-found page reveals the party: %q", body)
	}

	b.signOut()
	b.signIn("admin")
	if got := b.open(p2); got != 200 {
		t.Errorf("GET %s as admin: status %d, want 200", p2, got)
	}
	b.do("360 page as admin", chromedp.WaitVisible(chromedp.CSS(`section.party`)))
	if got := b.text(`section.party h1`); !strings.Contains(got, "Zoé Lefèvre") {
		t.Errorf("360 heading as admin %q", got)
	}
}

// The top bar's language button switches the 360° page to English and back.
func TestLanguageSwitch(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	p1 := `/parties/` + app.P1.ID
	b.open(p1)
	b.do("360 page", chromedp.WaitVisible(chromedp.CSS(`section.party`)))
	if got := b.eval(`document.documentElement.lang`); got != "fr" {
		t.Fatalf("html lang %q, want fr by default", got)
	}
	if got := b.text(`article.timeline h2`); got != "Historique des contacts" {
		t.Errorf("French timeline heading %q", got)
	}

	b.do("press EN", chromedp.Click(chromedp.CSS(`header.topbar form[action="/lang"] button[name="lang"][value="en"]`)))
	b.waitFor("English page", `document.documentElement.lang === "en" && document.readyState === "complete"`)
	if got := b.path(); got != p1 {
		t.Errorf("after switching language the page is %s, want %s", got, p1)
	}
	if got := b.text(`article.timeline h2`); got != "Contact history" {
		t.Errorf("English timeline heading %q", got)
	}
	if n := b.count(`header.topbar form[action="/lang"] button[name="lang"][value="fr"]`); n != 1 {
		t.Errorf("no FR button in English")
	}

	// The choice sticks to the agent on the next pages.
	b.open("/")
	b.waitFor("English home", `document.documentElement.lang === "en"`)

	b.open(p1)
	b.do("press FR", chromedp.Click(chromedp.CSS(`header.topbar form[action="/lang"] button[name="lang"][value="fr"]`)))
	b.waitFor("French page", `document.documentElement.lang === "fr" && document.readyState === "complete"`)
	if got := b.text(`article.timeline h2`); got != "Historique des contacts" {
		t.Errorf("timeline heading back in French %q", got)
	}
}
