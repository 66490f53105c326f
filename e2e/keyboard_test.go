package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends one key as a keyboard does (keyDown then keyUp).
func (b *browser) press(key string) {
	b.t.Helper()
	b.do("press "+key, chromedp.KeyEvent(key))
}

// tabTo presses Tab until the focused element matches css, as a keyboard
// user moves through a page; it fails after 80 presses.
func (b *browser) tabTo(css string) {
	b.t.Helper()
	for range 80 {
		if b.eval(`String(!!document.activeElement && document.activeElement.matches(`+jsString(css)+`))`) == "true" {
			return
		}
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
	}
	b.t.Fatalf("Tab never reaches %s (focus on %s)", css, b.eval(`document.activeElement.outerHTML.slice(0, 80)`))
}

// typeKeys types text key by key into the focused element.
func (b *browser) typeKeys(text string) {
	b.t.Helper()
	for _, r := range text {
		if _, err := chromedp.Call(b.ctx, input.InsertText, input.InsertTextParams{Text: string(r)}); err != nil {
			b.t.Fatalf("type %q: %v", r, err)
		}
	}
}

// A keyboard-only agent goes from the quick search to a customer's 360
// page, opens an exchange's detail and closes it, then writes a meeting
// report, without touching the mouse.
func TestAKeyboardOnlyAgentSearchesReadsAndReports(t *testing.T) {
	app, b := start(t)
	push(t, app, map[string]any{"source": "telephony", "external_id": "call-kb", "channel": "phone", "direction": "inbound",
		"occurred_at": "2026-11-20T10:30:00+01:00", "duration_seconds": 300, "outcome": "answered",
		"from": "06 12 34 56 78", "agent": "adv1"})
	b.signIn("adv1")
	party := "/parties/" + app.P1.ID

	// "/" focuses the search; the arrow and Enter choose the suggestion.
	b.press("/")
	if id := b.eval(`document.activeElement.id`); id != "q" {
		t.Fatalf("'/' focused %q, want the search box", id)
	}
	b.typeKeys("helene dup")
	b.waitFor("the suggestion", `document.querySelector('#suggest a.sugg[href="`+party+`"]')`)
	b.do("ArrowDown", chromedp.SendKeys(chromedp.ID("q"), kb.ArrowDown))
	b.pressEnter("#q")
	b.waitPage(party)

	// Tab reaches the exchange's line; Enter opens its detail, Escape closes it.
	b.tabTo(`#timeline-rows a.tl-open`)
	b.press(kb.Enter)
	b.waitFor("the detail", `document.querySelector("#interaction-panel .ix-facts")`)
	if id := b.eval(`document.activeElement.id`); id != "ix-title" {
		t.Errorf("the detail opened without the focus (on %q)", id)
	}
	b.press(kb.Escape)
	b.waitFor("the detail closed", `document.querySelector("#interaction-panel:empty")`)
	if !strings.Contains(b.eval(`document.activeElement.className`), "tl-open") {
		t.Errorf("closing the detail did not give the focus back to the line")
	}

	// The report form: open it, choose with the keyboard, submit.
	b.tabTo(`#report summary`)
	b.press(kb.Enter)
	b.tabTo(`#report select[name="medium"]`)
	b.do("choose Téléphone", chromedp.KeyEvent("T"))
	b.tabTo(`#report input[name="initiative"][value="inbound"]`)
	b.press(" ")
	b.tabTo(`#report select[name="reason"]`)
	b.do("choose Prise de rendez-vous", chromedp.KeyEvent("Prise"))
	b.tabTo(`#report-comment`)
	b.typeKeys("Rendez-vous fixé au clavier.")
	b.tabTo(`#report button.primary`)
	b.press(kb.Enter)
	b.waitFor("the report on the timeline", `document.querySelector("#timeline .report-line")`)
	row := b.eval(`document.querySelector("#timeline .report-line").closest("tr").innerText`)
	if !strings.Contains(row, "Rendez-vous fixé au clavier.") || !strings.Contains(row, "Prise de rendez-vous") ||
		strings.Contains(row, "orphelin") {
		t.Errorf("the report written with the keyboard: %s", row)
	}
}
