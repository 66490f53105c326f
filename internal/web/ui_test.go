package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// browser is a signed-in HTTP client with its own cookies, as one agent's
// browser would be.
type browser struct {
	t      *testing.T
	app    *testApp
	client *http.Client
}

// signIn posts the sign-in form as login and fails the test if it is refused.
func (a *testApp) signIn(login string) *browser {
	a.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: a.t, app: a, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	status, _, loc := b.post("/login", url.Values{"login": {login}, "password": {testPassword}})
	if status != http.StatusSeeOther || loc != "/" {
		a.t.Fatalf("sign in as %s: %d → %q", login, status, loc)
	}
	return b
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.app.Server.URL + path)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// post submits a form and returns the status, the page and the redirect.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	resp, err := b.client.PostForm(b.app.Server.URL+path, form)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

func TestUIScopeRefusesOtherAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		status, page := adv.get("/parties/" + app.P2.ID)
		if status != http.StatusNotFound || strings.Contains(page, "Lefèvre") {
			t.Errorf("advisor opens A2's client: %d, name shown %v", status, strings.Contains(page, "Lefèvre"))
		}
		if status, _ := adv.get("/parties/" + app.P2.ID + "/edit"); status != http.StatusNotFound {
			t.Errorf("advisor opens the edit form of A2's client: %d", status)
		}
		status, _, _ = adv.post("/parties/"+app.P2.ID+"/edit", url.Values{"kind": {"person"}, "last_name": {"Piraté"}})
		if status != http.StatusNotFound {
			t.Errorf("advisor posts an edit of A2's client: %d", status)
		}
		for _, path := range []string{"/search?q=lefevre", "/search/suggest?q=lefevre", "/parties?name=lefevre"} {
			if _, page := adv.get(path); strings.Contains(page, "Lefèvre") {
				t.Errorf("%s shows the A2 client to the A1 advisor", path)
			}
		}
		if _, page := adv.get("/search?q=helene+dup"); !strings.Contains(page, "Dupré") {
			t.Errorf("advisor's search for helene dup does not show Hélène Dupré")
		}
		admin := app.signIn("admin")
		if status, page := admin.get("/parties/" + app.P2.ID); status != http.StatusOK || !strings.Contains(page, "Lefèvre") {
			t.Errorf("admin opens A2's client: %d", status)
		}
	})
}

func TestUIHidesAndRefusesWhatTheAgentMayNotUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		viewer := app.signIn("viewer")
		_, home := viewer.get("/")
		if strings.Contains(home, `href="/parties/new"`) || strings.Contains(home, `href="/admin/units"`) {
			t.Errorf("viewer's menu offers new prospect or administration")
		}
		if _, page := viewer.get("/parties/" + app.P1.ID); strings.Contains(page, "/edit\"") || strings.Contains(page, "/relations\"") {
			t.Errorf("viewer's 360 page offers editing or linking")
		}
		if status, _ := viewer.get("/parties/new"); status != http.StatusForbidden {
			t.Errorf("viewer opens the new prospect form: %d", status)
		}
		if status, _, _ := viewer.post("/parties", url.Values{"last_name": {"Martin"}}); status != http.StatusForbidden {
			t.Errorf("viewer posts a new prospect: %d", status)
		}
		adv := app.signIn("adv1")
		for _, path := range []string{"/admin/units", "/admin/agents", "/admin/roles", "/admin/tokens", "/admin/audit"} {
			if status, _ := adv.get(path); status != http.StatusForbidden {
				t.Errorf("advisor opens %s: %d, want 403", path, status)
			}
		}
		if status, _, _ := adv.post("/admin/units", url.Values{"code": {"X1"}, "name": {"X"}, "kind": {"agency"}, "parent_code": {"R1"}}); status != http.StatusForbidden {
			t.Errorf("advisor posts a unit: %d", status)
		}
		// Without a session, pages go to the sign-in page and back.
		anon := &browser{t: t, app: app, client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		resp, err := anon.client.Get(app.Server.URL + "/parties/" + app.P1.ID)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("anonymous 360 page: %d → %q", resp.StatusCode, loc)
		}
	})
}

