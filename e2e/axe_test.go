package e2e_test

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, the maintained accessibility checker (testdata/axe-core).
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// axeViolation is what axe reports of a rule the page breaks.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// accessibilityProblems runs axe-core in the current page (WCAG 2 A and AA
// rules) and returns its serious and critical violations, one per line.
func accessibilityProblems(t *testing.T, b *browser) string {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe-core's answer: %v", err)
	}
	var out []string
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target...))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(where, ", ")))
	}
	return strings.Join(out, "\n")
}

// The main pages have no serious or critical accessibility violation, in
// French and on a phone as on a desktop.
func TestMainPagesPassAnAccessibilityCheck(t *testing.T) {
	app, b := start(t)
	push(t, app, map[string]any{"source": "telephony", "external_id": "call-1", "channel": "phone", "direction": "inbound",
		"occurred_at": "2026-11-20T10:30:00+01:00", "duration_seconds": 65, "outcome": "answered",
		"from": "06 12 34 56 78", "agent": "adv1"})
	b.open("/login")
	b.waitPage("/login")
	if bad := accessibilityProblems(t, b); bad != "" {
		t.Errorf("sign-in page:\n%s", bad)
	}
	// The checker sees what it should: a field without a label is reported.
	b.eval(`document.body.insertAdjacentHTML("beforeend", '<input type="text" name="unlabelled">'), ""`)
	if bad := accessibilityProblems(t, b); !strings.Contains(bad, "label") {
		t.Fatalf("axe-core did not report an unlabelled field: %q", bad)
	}
	request := "/desk/requests/" + richDeskRequest(t, app).ID
	var extra []string
	for _, p := range append(append(casePages(t, app), leadReportPages(t, app)...), surveyPages(t, app)...) {
		extra = append(extra, p.path)
	}
	b.signIn("adv1")
	party := "/parties/" + app.P1.ID
	for _, width := range []int64{390, 1440} {
		b.do("resize", chromedp.EmulateViewport(width, 900))
		for _, path := range append([]string{party, "/search?q=dupre", "/reports/orphans", "/parties", "/desk", request, "/desk/new", "/"}, extra...) {
			b.open(path)
			b.waitFor(path+" loaded", `document.readyState === "complete"`)
			if bad := accessibilityProblems(t, b); bad != "" {
				t.Errorf("%s at %d px:\n%s", path, width, bad)
			}
		}
		b.open(party)
		b.waitPage(party)
		b.do("open the call's detail", chromedp.Click(chromedp.CSS(`#timeline-rows tr.tl-line a.tl-open`)))
		b.waitFor("the call's detail", `document.querySelector("#interaction-panel .ix-facts")`)
		if bad := accessibilityProblems(t, b); bad != "" {
			t.Errorf("the detail panel at %d px:\n%s", width, bad)
		}
	}
}
