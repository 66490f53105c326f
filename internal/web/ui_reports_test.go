package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestUIReportFormAttachesToTheCallAndOrphansAreAttachedOnceConfirmed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		call := map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T10:00:00+01:00", "duration_seconds": 300, "outcome": "answered",
			"from": "06 12 34 56 78", "agent": "adv1"}
		if status, body := app.call("admin", http.MethodPost, "/api/v1/interactions", call); status != http.StatusOK {
			t.Fatalf("push call: %d %v", status, body)
		}
		b := app.signIn("adv1")
		_, page := b.get("/parties/" + app.P1.ID)
		for _, want := range []string{"Rédiger un compte rendu", `data-counter="report-comment-count"`, "Crédit immobilier", `maxlength="5000"`} {
			if !strings.Contains(page, want) {
				t.Errorf("360 page lacks %q", want)
			}
		}
		// Refused: no reason. The form comes back open with the comment typed.
		form := url.Values{"medium": {"phone"}, "initiative": {"outbound"}, "comment": {"Souhaite un rendez-vous en agence."}}
		status, body, _ := b.post("/parties/"+app.P1.ID+"/reports", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Souhaite un rendez-vous en agence.") ||
			!strings.Contains(body, `id="report" open`) {
			t.Fatalf("refused report: %d, form not shown again with its input", status)
		}
		// The advisor ticks outbound for the customer's call: an orphan, fixed from the orphans page.
		form.Set("reason", "appointment")
		status, _, loc := b.post("/parties/"+app.P1.ID+"/reports", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/parties/"+app.P1.ID) {
			t.Fatalf("report: %d → %q", status, loc)
		}
		_, page = b.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "orphelin") || !strings.Contains(page, "Prise de rendez-vous") {
			t.Errorf("the orphan report should show as its own line, flagged")
		}
		status, again, _ := b.post("/parties/"+app.P1.ID+"/reports", form)
		if status != http.StatusConflict || !strings.Contains(again, "un seul par client et par jour") {
			t.Errorf("second report the same day: %d", status)
		}
		_, orphans := b.get("/reports/orphans")
		if !strings.Contains(orphans, "Hélène Dupré") || !strings.Contains(orphans, "Appel entrant") {
			t.Fatalf("orphans page lacks the report and its suggestion")
		}
		// The suggestion opens a confirmation that names the exchange and
		// what the report will say; nothing changes until it is confirmed.
		link := regexp.MustCompile(`href="(/reports/[^"]+/attach\?interaction=[^"]+)"`).FindStringSubmatch(orphans)
		if link == nil {
			t.Fatalf("no suggestion to attach to on the orphans page")
		}
		_, confirm := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
		for _, want := range []string{"Compte rendu d’Hélène Dupré", "Appel entrant", "Initiative", "<del>Sortant",
			"<strong>Entrant", `action="/reports/`} {
			if !strings.Contains(confirm, want) {
				t.Errorf("the confirmation lacks %q", want)
			}
		}
		if _, still := b.get("/reports/orphans"); !strings.Contains(still, "Hélène Dupré") {
			t.Fatalf("opening the confirmation changed the report")
		}
		j := strings.Index(confirm, `action="/reports/`)
		action := confirm[j+len(`action="`):]
		action = action[:strings.Index(action, `"`)]
		iid := confirm[strings.Index(confirm, `name="interaction" value="`)+len(`name="interaction" value="`):]
		iid = iid[:strings.Index(iid, `"`)]
		status, _, loc = b.post(action, url.Values{"interaction": {iid}, "version": {"1"}})
		if status != http.StatusSeeOther || loc != "/reports/orphans" {
			t.Fatalf("attach: %d → %q", status, loc)
		}
		if _, orphans = b.get("/reports/orphans"); !strings.Contains(orphans, "Aucun compte rendu orphelin") {
			t.Errorf("the fixed report is still listed")
		}
		_, page = b.get("/parties/" + app.P1.ID)
		if strings.Contains(page, `class="tag warn"`) || !strings.Contains(page, "Souhaite un rendez-vous en agence.") {
			t.Errorf("after the fix the report should show on the call, not as an orphan")
		}
		// A viewer has neither the form nor the orphans page.
		v := app.signIn("viewer")
		if _, page := v.get("/parties/" + app.P1.ID); strings.Contains(page, "Rédiger un compte rendu") {
			t.Errorf("viewer sees the report form")
		}
		if status, _, _ := v.post("/parties/"+app.P1.ID+"/reports", form); status != http.StatusForbidden {
			t.Errorf("viewer posts a report: %d", status)
		}
	})
}

