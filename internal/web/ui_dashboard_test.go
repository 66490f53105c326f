package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// widgetIDs lists the ids of the widgets on a home page, in order.
var widgetID = regexp.MustCompile(`<section class="card widget widget-([a-z_]+)" id="w-([^"]+)"`)

func widgetsOn(body string) (kinds, ids []string) {
	for _, m := range widgetID.FindAllStringSubmatch(body, -1) {
		kinds, ids = append(kinds, m[1]), append(ids, m[2])
	}
	return kinds, ids
}

func TestTheHomePageShowsTheWidgetsTheAgentsPermissionsOffer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.newTask("adv1", cases.NewTask{Title: "Rappeler la cliente", DueOn: "2026-11-20", AssigneeLogin: "adv1"})
		app.newTask("adv1", cases.NewTask{Title: "Préparer le rendez-vous", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		b := app.signIn("adv1")
		status, body := b.get("/")
		if status != http.StatusOK {
			t.Fatalf("home: %d", status)
		}
		kinds, _ := widgetsOn(body)
		if strings.Join(kinds, " ") != "my_tasks my_requests my_leads lead_response recent_customers" {
			t.Errorf("advisor's widgets: %v", kinds)
		}
		for _, want := range []string{"Bonjour Hugo Conseiller", "Mes tâches du jour", "Rappeler la cliente", "Préparer le rendez-vous",
			`href="/activity"`, `href="/desk?view=mine"`, "Temps de réponse Internet", "/leads/report?from=2026-11-22",
			"Les clients que vous ouvrez s’affichent ici.", `<option value="orphan_reports">Comptes rendus à corriger</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the advisor's home page lacks %q", want)
			}
		}
		// In English, every label too.
		if status, _, _ := b.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}}); status != http.StatusSeeOther {
			t.Fatalf("switch language: %d", status)
		}
		_, body = b.get("/")
		for _, want := range []string{"Hello Hugo Conseiller", "My tasks today", "My requests", "My open leads", "Lead response time",
			"Average response time", "Recent customers", "Add a widget", `<option value="orphan_reports">Reports to fix</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the English home page lacks %q", want)
			}
		}
		// The read-only agent has no tasks, no leads, writes no report.
		_, body = app.signIn("viewer").get("/")
		if kinds, _ := widgetsOn(body); strings.Join(kinds, " ") != "my_requests recent_customers" {
			t.Errorf("viewer's widgets: %v", kinds)
		}
		if strings.Contains(body, `action="/dashboard/widgets"`) {
			t.Error("the viewer is offered widgets to add though every one they may have is there")
		}
	})
}

func TestAWidgetIsAddedConfiguredMovedAndRemovedWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("adv1")
		status, _, loc := b.post("/dashboard/widgets", url.Values{"kind": {"orphan_reports"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/#w-") {
			t.Fatalf("add: %d → %s", status, loc)
		}
		_, body := b.get("/")
		kinds, ids := widgetsOn(body)
		if len(kinds) != 6 || kinds[5] != "orphan_reports" || !strings.Contains(body, "« Comptes rendus à corriger » ajouté") {
			t.Fatalf("after adding: %v", kinds)
		}
		if status, _, _ := b.post("/dashboard/widgets/"+ids[5]+"/move", url.Values{"position": {"5"}}); status != http.StatusSeeOther {
			t.Fatalf("move up: %d", status)
		}
		_, body = b.get("/")
		if kinds, _ = widgetsOn(body); kinds[4] != "orphan_reports" || kinds[5] != "recent_customers" {
			t.Errorf("after moving up: %v", kinds)
		}
		// A refused setting: the form is shown again, open, with what was typed and why.
		resp := ids[3]
		status, body, _ = b.post("/dashboard/widgets/"+resp+"/settings", url.Values{"window": {"3d"}, "source_group": {"web"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `<details class="widget-settings" open>`) ||
			!strings.Contains(body, `value="web"`) || !strings.Contains(body, `<em class="err">une de ces valeurs`) {
			t.Errorf("refused settings: %d %s", status, excerpt(body, "widget-settings-form"))
		}
		status, _, _ = b.post("/dashboard/widgets/"+resp+"/settings", url.Values{"window": {"7d"}, "source_group": {"web"}, "unit": {"A1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("configure: %d", status)
		}
		_, body = b.get("/")
		if !strings.Contains(body, "7 derniers jours · web · Paris Opéra") || !strings.Contains(body, "source_group=web") ||
			!strings.Contains(body, "unit=A1") || !strings.Contains(body, "from=2026-11-16") {
			t.Errorf("configured widget: %s", excerpt(body, "widget-lead_response"))
		}
		if status, _, _ := b.post("/dashboard/widgets/"+resp+"/remove", nil); status != http.StatusSeeOther {
			t.Fatalf("remove: %d", status)
		}
		_, body = b.get("/")
		if kinds, _ = widgetsOn(body); strings.Contains(strings.Join(kinds, " "), "lead_response") || len(kinds) != 5 {
			t.Errorf("after removing: %v", kinds)
		}
		// Another agent cannot touch this dashboard.
		_, ids = widgetsOn(body)
		if status, _, loc := app.signIn("viewer").post("/dashboard/widgets/"+ids[0]+"/remove", nil); status != http.StatusSeeOther || loc != "/" {
			t.Errorf("someone else's widget: %d %s", status, loc)
		}
		if _, body = b.get("/"); len(widgetID.FindAllString(body, -1)) != 5 {
			t.Error("another agent removed a widget of this dashboard")
		}
	})
}

func TestTheCustomersOpenedAppearAmongTheRecentOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("adv1")
		if status, _ := b.get("/parties/" + app.P1.ID); status != http.StatusOK {
			t.Fatal(status)
		}
		if status, _ := b.get("/parties/" + app.P2.ID); status != http.StatusNotFound { // another agency's
			t.Fatalf("out of scope: %d", status)
		}
		_, body := b.get("/")
		if !strings.Contains(body, `<a href="/parties/`+app.P1.ID+`">Hélène Dupré</a>`) || strings.Contains(body, app.P2.ID) {
			t.Errorf("recent customers: %s", excerpt(body, "widget-recent_customers"))
		}
		// Another agent's list is their own.
		if _, body := app.signIn("viewer").get("/"); strings.Contains(body, "Hélène Dupré") {
			t.Error("the viewer sees the advisor's recent customers")
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM agent_recent_parties").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d visits recorded (%v)", n, err)
		}
	})
}

// excerpt is the part of body from the first occurrence of marker, for
// failure messages.
func excerpt(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return "(" + marker + " not found)"
	}
	return body[i:min(len(body), i+1500)]
}
