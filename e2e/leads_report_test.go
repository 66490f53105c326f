package e2e_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// seedLeadReport writes the report's hand-computed fixture, November 2026
// in Paris:
//
//	adv1 (A1): answered in 0, 45 and 200 business minutes, one unanswered
//	admin (A2): answered in 3,000 and 30 minutes
//
// By agent with the default intervals (0–1, 1–6, 6–24, 24–48, 48+ hours):
//
//	Alice Admin      2 leads, 2 answered, average 1,515, 1 within 24 h (50 %), 0–1 h: 1 (50 %), 48 h +: 1 (50 %)
//	Hugo Conseiller  4 leads, 3 answered, average 81.7, 3 within 24 h (75 %), 0–1 h: 2 (50 %), 1–6 h: 1 (25 %)
//	Total            6 leads, 5 answered, average 655, 4 within 24 h (66.7 %), 3 (50 %), 1 (16.7 %), 0, 0, 1 (16.7 %)
func seedLeadReport(t *testing.T, app *webtest.App) {
	t.Helper()
	ctx := context.Background()
	br, _ := app.Orgs.UnitByCode(ctx, "BR")
	add := func(unit, login string, day int, minutes int64) {
		t.Helper()
		u, err := app.Orgs.UnitByCode(ctx, unit)
		if err != nil {
			t.Fatal(err)
		}
		ag, err := app.Orgs.AgentByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := app.Orgs.Calendar(ctx, u.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		received := time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC) // 10:00 in Paris, open
		start := core.Millis(leads.ClockStart(cal, received))
		status, kind := "assigned", ""
		var mins, first any
		if minutes >= 0 {
			status, kind, mins, first = "answered", "call", minutes, start+minutes*60000
		}
		id := core.NewID()
		if _, err := app.DB.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, party_id, channel, source, source_group,
			external_id, received_at, clock_start_at, first_name, last_name, product, status, route, assignee_id,
			first_response_at, response_minutes, response_kind, created_at, updated_at)
			VALUES (?, ?, ?, NULL, 'api', 'site', 'web', ?, ?, ?, 'Jeanne', ?, 'loan', ?, 'default', ?, ?, ?, ?, ?, ?)`,
			id, br.ID, u.ID, id, core.Millis(received), start, fmt.Sprintf("Prospect %d", day), status, ag.ID, first,
			mins, kind, start, start); err != nil {
			t.Fatal(err)
		}
	}
	add("A1", "adv1", 2, 0)
	add("A1", "adv1", 3, 45)
	add("A1", "adv1", 4, 200)
	add("A1", "adv1", 5, -1)
	add("A2", "admin", 9, 3000)
	add("A2", "admin", 10, 30)
}

// leadReportPages seeds the fixture and names the report's pages for the
// layout and accessibility checks: the criteria, and a report shown.
func leadReportPages(t *testing.T, app *webtest.App) []struct{ name, path string } {
	t.Helper()
	seedLeadReport(t, app)
	return []struct{ name, path string }{
		{"lead-report-criteria", "/leads/report"},
		{"lead-report", "/leads/report?show=1&from=2026-11-01&to=2026-11-30&group_by=agent"},
	}
}

// The response-time report's numbers are the hand-computed fixture's, its
// criteria fold away once shown, and its CSV holds the table's numbers.
func TestTheResponseReportMatchesTheHandComputedFixtureAndItsCSVTheTable(t *testing.T) {
	app, b := start(t)
	seedLeadReport(t, app)
	b.signIn("admin")
	b.open("/leads/report")
	b.waitPage("/leads/report")
	if open := b.eval(`String(document.querySelector("details.lr-criteria").open)`); open != "true" {
		t.Fatalf("the criteria are folded before the report is shown")
	}
	b.do("type the period",
		chromedp.SetValue(chromedp.CSS(`input[name="from"]`), "01/11/2026"),
		chromedp.SetValue(chromedp.CSS(`input[name="to"]`), "30/11/2026"))
	b.setSelect(`select[name="group_by"]`, "agent")
	b.do("show the report", chromedp.Click(chromedp.CSS(`.lr-criteria button[type="submit"]`)))
	b.waitFor("the report", `document.querySelector("#lr-table")`)
	if open := b.eval(`String(document.querySelector("details.lr-criteria").open)`); open != "false" {
		t.Errorf("the criteria stay open once the report is shown")
	}
	// Each row as its cells' text, the totals last.
	raw := b.eval(`JSON.stringify([...document.querySelectorAll("#lr-table tbody tr, #lr-table tfoot tr")].map(tr =>
		[...tr.children].map(c => c.textContent.trim())))`)
	var table [][]string
	if err := json.Unmarshal([]byte(raw), &table); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Alice Admin", "2", "2", "1515", "1", "50", "1", "50", "0", "0", "0", "0", "0", "0", "1", "50"},
		{"Hugo Conseiller", "4", "3", "81,7", "3", "75", "2", "50", "1", "25", "0", "0", "0", "0", "0", "0"},
		{"Total", "6", "5", "655", "4", "66,7", "3", "50", "1", "16,7", "0", "0", "0", "0", "1", "16,7"},
	}
	if fmt.Sprint(table) != fmt.Sprint(want) {
		t.Fatalf("the table:\n%v\nwant the hand-computed\n%v", table, want)
	}
	if n := b.count("#lr-detail-table tbody tr"); n != 6 {
		t.Errorf("%d detail rows, want 6", n)
	}
	desc := b.eval(`document.querySelector(".lr-chart desc").textContent`)
	if bars := b.count(".lr-chart svg rect"); bars != 5 || !strings.Contains(desc, "0–1 h : 3 · 50 %") {
		t.Errorf("the chart: %d bars, description %q", bars, desc)
	}
	// The CSV link, fetched with the page's session, holds the same numbers.
	href := b.eval(`document.querySelector(".lr-results a[download]").getAttribute("href")`)
	body, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(`+jsString(href)+`).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != len(table)+1 {
		t.Fatalf("CSV: %v, %d lines:\n%s", err, len(recs), body)
	}
	for i, row := range table {
		rec := recs[i+1]
		got := append([]string{row[0]}, rec[2:]...)
		if i < len(table)-1 {
			got[0] = rec[1] // the label
		} else if rec[0] != "total" {
			t.Errorf("the CSV's last line is %v, want the totals", rec)
		}
		for j := range row {
			if j > 0 {
				row[j] = strings.ReplaceAll(row[j], ",", ".")
			}
		}
		if i == len(table)-1 {
			got[0] = row[0]
		}
		if fmt.Sprint(got) != fmt.Sprint(row) {
			t.Errorf("CSV line %d: %v, the table says %v", i+1, got, row)
		}
	}
}
