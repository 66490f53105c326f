package e2e_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// push sends interactions to the ingestion API as an integration would.
func push(t *testing.T, app *webtest.App, items ...map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"items": items})
	req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/api/v1/interactions", bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct{ Status, Reason string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("push: %d %v", resp.StatusCode, err)
	}
	for _, it := range out.Items {
		if it.Status != "stored" {
			t.Fatalf("pushed item %s: %s", it.Status, it.Reason)
		}
	}
}

// Interactions pushed by the integrations show on the 360° page with their
// pictograms; the advisor writes a report and sees it attach to the call.
func TestContactHistoryAndMeetingReport(t *testing.T) {
	app, b := start(t)
	push(t, app,
		map[string]any{"source": "telephony", "external_id": "call-1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-23T08:30:00+01:00", "duration_seconds": 240, "outcome": "answered",
			"from": "06 12 34 56 78", "agent": "adv1"},
		map[string]any{"source": "telephony", "external_id": "call-0", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-22T18:02:00+01:00", "duration_seconds": 20, "outcome": "voicemail", "from": "06 12 34 56 78"},
		map[string]any{"source": "agent_mailbox", "external_id": "mail-1", "channel": "email", "direction": "outbound",
			"occurred_at": "2026-11-21T11:00:00+01:00", "to": []string{"helene.dupre@example.fr"}, "agent": "adv1",
			"subject": "Votre simulation de prêt"},
	)
	b.signIn("adv1")
	b.open("/parties/" + app.P1.ID)
	b.waitPage("/parties/" + app.P1.ID)
	for _, pict := range []string{".pict-phone-inbound-answered", ".pict-phone-inbound-voicemail", ".pict-email-outbound"} {
		if n := b.count("#timeline " + pict); n != 1 {
			t.Errorf("%d lines with pictogram %s, want 1", n, pict)
		}
	}
	comment := "Appel pour un prêt immobilier : envoyer la simulation."
	b.do("write the report",
		chromedp.Click(chromedp.CSS(`#report summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#report select[name="reason"]`)),
		chromedp.SetValue(chromedp.CSS(`#report select[name="medium"]`), "phone"),
		chromedp.Click(chromedp.CSS(`#report input[name="initiative"][value="inbound"]`)),
		chromedp.SetValue(chromedp.CSS(`#report select[name="reason"]`), "home_loan"),
		chromedp.SendKeys(chromedp.CSS(`#report-comment`), comment),
	)
	if got := b.text(`#report-comment-count`); got != "54" {
		t.Errorf("live counter shows %q, want 54 characters", got)
	}
	b.do("submit the report", chromedp.Click(chromedp.CSS(`#report button.primary`)))
	b.waitFor("the report on the timeline", `document.querySelector("#timeline .report-line")`)
	row := b.eval(`document.querySelector("#timeline .report-line").closest("tr").innerHTML`)
	if !strings.Contains(row, "pict-phone-inbound-answered") || !strings.Contains(row, comment) ||
		!strings.Contains(row, "Crédit immobilier") || strings.Contains(row, "orphelin") {
		t.Errorf("the report should attach to the answered call, not stand as an orphan: %s", row)
	}
	if n := b.count("#timeline tr:not(.more)"); n != 3 {
		t.Errorf("%d timeline lines, want the 3 exchanges and no orphan line", n)
	}
}
