package e2e_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A click on a timeline line, or Enter on its link, opens the detail beside
// the list, with the body sanitized; Escape closes it; the filters narrow
// the list in place and the address bar keeps them.
func TestInteractionPanelAndTimelineFilters(t *testing.T) {
	app, b := start(t)
	push(t, app,
		map[string]any{"source": "agent_mailbox", "external_id": "mail-1", "channel": "email", "direction": "inbound",
			"occurred_at": "2026-11-21T11:00:00+01:00", "from": "helene.dupre@example.fr", "agent": "adv1",
			"subject": "Mon relevé", "body": `<p>Bonjour,</p><script>document.title="pwned"</script>` +
				`<img src="http://tracker.example.com/p.gif" onerror="document.title='pwned'"><p><a href="https://banque.example/rdv">rendez-vous</a></p>`,
			"attachments": []any{map[string]any{"name": "releve.pdf", "content_type": "application/pdf",
				"content_base64": base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%%EOF\n"))}}},
		map[string]any{"source": "telephony", "external_id": "call-1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T08:30:00+01:00", "duration_seconds": 65, "outcome": "answered",
			"from": "06 12 34 56 78", "agent": "adv1"},
	)
	b.signIn("adv1")
	page := "/parties/" + app.P1.ID
	b.open(page)
	b.waitPage(page)
	if n := b.count("#interaction-panel:empty"); n != 1 {
		t.Fatalf("the panel should start empty")
	}

	b.do("click the email's line", chromedp.Click(chromedp.CSS(`#timeline-rows tr.tl-line:first-child td:nth-child(4)`)))
	b.waitFor("the email's detail", `document.querySelector("#interaction-panel .mail-body")`)
	if text := b.text("#interaction-panel"); !strings.Contains(text, "Bonjour,") || !strings.Contains(text, "releve.pdf") {
		t.Errorf("panel text: %s", text)
	}
	if n := b.count("#interaction-panel script, #interaction-panel img, #interaction-panel form, #interaction-panel button"); n != 0 {
		t.Errorf("%d scripts, images, forms or buttons in the read-only panel", n)
	}
	if title := b.eval(`document.title`); strings.Contains(title, "pwned") {
		t.Errorf("the body's script ran")
	}
	if id := b.eval(`document.activeElement.id`); id != "ix-title" {
		t.Errorf("focus on %q, want the panel's title", id)
	}
	b.do("press Escape", chromedp.KeyEvent("\x1b"))
	b.waitFor("the panel closed", `document.querySelector("#interaction-panel:empty")`)

	b.pressEnter(`#timeline-rows tr.tl-line:nth-child(2) a.tl-open`)
	b.waitFor("the call's detail", `document.querySelector("#interaction-panel .ix-facts")`)
	if text := b.text("#interaction-panel"); !strings.Contains(text, "1 min 05 s") || !strings.Contains(text, "Hugo Conseiller") {
		t.Errorf("call panel: %s", text)
	}

	b.do("filter on calls",
		chromedp.SetValue(chromedp.CSS(`.tl-filters select[name="channel"]`), "phone"),
		chromedp.Click(chromedp.CSS(`.tl-filters button`)))
	b.waitFor("one line left", `document.querySelectorAll("#timeline-rows tr.tl-line").length === 1`)
	if q := b.eval(`location.search`); q != "?channel=phone" {
		t.Errorf("address bar query %q, want ?channel=phone", q)
	}
	b.do("filter on video",
		chromedp.SetValue(chromedp.CSS(`.tl-filters select[name="channel"]`), "video"),
		chromedp.Click(chromedp.CSS(`.tl-filters button`)))
	b.waitFor("the empty state", `document.querySelector("#timeline-rows .empty-row")`)
}
