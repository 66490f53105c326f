package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

// prospect is what a visitor types in the public lead form.
func prospect() url.Values {
	return url.Values{"first_name": {"Paul"}, "last_name": {"Lemaire"}, "email": {"paul.lemaire@example.fr"},
		"phone": {"06 11 22 33 44"}, "postal_code": {"75009"}, "product": {"home_loan"},
		"message": {"Achat d'un deux-pièces, apport de 30 000 €."}, "consent": {"1"}, "website": {""}}
}

// postLeadForm posts the public lead form from another site, without a session.
func (a *testApp) postLeadForm(path string, form url.Values) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://www.partenaire.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// leadCount counts every lead stored.
func (a *testApp) leadCount() int {
	a.t.Helper()
	page, err := a.App.App.Leads.List(context.Background(), core.System(), leads.Filter{Limit: 200})
	if err != nil {
		a.t.Fatal(err)
	}
	return len(page.Leads)
}

// newLead stores a lead sent to agency A1, which round-robin gives to adv1.
func (a *testApp) newLead(last string) leads.Lead {
	a.t.Helper()
	l, _, err := a.App.App.Leads.Create(context.Background(), a.actorOf("admin"), leads.Input{Source: "Comparateur",
		SourceGroup: "Partenaires", ExternalID: "ext-" + last, FirstName: "Anne", LastName: last,
		Email: strings.ToLower(last) + "@example.fr", PostalCode: "75009", Product: "home_loan", UnitCode: "A1"})
	if err != nil {
		a.t.Fatal(err)
	}
	return l
}

// A prospect sends the public lead form from a partner's site, in English,
// without JavaScript: the thank-you page answers, and the lead, with the
// source and group of the form's link, is in the agents' list.
func TestAPublicLeadFormPostBecomesALeadInTheList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		if status, _ := app.call("", http.MethodGet, "/lead-forms/BR?source=Comparateur&group=Partenaires&lang=en", nil); status != http.StatusOK {
			t.Fatalf("the form: %d", status)
		}
		status, body := app.postLeadForm("/lead-forms/BR?source=Comparateur&group=Partenaires&unit=A1&lang=en", prospect())
		if status != http.StatusOK || !strings.Contains(body, "Thank you, your request has been received.") {
			t.Fatalf("the post: %d %.400s", status, body)
		}
		b := app.signIn("adv1")
		_, list := b.get("/leads?tab=all")
		for _, want := range []string{"Lemaire", "Comparateur", "Partenaires"} {
			if !strings.Contains(list, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
		if status, _ := app.call("", http.MethodGet, "/lead-forms/A1", nil); status != http.StatusNotFound {
			t.Errorf("an agency is not an establishment: %d", status)
		}
	})
}

// The form without the consent, with a robot's honeypot filled, or with a
// NUL byte, invalid UTF-8 or a huge text in any field stores nothing and
// never answers an internal error; the refused values are shown again.
func TestTheLeadFormRefusesHostileFieldsAndStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		noConsent := prospect()
		noConsent.Del("consent")
		if status, body := app.postLeadForm("/lead-forms/BR", noConsent); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "Lemaire") {
			t.Errorf("without consent: %d", status)
		}
		bot := prospect()
		bot.Set("website", "http://spam.example")
		if status, _ := app.postLeadForm("/lead-forms/BR", bot); status != http.StatusOK {
			t.Errorf("the honeypot answers as if sent: %d", status)
		}
		for _, field := range []string{"first_name", "last_name", "email", "phone", "postal_code", "product", "message"} {
			for _, bad := range []string{"a\x00b", "caf\xe9", strings.Repeat("é", 20_001)} {
				form := prospect()
				form.Set(field, bad)
				status, body := app.postLeadForm("/lead-forms/BR", form)
				if status >= 500 || status == http.StatusOK {
					t.Errorf("%s = %.12q: %d %.200s", field, bad, status, body)
				}
			}
		}
		if status, body := app.postLeadForm("/lead-forms/BR?source="+strings.Repeat("é", 300), prospect()); status != http.StatusUnprocessableEntity {
			t.Errorf("a huge source in the link: %d %.200s", status, body)
		}
		if n := app.leadCount(); n != 0 {
			t.Errorf("%d leads stored from refused posts", n)
		}
	})
}

// A manager reassigns a lead from its page with the agent picker's login,
// then the agent logs a call: the page shows the response time.
func TestReassigningThenLoggingACallShowsTheResponseTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		l := app.newLead("Moreau")
		admin := app.signIn("admin")
		status, page := admin.get("/leads/" + l.ID)
		if status != http.StatusOK || !strings.Contains(page, "Moreau") || !strings.Contains(page, "/pick/agents?field=agent") {
			t.Fatalf("the lead page: %d", status)
		}
		status, _, loc := admin.post("/leads/"+l.ID+"/assign", url.Values{"agent": {"admin"}})
		if status != http.StatusSeeOther || loc != "/leads/"+l.ID {
			t.Fatalf("reassign: %d → %q", status, loc)
		}
		_, page = admin.get("/leads/" + l.ID)
		if !strings.Contains(page, "Alice Admin") {
			t.Errorf("the new agent is not shown")
		}
		status, page, _ = admin.post("/leads/"+l.ID+"/assign", url.Values{"agent": {"nobody"}})
		if status != http.StatusUnprocessableEntity && status != http.StatusNotFound {
			t.Errorf("an unknown agent: %d", status)
		}
		app.App.App.Clock.(*core.FixedClock).Advance(30 * time.Minute)
		status, _, loc = admin.post("/leads/"+l.ID+"/activities", url.Values{"kind": {"call"}, "completed_at": {"23/11/2026 10:20"}})
		if status != http.StatusSeeOther {
			t.Fatalf("log a call: %d", status)
		}
		_, page = admin.get("/leads/" + l.ID)
		if !strings.Contains(page, `id="response-time">20 min<`) {
			t.Errorf("the response time of a call 20 minutes after a 10:00 lead is not shown")
		}
		status, page, _ = admin.post("/leads/"+l.ID+"/activities", url.Values{"kind": {"call"}, "completed_at": {"demain"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "JJ/MM/AAAA") {
			t.Errorf("a time that is not one: %d", status)
		}
	})
}

