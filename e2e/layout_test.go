package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// overflowing lists, as "tag.class: text", the visible elements that reach
// past the viewport's right edge or whose text is cut inside its box.
const overflowing = `(() => {
  const out = [];
  const w = document.documentElement.clientWidth;
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
    const cut = getComputedStyle(e).overflowX === "hidden" && e.scrollWidth > e.clientWidth + 1;
    if (r.right > w + 1 || cut) out.push(e.tagName.toLowerCase() + "." + e.className + ": " + (e.innerText || "").slice(0, 40));
  }
  if (document.documentElement.scrollWidth > w) out.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + w);
  return out.join("\n");
})()`

// keepScreenshot writes the page as e2e/screenshots/name.png, a test artefact.
func keepScreenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll("screenshots", 0o755)
	if err := os.WriteFile(filepath.Join("screenshots", name+".png"), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// On a phone and on a desktop screen, the 360 page, its detail panel, the
// search page and the orphans page fit the width: nothing reaches past the
// edge, no text is cut, the page never scrolls sideways; on the phone the
// navigation folds into a menu and the detail opens over the page.
func TestMainPagesFitAPhoneAndADesktop(t *testing.T) {
	app, b := start(t)
	push(t, app,
		map[string]any{"source": "agent_mailbox", "external_id": "mail-1", "channel": "email", "direction": "inbound",
			"occurred_at": "2026-11-21T11:00:00+01:00", "from": "helene.dupre@example.fr", "agent": "adv1",
			"subject": "Demande de simulation pour un prêt immobilier sur vingt-cinq ans avec un apport personnel",
			"body":    "<p>Bonjour, nous avons trouvé un appartement et souhaiterions une simulation.</p>"},
		map[string]any{"source": "telephony", "external_id": "call-1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T10:30:00+01:00", "duration_seconds": 65, "outcome": "answered",
			"from": "06 12 34 56 78", "agent": "adv1"},
	)
	request := "/desk/requests/" + richDeskRequest(t, app).ID
	extra := casePages(t, app)
	extra = append(extra, leadReportPages(t, app)...)
	extra = append(extra, surveyPages(t, app)...)
	b.signIn("adv1")
	party := "/parties/" + app.P1.ID
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1440, 900}} {
		b.do("resize to "+size.name, chromedp.EmulateViewport(size.w, size.h))
		for _, page := range append([]struct{ name, path string }{
			{"party", party}, {"search", "/search?q=dupre"}, {"orphans", "/reports/orphans"},
			{"desk", "/desk"}, {"desk-request", request}, {"desk-phone", "/desk/new"}, {"home", "/"}, {"profile", "/profile"},
		}, extra...) {
			b.open(page.path)
			b.waitFor(page.name+" loaded", `document.readyState === "complete"`)
			keepScreenshot(t, b, "layout-"+page.name+"-"+size.name)
			if bad := b.eval(overflowing); bad != "" {
				t.Errorf("%s at %d px:\n%s", page.name, size.w, bad)
			}
		}
		b.open(party)
		b.waitPage(party)
		if size.name == "phone" {
			if visible := b.eval(`getComputedStyle(document.getElementById("main-nav")).display`); visible != "none" {
				t.Errorf("the navigation is unfolded on a phone (%s)", visible)
			}
			b.do("open the menu", chromedp.Click(chromedp.CSS(`.menu-toggle`)))
			b.waitFor("the menu open", `getComputedStyle(document.getElementById("main-nav")).display !== "none"`)
		}
		b.do("open the call's detail", chromedp.Click(chromedp.CSS(`#timeline-rows tr.tl-line:nth-child(2) td:nth-child(3)`)))
		b.waitFor("the call's detail", `document.querySelector("#interaction-panel .ix-facts")`)
		keepScreenshot(t, b, "layout-panel-"+size.name)
		if bad := b.eval(overflowing); bad != "" {
			t.Errorf("the detail panel at %d px:\n%s", size.w, bad)
		}
		panelWidth := b.eval(`String(Math.round(document.getElementById("interaction-panel").getBoundingClientRect().width))`)
		if size.name == "phone" && panelWidth != "390" {
			t.Errorf("on a phone the detail is %s px wide, want the whole screen", panelWidth)
		}
		if size.name == "desktop" && !strings.Contains(b.text("#timeline-rows"), "Demande de simulation") {
			t.Errorf("on a desktop the list stays beside the detail")
		}
		b.do("close the detail", chromedp.KeyEvent("\x1b"))
	}
}