func TestTheReportFormChoosesNoInitiativeAndTakesAsManySalesAsNeeded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("adv1")
		_, page := b.get("/parties/" + app.P1.ID)
		if strings.Contains(page, `name="initiative" value="inbound" checked`) || strings.Contains(page, `name="initiative" value="outbound" checked`) {
			t.Errorf("the form chooses an initiative for the agent")
		}
		// Adding lines keeps what was typed and saves nothing.
		form := url.Values{"medium": {"face_to_face"}, "initiative": {"outbound"}, "reason": {"savings"},
			"comment": {"Bilan épargne"}, "sale_count": {"1"}, "sale_product_0": {"savings"}, "sale_amount_0": {"100"}}
		for n := 1; n < 4; n++ {
			form.Set("action", "add_sale")
			status, page, _ := b.post("/parties/"+app.P1.ID+"/reports", form)
			if status != http.StatusOK || !strings.Contains(page, "Bilan épargne") ||
				strings.Count(page, `name="sale_product_`) != n+1 {
				t.Fatalf("add a sale line (%d): %d, %d lines", n, status, strings.Count(page, `name="sale_product_`))
			}
			form.Set("sale_count", fmt.Sprint(n+1))
			form.Set(fmt.Sprintf("sale_product_%d", n), "savings")
			form.Set(fmt.Sprintf("sale_amount_%d", n), fmt.Sprint(100*(n+1)))
		}
		if status, body := app.call("adv1", http.MethodGet, "/api/v1/reports/orphans", nil); status != http.StatusOK ||
			len(body["items"].([]any)) != 0 {
			t.Fatalf("adding lines saved a report: %d %v", status, body)
		}
		form.Del("action")
		if status, _, _ := b.post("/parties/"+app.P1.ID+"/reports", form); status != http.StatusSeeOther {
			t.Fatalf("save the report: %d", status)
		}
		_, body := app.call("adv1", http.MethodGet, "/api/v1/reports/orphans", nil)
		items := body["items"].([]any)
		if len(items) != 1 || len(items[0].(map[string]any)["sales"].([]any)) != 4 {
			t.Errorf("the report keeps %v, want its 4 sales", items)
		}
	})
}

func TestTheOrphansPageLetsInReviewersAsWellAsAuthors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		if err := app.Orgs.SaveRole(ctx, core.System(), org.Role{Code: "reviewer", Name: "Relecteur",
			Permissions: []core.Permission{core.PermPartyRead, core.PermHistoryRead, core.PermReportReview}}); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Orgs.CreateAgent(ctx, core.System(), org.AgentInput{Login: "rev", Name: "Rémi Relecteur",
			UnitCode: "A1", Roles: []string{"reviewer"}, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		rev := app.signIn("rev")
		if status, page := rev.get("/reports/orphans"); status != http.StatusOK || !strings.Contains(page, `href="/reports/orphans"`) {
			t.Errorf("a reviewer without report.write: %d, or no link to the page", status)
		}
		if status, _ := app.signIn("viewer").get("/reports/orphans"); status != http.StatusForbidden {
			t.Errorf("a viewer opens the orphans page: %d", status)
		}
	})
}
