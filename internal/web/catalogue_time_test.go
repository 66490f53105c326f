package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

func TestAnInteractionIsShownAtTheUnitsLocalTimeInBothLanguages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		// 09:30 UTC: 10:30 in Paris, 05:30 in Martinique.
		app.ingest(map[string]any{"source": "telephony", "external_id": "tz1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T09:30:00Z", "duration_seconds": 120, "from": "06 12 34 56 78", "agent": "adv1"})
		adv := app.signIn("adv1")
		if _, page := adv.get("/parties/" + app.P1.ID); !strings.Contains(page, "20/11/2026 10:30") {
			t.Errorf("a Paris agency's page does not show the call at 20/11/2026 10:30")
		}
		if _, err := app.Orgs.UpdateUnit(ctx, core.System(), "A1", org.UnitInput{Name: "Fort-de-France", TimeZone: "America/Martinique"}); err != nil {
			t.Fatal(err)
		}
		_, page := adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "20/11/2026 05:30") || strings.Contains(page, "20/11/2026 10:30") {
			t.Errorf("a Martinique agency's page does not show the call at 20/11/2026 05:30")
		}
		en := "en"
		if _, err := app.Orgs.UpdateAgent(ctx, core.System(), "adv1", org.AgentUpdate{Locale: &en}); err != nil {
			t.Fatal(err)
		}
		_, page = adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "20 Nov 2026, 05:30") {
			t.Errorf("in English the call is not shown at 20 Nov 2026, 05:30")
		}
		if !strings.Contains(page, "12 Apr 1980") {
			t.Errorf("in English the birth date is not written 12 Apr 1980")
		}
	})
}

func TestALetterTypeIsLabelledInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.ingest(map[string]any{"source": "letter", "external_id": "l1", "channel": "letter", "direction": "outbound",
			"occurred_at": "2026-11-20T09:30:00Z", "party_id": app.P1.ID, "letter_type": "PND", "subject": "Courrier revenu"})
		adv := app.signIn("adv1")
		if _, page := adv.get("/parties/" + app.P1.ID); !strings.Contains(page, "Pli non distribué") {
			t.Errorf("in French the letter type is not labelled Pli non distribué")
		}
		en := "en"
		if _, err := app.Orgs.UpdateAgent(context.Background(), core.System(), "adv1", org.AgentUpdate{Locale: &en}); err != nil {
			t.Fatal(err)
		}
		if _, page := adv.get("/parties/" + app.P1.ID); !strings.Contains(page, "Undelivered mail") {
			t.Errorf("in English the letter type is not labelled Undelivered mail")
		}
	})
}

