// Package e2e_test drives the HTML interface in a headless Chromium, from Go
// with chromedp, against the whole application served in-process on a fresh
// SQLite database.
//
// The tests run only when RAPPORT_TEST_BROWSER is "1" or "true"; they then
// fail if no Chromium is found. Otherwise they are skipped, so that
// `go test ./...` stays quick on a machine without a browser.
//
//	RAPPORT_TEST_BROWSER=1 go test ./e2e/ -count=1 -v
//
// A failing test leaves a full-page screenshot in e2e/screenshots/.
package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

const testPassword = webtest.Password

// testTimeout bounds each test's browser session. It is a safety net, never
// an assertion on speed.
const testTimeout = 60 * time.Second

// chromiumPath returns the browser to drive, skipping the test unless
// RAPPORT_TEST_BROWSER asks for browser tests, and failing it when they are
// asked for but no browser is installed.
func chromiumPath(t *testing.T) string {
	t.Helper()
	switch strings.ToLower(strings.TrimSpace(os.Getenv("RAPPORT_TEST_BROWSER"))) {
	case "1", "true":
	default:
		t.Skip("RAPPORT_TEST_BROWSER not set: browser tests skipped")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("RAPPORT_TEST_BROWSER is set but no chromium, chromium-browser or google-chrome is on PATH (apt-get install -y chromium)")
	return ""
}

// browser is one headless Chromium tab on the application, for one test.
type browser struct {
	t    *testing.T
	ctx  context.Context // the tab, bounded by testTimeout
	base string          // the server's URL
}

// start skips or fails the test as chromiumPath says, then starts the
// application and a browser on it. On failure the test leaves a full-page
// screenshot in screenshots/<TestName>.png.
func start(t *testing.T) (*webtest.App, *browser) {
	t.Helper()
	path := chromiumPath(t)
	app := webtest.New(t, dbtest.SQLite(t))
	return app, openBrowser(t, path, app.Server.URL)
}

// openBrowser starts Chromium (at path) on the application served at
// base, for one test.
func openBrowser(t *testing.T, path, base string) *browser {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1280, 800),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancel := context.WithTimeout(tabCtx, testTimeout)
	t.Cleanup(func() { cancel(); cancelTab(); cancelAlloc() })
	t.Cleanup(func() { // runs first: the tab is still open
		if !t.Failed() {
			return
		}
		sctx, scancel := context.WithTimeout(tabCtx, 10*time.Second)
		defer scancel()
		png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Logf("screenshot: %v", err)
			return
		}
		name := strings.NewReplacer("/", "_", "\\", "_", " ", "_").Replace(t.Name()) + ".png"
		file := filepath.Join("screenshots", name)
		if err := os.MkdirAll("screenshots", 0o755); err == nil {
			err = os.WriteFile(file, png, 0o644)
		}
		if err != nil {
			t.Logf("screenshot: %v", err)
			return
		}
		t.Logf("screenshot of the page at failure: e2e/%s", file)
	})
	// Start the browser and open the tab on the tab's own context: the browser
	// lives as long as the context that started it, and the screenshot on
	// failure must still work after ctx has timed out.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return &browser{t: t, ctx: ctx, base: base}
}

// do runs actions, failing the test with what was being done.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.location())
	}
}

// open loads a path of the application and returns the HTTP status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// location is the current URL's path and query, for messages.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		return "?"
	}
	return loc
}

// path is the current URL's path.
func (b *browser) path() string {
	b.t.Helper()
	return b.eval(`location.pathname`)
}

// eval evaluates a JavaScript string expression in the page.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

// waitFor polls a JavaScript predicate until it holds, across page loads
// (evaluation errors while a page is replaced are retried).
func (b *browser) waitFor(what, predicate string) {
	b.t.Helper()
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+predicate+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		select {
		case <-b.ctx.Done():
			b.t.Fatalf("waiting for %s: %v (last error %v, page %s)", what, b.ctx.Err(), lastErr, b.location())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitPage waits until the current page has path and has finished loading.
func (b *browser) waitPage(path string) {
	b.t.Helper()
	b.waitFor("page "+path, `location.pathname === `+jsString(path)+` && document.readyState === "complete"`)
}

// text returns the visible text of the first element matching a CSS selector.
func (b *browser) text(css string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("text of %s: %v (page %s)", css, err, b.location())
	}
	return strings.TrimSpace(s)
}

// value returns the value of the first form field matching a CSS selector.
func (b *browser) value(css string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("value of %s: %v (page %s)", css, err, b.location())
	}
	return s
}

// count returns how many elements match a CSS selector right now.
func (b *browser) count(css string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(css)+`).length`))
	if err != nil {
		b.t.Fatalf("count %s: %v", css, err)
	}
	return n
}

// bodyText is the visible text of the whole page.
func (b *browser) bodyText() string {
	b.t.Helper()
	return b.eval(`document.body.innerText`)
}

// pressEnter focuses the first element matching a CSS selector and presses
// Enter the way a keyboard does: one keyDown carrying the text "\r", so that
// a keydown handler calling preventDefault also stops the keypress and the
// form's implicit submission. (SendKeys with kb.Enter sends the keyDown and
// the char as two events, and the char then submits the form regardless.)
func (b *browser) pressEnter(css string) {
	b.t.Helper()
	b.do("focus "+css, chromedp.Focus(chromedp.CSS(css)))
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, ev); err != nil {
			b.t.Fatalf("press Enter in %s: %v", css, err)
		}
	}
}

// signIn signs in through the sign-in form and waits for the home page.
func (b *browser) signIn(login string) {
	b.t.Helper()
	b.open("/login")
	b.do("sign in as "+login,
		chromedp.WaitVisible(chromedp.CSS(`section.login input[name="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), login),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`section.login form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.home`)),
	)
	b.waitPage("/")
}

// signOut presses the top bar's sign-out button and waits for /login.
func (b *browser) signOut() {
	b.t.Helper()
	b.do("sign out",
		chromedp.Click(chromedp.CSS(`header.topbar form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`section.login`)),
	)
	b.waitPage("/login")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "<", `\u003c`)
	return `"` + r.Replace(s) + `"`
}