func TestUIRefusesCrossOriginForms(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	adv := app.signIn("adv1")
	req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/parties", strings.NewReader("last_name=Forgé"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := adv.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site form post: %d, want 403", resp.StatusCode)
	}
	if _, page := adv.get("/search?q=forge"); strings.Contains(page, "Forgé") {
		t.Errorf("the cross-site post created a party")
	}
}

func TestUIProspectFormKeepsInputOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		status, page, _ := adv.post("/parties", url.Values{"kind": {"person"}, "first_name": {"Noël"}, "last_name": {"Bézier"},
			"email_0": {"noel@@example"}, "phone_0": {"04 78 00 00 01"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid email: %d", status)
		}
		if !strings.Contains(page, `value="Bézier"`) || !strings.Contains(page, `value="noel@@example"`) || !strings.Contains(page, `class="err"`) {
			t.Errorf("the form shown again lost the input or the field error")
		}
		if !strings.Contains(page, "adresse e-mail invalide") || !strings.Contains(page, "Vérifiez les champs signalés") {
			t.Errorf("the French form does not explain the error in French")
		}
		status, _, loc := adv.post("/parties", url.Values{"kind": {"person"}, "first_name": {"Noël"}, "last_name": {"Bézier"},
			"email_0": {"Noel.Bezier@Example.fr"}, "phone_0": {"04 78 00 00 01"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/parties/") {
			t.Fatalf("valid prospect: %d → %q", status, loc)
		}
		_, page = adv.get(loc)
		if !strings.Contains(page, "noel.bezier@example.fr") || !strings.Contains(page, "04 78 00 00 01") {
			t.Errorf("the 360 page does not show the normalised email and phone")
		}
		if _, page := adv.get("/search/suggest?q=noel+bez"); !strings.Contains(page, loc) {
			t.Errorf("the new prospect is not suggested for noel bez")
		}
	})
}

func TestUIAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		for _, path := range []string{"/admin/units", "/admin/units/A1", "/admin/agents", "/admin/agents/new", "/admin/agents/adv1",
			"/admin/roles", "/admin/tokens", "/admin/audit"} {
			if status, page := admin.get(path); status != http.StatusOK || !strings.Contains(page, "</html>") {
				t.Errorf("GET %s: %d", path, status)
			}
		}
		// A unit, its hours (a typo is explained, the rest kept) and a closing day.
		status, _, loc := admin.post("/admin/units", url.Values{"code": {"A3"}, "name": {"Lille Centre"}, "kind": {"agency"},
			"parent_code": {"R1"}, "time_zone": {"Europe/Paris"}})
		if status != http.StatusSeeOther || loc != "/admin/units/A3" {
			t.Fatalf("create unit: %d → %q", status, loc)
		}
		status, page, _ := admin.post("/admin/units/A3", url.Values{"name": {"Lille Centre"}, "time_zone": {"Europe/Paris"},
			"hours_1": {"09:00-12:30, 14:00-18:00"}, "hours_2": {"9h-18h"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="9h-18h"`) || !strings.Contains(page, `value="09:00-12:30, 14:00-18:00"`) {
			t.Errorf("bad hours: %d, input kept: %v", status, strings.Contains(page, `value="9h-18h"`))
		}
		status, _, _ = admin.post("/admin/units/A3", url.Values{"name": {"Lille Centre"}, "time_zone": {"Europe/Paris"},
			"hours_1": {"09:00-12:30, 14:00-18:00"}, "hours_6": {"09:00-12:00"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save hours: %d", status)
		}
		if _, page := admin.get("/admin/units/A3"); !strings.Contains(page, `value="09:00-12:30, 14:00-18:00"`) || !strings.Contains(page, `value="09:00-12:00"`) {
			t.Errorf("saved hours not shown back")
		}
		if status, _, _ := admin.post("/admin/units/A3/holidays", url.Values{"day": {"2026-12-24"}, "name": {"Veille de Noël"}}); status != http.StatusSeeOther {
			t.Errorf("add closing day: %d", status)
		}
		_, page = admin.get("/admin/units/A3?year=2026")
		if !strings.Contains(page, "Veille de Noël") || !strings.Contains(page, "Noël") || !strings.Contains(page, "25/12/2026") {
			t.Errorf("closing day or public holidays missing from the unit page")
		}
		// An agent created, then deactivated: they can no longer sign in.
		status, page, loc = admin.post("/admin/agents", url.Values{"login": {"adv3"}, "name": {"Léo Nouveau"}, "unit_code": {"A3"},
			"roles": {"advisor"}, "password": {testPassword}, "locale": {"fr"}})
		if status != http.StatusSeeOther || loc != "/admin/agents/adv3" {
			t.Fatalf("create agent: %d → %q %s", status, loc, page)
		}
		app.signIn("adv3")
		if status, _, _ := admin.post("/admin/agents/adv3/active", url.Values{"active": {"false"}}); status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", status)
		}
		jar, _ := cookiejar.New(nil)
		b := &browser{t: t, app: app, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		if status, _, _ := b.post("/login", url.Values{"login": {"adv3"}, "password": {testPassword}}); status == http.StatusSeeOther {
			t.Errorf("a deactivated agent signed in")
		}
		if _, page := admin.get("/admin/agents?inactive=on&q=nouveau"); !strings.Contains(page, "Léo Nouveau") {
			t.Errorf("the deactivated agent is not listed with inactive agents")
		}
		if _, page := admin.get("/admin/agents?q=nouveau"); strings.Contains(page, "Léo Nouveau") {
			t.Errorf("the deactivated agent is listed among active agents")
		}
		// A duplicate login is explained on the form.
		status, page, _ = admin.post("/admin/agents", url.Values{"login": {"adv1"}, "name": {"Doublon"}, "unit_code": {"A1"}, "roles": {"advisor"}})
		if status != http.StatusConflict || !strings.Contains(page, `value="Doublon"`) {
			t.Errorf("duplicate login: %d", status)
		}
		// A role without party.edit makes its agents read-only.
		if status, _, _ := admin.post("/admin/roles", url.Values{"code": {"auditor"}, "name": {"Auditeur"},
			"permissions": {"party.read", "audit.read"}}); status != http.StatusSeeOther {
			t.Fatalf("create role: %d", status)
		}
		if _, page := admin.get("/admin/roles"); !strings.Contains(page, "Auditeur") {
			t.Errorf("new role not listed")
		}
		// A token is shown once, and works on the API.
		status, page, _ = admin.post("/admin/tokens", url.Values{"name": {"crm-sync"}, "agent": {"adv1"}})
		if status != http.StatusCreated {
			t.Fatalf("create token: %d", status)
		}
		i := strings.Index(page, `<code class="secret">`)
		if i < 0 {
			t.Fatal("token secret not shown")
		}
		secret := page[i+len(`<code class="secret">`):]
		secret = secret[:strings.Index(secret, "<")]
		app.Tokens["sync"] = secret
		if status, _ := app.call("sync", http.MethodGet, "/api/v1/parties/"+app.P1.ID, nil); status != http.StatusOK {
			t.Errorf("the new token does not work: %d", status)
		}
		if _, page := admin.get("/admin/tokens"); strings.Contains(page, secret) {
			t.Errorf("the token list shows the secret again")
		}
		// The audit log shows these changes with their author.
		_, page = admin.get("/admin/audit?agent=admin")
		for _, action := range []string{"unit.create", "agent.create"} {
			if !strings.Contains(page, action) {
				t.Errorf("audit log lacks %s", action)
			}
		}
	})
}

func TestUILanguages(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	adv := app.signIn("adv1")
	_, fr := adv.get("/parties/" + app.P1.ID)
	if !strings.Contains(fr, `lang="fr"`) {
		t.Fatalf("the UI is not French by default")
	}
	if status, _, _ := adv.post("/lang", url.Values{"lang": {"en"}, "next": {"/parties/" + app.P1.ID}}); status != http.StatusSeeOther {
		t.Fatalf("switch language: %d", status)
	}
	_, en := adv.get("/parties/" + app.P1.ID)
	if !strings.Contains(en, `lang="en"`) || en == fr {
		t.Errorf("the page did not switch to English")
	}
}

func TestUIPartyPageShowsWhoChangedWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		form := url.Values{"kind": {"person"}, "version": {"1"}, "first_name": {"Hélène"}, "last_name": {"Dupré-Martin"},
			"birth_date": {"1980-04-12"}, "agency_code": {"A1"}, "segment": {"Premium"},
			"email_0": {"helene.dupre@example.fr"}, "email_kind_0": {"personal"}, "phone_0": {"06 12 34 56 78"}, "phone_kind_0": {"mobile"}}
		if status, page, _ := adv.post("/parties/"+app.P1.ID+"/edit", form); status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", status, page)
		}
		_, page := adv.get("/parties/" + app.P1.ID)
		i := strings.Index(page, `id="changes"`)
		if i < 0 {
			t.Fatal("no change history on the 360 page")
		}
		changes := page[i:]
		for _, want := range []string{"Hugo Conseiller", "<del>Dupré</del> → Dupré-Martin", "Premium"} {
			if !strings.Contains(changes, want) {
				t.Errorf("change history lacks %q", want)
			}
		}
		// Creation and the edit; consultations (this very page) are in the
		// audit log, not in the change history.
		if strings.Count(changes, "<tr>") != 2 {
			t.Errorf("change history has %d lines, want creation and the edit", strings.Count(changes, "<tr>"))
		}
	})
}

func TestTheLanguagePickedAtSignInSticks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		jar, _ := cookiejar.New(nil)
		b := &browser{t: t, app: app, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}}
		if status, _, _ := b.post("/lang", url.Values{"lang": {"en"}, "next": {"/login"}}); status != http.StatusSeeOther {
			t.Fatalf("pick English on the sign-in page: %d", status)
		}
		if _, page := b.get("/login"); !strings.Contains(page, `lang="en"`) || !strings.Contains(page, "Sign in") {
			t.Fatalf("the sign-in page is not in English once English is picked")
		}
		if status, _, _ := b.post("/login", url.Values{"login": {"adv1"}, "password": {testPassword}}); status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", status)
		}
		if _, page := b.get("/parties/" + app.P1.ID); !strings.Contains(page, `lang="en"`) {
			t.Errorf("signed in, the UI went back to the profile's French")
		}
		// On another browser, without the cookie, the profile now says English.
		if _, page := app.signIn("adv1").get("/parties/" + app.P1.ID); !strings.Contains(page, `lang="en"`) {
			t.Errorf("the language picked at sign-in was not kept in the profile")
		}
	})
}

func TestTheRolesPageSpeaksTheUILanguageAndOffersOnlyBuiltFeatures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		_, page := admin.get("/admin/roles")
		for _, want := range []string{`value="Conseiller"`, `value="Administrateur"`, "Rédiger des comptes rendus"} {
			if !strings.Contains(page, want) {
				t.Errorf("the roles page lacks %q", want)
			}
		}
		// Every feature is built: the desk's, the cases' and the leads' rights are offered.
		for _, want := range []string{"Traiter les demandes", "Assigner les demandes", "Gérer les dossiers",
			"Recevoir et traiter les pistes", "Réattribuer les pistes"} {
			if !strings.Contains(page, want) {
				t.Errorf("the roles page lacks %q", want)
			}
		}
		if strings.Contains(page, `value="Advisor"`) {
			t.Errorf("the roles page shows the English role name to a French reader")
		}
		// Saving the grid sets exactly the rights ticked.
		form := url.Values{"code": {"advisor"}, "name": {"Conseiller"},
			"permissions": {"party.read", "party.edit", "history.read", "report.write", "request.read", "request.reply", "lead.work"}}
		if status, _, _ := admin.post("/admin/roles", form); status != http.StatusSeeOther {
			t.Fatalf("save the advisor role: %d", status)
		}
		roles, err := app.Orgs.ListRoles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range roles {
			if r.Code == "advisor" && (slices.Contains(r.Permissions, core.PermCaseManage) || !slices.Contains(r.Permissions, core.PermLeadWork) ||
				slices.Contains(r.Permissions, core.PermAdmin)) {
				t.Errorf("advisor role after saving the grid without cases: %v", r.Permissions)
			}
		}
	})
}

func TestTheNavigationMarksTheSectionOnDisplay(t *testing.T) {
	app := newTestApp(t, dbtest.SQLite(t))
	admin := app.signIn("admin")
	current := regexp.MustCompile(`<a href="([^"]+)"\s*aria-current="page">`)
	for path, want := range map[string]string{
		"/parties/" + app.P1.ID: "",
		"/parties?name=dupre":   "/parties",
		"/admin/audit":          "/admin/audit",
		"/admin/units":          "/admin/units",
		"/reports/orphans":      "/reports/orphans",
	} {
		_, page := admin.get(path)
		nav := page[strings.Index(page, `<nav class="nav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		var marked []string
		for _, m := range current.FindAllStringSubmatch(nav, -1) {
			marked = append(marked, m[1])
		}
		if (want == "" && len(marked) != 0) || (want != "" && (len(marked) != 1 || marked[0] != want)) {
			t.Errorf("on %s the navigation marks %v, want %q", path, marked, want)
		}
	}
}

func TestTheAuditLogReadsAsSentencesWithNamesNotCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		adv := app.signIn("adv1")
		form := url.Values{"kind": {"person"}, "version": {"1"}, "first_name": {"Hélène"}, "last_name": {"Dupré-Martin"},
			"birth_date": {"1980-04-12"}, "agency_code": {"A1"},
			"email_0": {"helene.dupre@example.fr"}, "email_kind_0": {"personal"}, "phone_0": {"06 12 34 56 78"}, "phone_kind_0": {"mobile"}}
		if status, _, _ := adv.post("/parties/"+app.P1.ID+"/edit", form); status != http.StatusSeeOther {
			t.Fatalf("edit Hélène: %d", status)
		}
		admin := app.signIn("admin")
		// The customer is picked by client number; the entries name her and say what changed.
		_, page := admin.get("/admin/audit?party=1000000001&action=party.update")
		for _, want := range []string{"Modification de fiche client", "Hélène Dupré-Martin", "Hugo Conseiller",
			"<del>Dupré</del> → Dupré-Martin", `list="pick-audit-party"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit log lacks %q", want)
			}
		}
		table := page[strings.Index(page, `<table class="list audit">`):]
		for _, gone := range []string{"party.update", app.P1.ID + "<", `{"`, "<code"} {
			if strings.Contains(table, gone) {
				t.Errorf("the audit log shows %q", gone)
			}
		}
		report := url.Values{"medium": {"phone"}, "initiative": {"outbound"}, "reason": {"appointment"}, "comment": {"RDV"}}
		if status, _, _ := adv.post("/parties/"+app.P1.ID+"/reports", report); status != http.StatusSeeOther {
			t.Fatalf("write a report: %d", status)
		}
		_, page = admin.get("/admin/audit?action=report.create")
		table = page[strings.Index(page, `<table class="list audit">`):]
		for _, want := range []string{"Compte rendu rédigé", "Téléphone", "Prise de rendez-vous", "orphelin"} {
			if !strings.Contains(table, want) {
				t.Errorf("the report's entry lacks %q", want)
			}
		}
		if strings.Contains(table, ">appointment<") || strings.Contains(table, " phone<") {
			t.Errorf("the report's entry shows codes")
		}
		if _, page := admin.get("/admin/audit?party=9999999999"); !strings.Contains(page, "Aucun client de votre périmètre ne correspond.") {
			t.Errorf("an unknown client number is not explained")
		}
	})
}