// otherBank adds an establishment with an agency, an advisor and a client.
func otherBank(t *testing.T, app *testApp) party.Party {
	t.Helper()
	ctx, sys := context.Background(), core.System()
	for _, u := range []org.UnitInput{{Code: "AUTRE", Name: "Autre Banque", Kind: "establishment"},
		{Code: "B1", Name: "Bordeaux", Kind: "agency", ParentCode: "AUTRE"}} {
		if _, err := app.Orgs.CreateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.Orgs.CreateAgent(ctx, sys, org.AgentInput{Login: "adv2", Name: "Paul Autre", UnitCode: "B1",
		Roles: []string{"advisor"}, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	p, err := app.Parties.Create(ctx, sys, party.Input{Kind: "person", Status: "prospect", LastName: "Bordelais", AgencyCode: "B1"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAnEstablishmentsEditedReasonShowsInItsReportFormOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		other := otherBank(t, app)
		admin := app.signIn("admin")
		status, _, _ := admin.post("/admin/report-reasons/BR", url.Values{"code": {"succession"},
			"label_fr": {"Succession et donation"}, "label_en": {"Estate and gifts"}, "active": {"on"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add a reason: %d", status)
		}
		// Deactivate a shared reason for this establishment.
		status, _, _ = admin.post("/admin/report-reasons/BR", url.Values{"code": {"complaint"},
			"label_fr": {"Réclamation"}, "label_en": {"Complaint"}})
		if status != http.StatusSeeOther {
			t.Fatalf("deactivate a reason: %d", status)
		}
		adv := app.signIn("adv1")
		_, page := adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, `<option value="succession">Succession et donation</option>`) {
			t.Errorf("BR's report form lacks its own reason")
		}
		if strings.Contains(page, `value="complaint"`) {
			t.Errorf("BR's report form offers the reason it deactivated")
		}
		adv2 := app.signIn("adv2")
		_, page = adv2.get("/parties/" + other.ID)
		if !strings.Contains(page, `name="reason"`) {
			t.Fatalf("the other establishment's advisor has no report form")
		}
		if strings.Contains(page, "succession") || !strings.Contains(page, `<option value="complaint">Réclamation</option>`) {
			t.Errorf("the other establishment's form shows BR's changes")
		}
		// A report with BR's reason is written and labelled; the other establishment may not use it.
		status, _, _ = adv.post("/parties/"+app.P1.ID+"/reports", url.Values{"medium": {"face_to_face"},
			"initiative": {"inbound"}, "reason": {"succession"}, "comment": {"Succession du père."}})
		if status != http.StatusSeeOther {
			t.Errorf("report with BR's reason: %d", status)
		}
		status, body := app.call("admin", http.MethodPost, "/api/v1/reports", map[string]any{"party_id": other.ID,
			"agent": "adv2", "medium": "phone", "initiative": "inbound", "reason": "succession", "comment": "x"})
		reasons, _ := body["error"].(map[string]any)["reasons"].(map[string]any)
		if status != http.StatusUnprocessableEntity || reasons["reason"] == nil {
			t.Errorf("the other establishment's report with BR's reason: %d %v, want 422 naming reason", status, body)
		}
		_, page = adv.get("/parties/" + app.P1.ID)
		if !strings.Contains(page, "Succession et donation") {
			t.Errorf("the timeline does not label the report with BR's reason")
		}
		// The administration page lists the establishment's reasons; an advisor may not open it.
		if _, page := admin.get("/admin/report-reasons/BR"); !strings.Contains(page, "Estate and gifts") {
			t.Errorf("the administration page does not list the added reason")
		}
		if status, _ := adv.get("/admin/report-reasons/BR"); status != http.StatusForbidden {
			t.Errorf("an advisor opens the reasons' administration: %d", status)
		}
		// Both labels are required; the refusal is translated.
		status, page, _ = admin.post("/admin/report-reasons/BR", url.Values{"code": {"heritage"}, "label_fr": {"Héritage"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "obligatoire, 100 caractères au plus") {
			t.Errorf("a reason without English label: %d", status)
		}
	})
}

func TestASaleIsKeptInCentsAndWrittenAsEachLanguageWritesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		status, _, _ := adv.post("/parties/"+app.P1.ID+"/reports", url.Values{"medium": {"face_to_face"},
			"initiative": {"inbound"}, "reason": {"savings"}, "comment": {"Ouverture d'un livret."},
			"sale_product_0": {"savings"}, "sale_amount_0": {"1 234,5"}})
		if status != http.StatusSeeOther {
			t.Fatalf("report with a sale: %d", status)
		}
		_, page := adv.get("/reports/orphans")
		if !strings.Contains(page, "Livret d&#39;épargne 1\u202f234,50\u00a0€") {
			t.Errorf("the orphan's sale is not written 1 234,50 € in French")
		}
		en := "en"
		if _, err := app.Orgs.UpdateAgent(context.Background(), core.System(), "adv1", org.AgentUpdate{Locale: &en}); err != nil {
			t.Fatal(err)
		}
		if _, page = adv.get("/reports/orphans"); !strings.Contains(page, "Savings account €1,234.50") {
			t.Errorf("the orphan's sale is not written €1,234.50 in English")
		}
		_, body := app.call("adv1", http.MethodGet, "/api/v1/reports/orphans", nil)
		items, _ := body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("orphans: %v", body)
		}
		sales, _ := items[0].(map[string]any)["sales"].([]any)
		if len(sales) != 1 || sales[0].(map[string]any)["amount_minor"] != float64(123450) {
			t.Errorf("the API's sale: %v, want 123450 cents", sales)
		}
		// An amount with three decimals is refused, naming the line.
		status, page, _ = adv.post("/parties/"+app.P1.ID+"/reports", url.Values{"medium": {"phone"},
			"initiative": {"inbound"}, "reason": {"savings"}, "sale_product_0": {"savings"}, "sale_amount_0": {"12.345"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "an amount such as 1234.56, at most two decimals") {
			t.Errorf("an amount of 12.345: %d, want 422 with the reason in English", status)
		}
	})
}

func TestTheSegmentIsChosenFromTheCatalogueAndAnOldValueKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		form := url.Values{"kind": {"person"}, "version": {"1"}, "first_name": {"Hélène"}, "last_name": {"Dupré"},
			"agency_code": {"A1"}, "segment": {"Premium"}}
		if status, page, _ := adv.post("/parties/"+app.P1.ID+"/edit", form); status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", status, page)
		}
		_, page := adv.get("/parties/" + app.P1.ID + "/edit")
		if !strings.Contains(page, `<option value="Premium" selected>Premium</option>`) ||
			!strings.Contains(page, `<option value="private_banking" >Banque privée</option>`) {
			t.Errorf("the segment select lacks the kept value or the catalogue's segments")
		}
		form.Set("segment", "private_banking")
		form.Set("version", "2")
		if status, page, _ := adv.post("/parties/"+app.P1.ID+"/edit", form); status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", status, page)
		}
		if _, page = adv.get("/parties/" + app.P1.ID); !strings.Contains(page, " · Banque privée") {
			t.Errorf("the 360 page does not name the segment Banque privée")
		}
	})
}