// An administrator adds, moves and saves the establishment's rules from
// its page; a rule without unit is refused on its own row.
func TestRulesAreEditedRowByRowAndSavedTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("admin")
		rows := url.Values{"source": {"Comparateur", ""}, "product": {"", "home_loan"}, "postal_code_prefix": {"", "69"},
			"unit_code": {"A1", "A2"}}
		moved := url.Values{}
		for k, v := range rows {
			moved[k] = v
		}
		moved.Set("op", "down-0")
		status, page, _ := b.post("/admin/leads/BR", moved)
		if status != http.StatusOK || strings.Index(page, `value="69"`) > strings.Index(page, `value="Comparateur"`) {
			t.Fatalf("moving the first rule down: %d", status)
		}
		rows.Set("op", "save")
		if status, _, loc := b.post("/admin/leads/BR", rows); status != http.StatusSeeOther || loc != "/admin/leads/BR" {
			t.Fatalf("save: %d → %q", status, loc)
		}
		_, page = b.get("/admin/leads/BR")
		if !strings.Contains(page, `value="Comparateur"`) || !strings.Contains(page, `value="69"`) {
			t.Errorf("the saved rules are not shown")
		}
		rows["unit_code"] = []string{"A1", ""}
		status, page, _ = b.post("/admin/leads/BR", rows)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page[strings.Index(page, "Règle 2"):], `class="err"`) {
			t.Errorf("a rule without unit: %d", status)
		}
	})
}

// An absence is added to an agent with typed dates and times, listed, and removed.
func TestAnAbsenceIsAddedListedAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("admin")
		status, _, loc := b.post("/admin/agents/adv1/absences", url.Values{"starts_at": {"24/11/2026 08:00"},
			"ends_at": {"28/11/2026 19:00"}, "note": {"Congés"}})
		if status != http.StatusSeeOther || loc != "/admin/absences?agent=adv1" {
			t.Fatalf("add: %d → %q", status, loc)
		}
		_, page := b.get(loc)
		if !strings.Contains(page, "24/11/2026 08:00") || !strings.Contains(page, "Congés") {
			t.Fatalf("the absence is not listed")
		}
		abs, err := app.App.App.Leads.Absences(context.Background(), core.System(), "adv1")
		if err != nil || len(abs) != 1 {
			t.Fatalf("%v %v", abs, err)
		}
		if status, _, _ := b.post("/admin/agents/adv1/absences/"+abs[0].ID+"/delete", nil); status != http.StatusSeeOther {
			t.Fatalf("remove: %d", status)
		}
		if _, page := b.get(loc); strings.Contains(page, "Congés") {
			t.Errorf("the removed absence is still listed")
		}
		status, page, _ = b.post("/admin/agents/adv1/absences", url.Values{"starts_at": {"bientôt"}, "ends_at": {""}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "bientôt") {
			t.Errorf("dates that are not: %d", status)
		}
	})
}

// The public lead form may be framed by another site; the agents' pages
// may not.
func TestOnlyThePublicLeadFormMayBeEmbeddedInAnotherSite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for path, framed := range map[string]bool{"/lead-forms/BR": true, "/login": false, "/forms/contact": false} {
			resp, err := http.Get(app.Server.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			csp := resp.Header.Get("Content-Security-Policy")
			if framed != strings.HasSuffix(csp, "frame-ancestors *") || framed == (resp.Header.Get("X-Frame-Options") == "DENY") {
				t.Errorf("%s: %q, X-Frame-Options %q", path, csp, resp.Header.Get("X-Frame-Options"))
			}
		}
	})
}

// The list's filters keep the leads of a source or a product, on every tab.
func TestTheLeadListFiltersBySourceAndProduct(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.newLead("Moreau") // Comparateur, home loan
		if _, _, err := app.App.App.Leads.Create(context.Background(), app.actorOf("admin"), leads.Input{Source: "Salon",
			ExternalID: "salon-1", LastName: "Vidal", Email: "vidal@example.fr", Product: "savings", UnitCode: "A1"}); err != nil {
			t.Fatal(err)
		}
		b := app.signIn("adv1")
		for query, want := range map[string]string{"source=Salon": "Vidal", "source=Comparateur": "Moreau",
			"product=savings": "Vidal", "product=home_loan": "Moreau"} {
			_, page := b.get("/leads?tab=all&" + query)
			other := map[string]string{"Vidal": "Moreau", "Moreau": "Vidal"}[want]
			if !strings.Contains(page, want) || strings.Contains(page, other) {
				t.Errorf("%s: want %s alone", query, want)
			}
		}
	})
}
