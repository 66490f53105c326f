package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
)

// addLead writes a lead of unit for the party (may be ""), received at
// (UTC), assigned to login (may be ""), answered in minutes (-1: not).
func (a *testApp) addLead(unit, partyID, login, source string, received time.Time, minutes int64) string {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.Orgs.UnitByCode(ctx, unit)
	if err != nil {
		a.t.Fatal(err)
	}
	br, _ := a.Orgs.UnitByCode(ctx, "BR")
	cal, err := a.Orgs.Calendar(ctx, u.ID, received.Year())
	if err != nil {
		a.t.Fatal(err)
	}
	var assignee, party, mins, first any
	status, kind := "new", ""
	if login != "" {
		assignee, status = a.actorOf(login).AgentID, "assigned"
	}
	if partyID != "" {
		party = partyID
	}
	start := core.Millis(leads.ClockStart(cal, received))
	if minutes >= 0 {
		status, kind, mins, first = "answered", "call", minutes, start+minutes*60000
	}
	id := core.NewID()
	if _, err := a.DB.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, party_id, channel, source, source_group,
		external_id, received_at, clock_start_at, last_name, product, status, route, assignee_id, first_response_at,
		response_minutes, response_kind, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'api', ?, 'web', ?, ?, ?, 'Prospect', 'loan', ?, 'default', ?, ?, ?, ?, ?, ?)`,
		id, br.ID, u.ID, party, source, id, core.Millis(received), start, status, assignee, first, mins, kind,
		start, start); err != nil {
		a.t.Fatal(err)
	}
	return id
}

func TestTheRequestPageSuggestsTheCustomersOpenLeadAndSavesTheAssociation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		older := app.addLead("A1", app.P1.ID, "adv1", "site", time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC), -1)
		newest := app.addLead("A1", app.P1.ID, "adv1", "comparateur", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), -1)
		a1, _ := app.Orgs.UnitByCode(context.Background(), "A1")
		req, err := app.App.App.Desk.Create(context.Background(), app.actorOf("adv1"), desk.NewRequest{UnitID: a1.ID,
			Channel: desk.ChannelWebForm, Subject: "Prêt", Body: "Bonjour", CustomerEmail: "helene.dupre@example.fr", PartyID: app.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		b := app.signIn("adv1")
		status, page := b.get("/desk/requests/" + req.ID)
		if status != http.StatusOK || !strings.Contains(page, `action="/desk/requests/`+req.ID+`/lead"`) {
			t.Fatalf("request page: %d, association form shown %v", status, strings.Contains(page, "/lead\""))
		}
		// The most recent open lead comes first, selected, marked suggested.
		iNew, iOld := strings.Index(page, `value="`+newest+`" selected`), strings.Index(page, `value="`+older+`"`)
		if iNew < 0 || iOld < 0 || iNew > iOld || !strings.Contains(page, "suggérée") {
			t.Fatalf("options: newest at %d (selected), older at %d", iNew, iOld)
		}
		status, _, loc := b.post("/desk/requests/"+req.ID+"/lead", url.Values{"lead_id": {older}})
		if status != http.StatusSeeOther || !strings.Contains(loc, req.ID) {
			t.Fatalf("associate: %d → %q", status, loc)
		}
		if got, _ := app.App.App.Leads.RequestLead(context.Background(), app.actorOf("adv1"), req.ID); got != older {
			t.Fatalf("the request's lead = %q, want the one picked", got)
		}
		if _, page = b.get("/desk/requests/" + req.ID); !strings.Contains(page, `value="`+older+`" selected`) {
			t.Fatal("the saved lead is not the one selected")
		}
		other := app.addLead("A2", app.P2.ID, "", "site", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), -1)
		if status, page, _ := b.post("/desk/requests/"+req.ID+"/lead", url.Values{"lead_id": {other}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(page, "piste introuvable") {
			t.Fatalf("a lead outside the scope: %d", status)
		}
	})
}

func TestTheNewTaskFormOffersTheAgentsOpenLeads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		id := app.addLead("A1", app.P1.ID, "adv1", "site", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), -1)
		b := app.signIn("adv1")
		if _, page := b.get("/activity"); !strings.Contains(page, `name="lead_id"`) || !strings.Contains(page, `value="`+id+`"`) {
			t.Fatal("the new task form has no lead field with the agent's open lead")
		}
		status, _, _ := b.post("/tasks", url.Values{"title": {"Rappeler"}, "due_on": {"23/11/2026"}, "assignee": {"adv1"},
			"kind": {"call"}, "priority": {"low"}, "lead_id": {id}, "back": {"/activity"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create the task: %d", status)
		}
		var lead string
		if err := app.DB.QueryRow(context.Background(), "SELECT COALESCE(lead_id, '') FROM tasks WHERE title = 'Rappeler'").Scan(&lead); err != nil || lead != id {
			t.Fatalf("the task's lead = %q, %v", lead, err)
		}
	})
}

func TestTheResponseReportPageFoldsItsCriteriaAndShowsTheTableChartAndCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for i, m := range []int64{10, 90, -1} {
			app.addLead("A1", app.P1.ID, "adv1", "site", time.Date(2026, 11, 2+i, 9, 0, 0, 0, time.UTC), m)
		}
		b := app.signIn("adv1")
		status, page := b.get("/leads/report")
		if status != http.StatusOK || !strings.Contains(page, `class="card lr-criteria" open`) || strings.Contains(page, "lr-table") {
			t.Fatalf("criteria page: %d", status)
		}
		if !strings.Contains(page, `name="i5_from" value="48"`) || !strings.Contains(page, `name="i1_to" value="1"`) {
			t.Fatal("the default intervals are not filled in")
		}
		q := "/leads/report?show=1&from=01%2F11%2F2026&to=30%2F11%2F2026&group_by=agent&i1_from=0&i1_to=1&i2_from=1&i2_to=6&i3_from=6&i3_to="
		status, page = b.get(q)
		if status != http.StatusOK || strings.Contains(page, `lr-criteria" open`) {
			t.Fatalf("report: %d (criteria folded: %v)", status, !strings.Contains(page, `lr-criteria" open`))
		}
		for _, want := range []string{`id="lr-table"`, "Hugo Conseiller", "<svg", "<title id=\"lr-chart-title\">", "lr-detail-table",
			"1 h 30", "sans réponse", "format=csv"} {
			if !strings.Contains(page, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		// Three leads, two answered in 10 and 90 minutes: average 50.
		if !strings.Contains(regexp.MustCompile(` data-label="[^"]*"`).ReplaceAllString(page, ""),
			`<td class="n">3</td><td class="n">2</td><td class="n">50</td>`) {
			t.Errorf("the row's numbers are not 3, 2, 50")
		}
		i := strings.Index(page, `href="/api/v1/stats/lead-response?`)
		link := page[i+len(`href="`):]
		link = strings.ReplaceAll(link[:strings.IndexByte(link, '"')], "&amp;", "&")
		status, csv := b.get(link)
		if status != http.StatusOK || !strings.Contains(csv, "adv1,Hugo Conseiller,3,2,50,2,66.7,1,33.3,1,33.3,0,0") {
			t.Fatalf("CSV: %d %s", status, csv)
		}
		status, page = b.get("/leads/report?show=1&i1_from=6&i1_to=1")
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `lr-criteria" open`) || !strings.Contains(page, "intervalles") {
			t.Fatalf("bad intervals: %d", status)
		}
		viewer := app.signIn("viewer")
		if status, _ := viewer.get("/leads/report"); status != http.StatusForbidden {
			t.Fatalf("viewer: %d", status)
		}
	})
}
