package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

// addLead writes a lead of unit received at received (UTC), assigned to
// login, straight into the table, with its clock start as intake sets it.
func (a *deskApp) addLead(unit, login, source string, received time.Time, minutes int64) string {
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
	ag, err := a.Orgs.AgentByLogin(ctx, login)
	if err != nil {
		a.t.Fatal(err)
	}
	id, now := core.NewID(), core.Millis(time.Now())
	start := core.Millis(leads.ClockStart(cal, received))
	var status, kind string = "assigned", ""
	var mins, first any
	if minutes >= 0 {
		status, kind, mins, first = "answered", "call", minutes, start+minutes*60000
	}
	if _, err := a.DB.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, channel, source, external_id,
		received_at, clock_start_at, last_name, status, route, assignee_id, first_response_at, response_minutes, response_kind,
		created_at, updated_at) VALUES (?, ?, ?, 'api', ?, ?, ?, ?, 'Prospect', ?, 'default', ?, ?, ?, ?, ?, ?)`,
		id, br.ID, u.ID, source, id, core.Millis(received), start, status, ag.ID, first, mins, kind, now, now); err != nil {
		a.t.Fatal(err)
	}
	return id
}

func TestAnActivityPostedOnALeadIsItsResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		// Friday 20 November 2026, 19:00 in Paris: the clock starts Monday at 9:00.
		id := app.addLead("A1", "adv1", "site", time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC), -1)
		out := app.must(http.StatusCreated, "adv1", http.MethodPost, "/leads/"+id+"/activities",
			map[string]any{"kind": "call", "completed_at": "2026-11-23T09:10:00+01:00"})
		l := out["lead"].(map[string]any)
		if l["status"] != "answered" || l["response_minutes"] != 10.0 || l["response_kind"] != "call" {
			t.Fatalf("lead after the call: %v", l)
		}
		app.must(http.StatusCreated, "adv1", http.MethodPost, "/leads/"+id+"/activities",
			map[string]any{"kind": "sms", "automatic": true})
		list := app.must(http.StatusOK, "adv1", http.MethodGet, "/leads/"+id+"/activities", nil)["activities"].([]any)
		if len(list) != 2 || list[0].(map[string]any)["origin"] != "api" || list[1].(map[string]any)["automatic"] != true {
			t.Fatalf("activities: %v", list)
		}
		if status, raw, _ := app.call("adv2", http.MethodPost, "/leads/"+id+"/activities", map[string]any{"kind": "call"}); status != http.StatusNotFound {
			t.Fatalf("adv2 (A2) on a lead of A1: %d %s", status, raw)
		}
		if status, raw, _ := app.call("adv1", http.MethodPost, "/leads/"+id+"/activities",
			map[string]any{"kind": "call", "completed_at": "2026-11-20T18:00:00+01:00"}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(raw, "before_lead_received") {
			t.Fatalf("an activity before the lead: %d %s", status, raw)
		}
	})
}

func TestTheLeadResponseStatsAnswerJSONAndTheSameNumbersAsCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) } // 10:00 in Paris
		for i, m := range []int64{0, 45, 200, -1} {
			app.addLead("A1", "adv1", "site", day(2+i), m)
		}
		for i, m := range []int64{3000, 30} {
			app.addLead("A2", "adv2", "comparateur", day(9+i), m)
		}
		q := "/stats/lead-response?from=2026-11-01&to=2026-11-30&group_by=source&intervals=0-1,1-6,6-"
		r := app.must(http.StatusOK, "admin", http.MethodGet, q, nil)
		rows := r["rows"].([]any)
		if len(rows) != 2 {
			t.Fatalf("rows: %v", rows)
		}
		site := rows[1].(map[string]any)
		if site["key"] != "site" || site["leads"] != 4.0 || site["answered"] != 3.0 || site["average_response_minutes"] != 81.7 ||
			site["within_24h"] != 3.0 || site["within_24h_pct"] != 75.0 {
			t.Fatalf("site: %v", site)
		}
		ivs := site["intervals"].([]any)
		if got := fmt.Sprint(ivs[0].(map[string]any)["count"], ivs[1].(map[string]any)["count"], ivs[2].(map[string]any)["count"]); got != "2 1 0" {
			t.Fatalf("site's intervals: %v", ivs)
		}
		totals := r["totals"].(map[string]any)
		if totals["leads"] != 6.0 || totals["answered"] != 5.0 || len(r["details"].([]any)) != 6 {
			t.Fatalf("totals %v, %d details", totals, len(r["details"].([]any)))
		}
		// The same with Accept: text/csv.
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+"/api/v1"+q, nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
		req.Header.Set("Accept", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		}
		recs, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"key", "label", "leads", "answered", "average_response_minutes", "within_24h", "within_24h_pct", "0-1h", "0-1h_pct", "1-6h", "1-6h_pct", "6-h", "6-h_pct"},
			{"comparateur", "comparateur", "2", "2", "1515", "1", "50", "1", "50", "0", "0", "1", "50"},
			{"site", "site", "4", "3", "81.7", "3", "75", "2", "50", "1", "25", "0", "0"},
			{"total", "", "6", "5", "655", "4", "66.7", "3", "50", "1", "16.7", "1", "16.7"},
		}
		if fmt.Sprint(recs) != fmt.Sprint(want) {
			t.Fatalf("CSV:\n%v\nwant\n%v", recs, want)
		}
		// adv1 sees the leads of A1 only; bad criteria are named.
		if tot := app.must(http.StatusOK, "adv1", http.MethodGet, q, nil)["totals"].(map[string]any); tot["leads"] != 4.0 {
			t.Fatalf("adv1's totals: %v", tot)
		}
		for _, bad := range []string{"from=2026-11-01&intervals=6-1", "from=2026-13-01", "group_by=product",
			"from=2026-11-01&to=2026-10-01"} {
			if status, raw, _ := app.call("admin", http.MethodGet, "/stats/lead-response?"+bad, nil); status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", bad, status, raw)
			}
		}
	})
}
