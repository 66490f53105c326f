package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAPIIngestsInteractions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		call := map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "inbound",
			"occurred_at": "2026-11-20T10:00:00+01:00", "duration_seconds": 4, "outcome": "voicemail", "from": "06 12 34 56 78"}
		status, body := app.call("admin", http.MethodPost, "/api/v1/interactions", call)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) != 1 {
			t.Fatalf("single item: %d %v", status, body)
		}
		first := items[0].(map[string]any)
		if first["status"] != "stored" || fmt.Sprint(first["party_ids"]) != "["+app.P1.ID+"]" {
			t.Errorf("single call: %v, want stored on Hélène", first)
		}
		batch := map[string]any{"items": []any{call,
			map[string]any{"source": "agent_mailbox", "external_id": "m1", "channel": "email", "direction": "inbound",
				"occurred_at": "2026-11-20T11:00:00Z", "from": "helene.dupre@example.fr", "subject": "Re: Perso"},
			map[string]any{"source": "telephony", "external_id": "x", "channel": "pigeon", "direction": "inbound",
				"occurred_at": "2026-11-20T11:00:00Z"}}}
		_, body = app.call("admin", http.MethodPost, "/api/v1/interactions", batch)
		items, _ = body["items"].([]any)
		var got []string
		for _, it := range items {
			got = append(got, it.(map[string]any)["status"].(string))
		}
		if strings.Join(got, ",") != "duplicate,excluded,rejected" {
			t.Errorf("batch statuses %v, want duplicate, excluded, rejected", got)
		}
		// The advisor of A1 reads Hélène's timeline; not Zoé's, of A2.
		status, body = app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P1.ID+"/timeline?channel=phone", nil)
		lines, _ := body["items"].([]any)
		if status != http.StatusOK || len(lines) != 1 || lines[0].(map[string]any)["outcome"] != "voicemail" {
			t.Errorf("timeline: %d %v", status, body)
		}
		if status, _ := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P2.ID+"/timeline", nil); status != http.StatusNotFound {
			t.Errorf("out-of-scope timeline: %d, want 404", status)
		}
		if status, _ := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P1.ID+"/timeline?from=yesterday", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("bad from: %d, want 422", status)
		}
		// A batch over 1,000 is refused whole, with a hint.
		big := make([]any, 1001)
		for i := range big {
			big[i] = call
		}
		if status, _ := app.call("admin", http.MethodPost, "/api/v1/interactions", map[string]any{"items": big}); status != http.StatusUnprocessableEntity {
			t.Errorf("1,001 items: %d, want 422", status)
		}
		// An advisor's token may not push history.
		if status, _ := app.call("adv1", http.MethodPost, "/api/v1/interactions", call); status != http.StatusForbidden {
			t.Errorf("advisor pushes: %d, want 403", status)
		}
		// The exclusion is counted in /metrics, not stored.
		resp, err := http.Get(app.Server.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(metrics), `rapport_interactions_excluded_total{rule="private_subject"} 1`) {
			t.Errorf("/metrics lacks the private subject exclusion")
		}
	})
}

func TestAPIIngestsNDJSONStream(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		var b strings.Builder
		for i := range 2500 {
			if i == 1200 {
				b.WriteString("{not json\n")
			}
			fmt.Fprintf(&b, `{"source":"sms","external_id":"s%d","channel":"sms","direction":"outbound","occurred_at":"2026-11-20T10:00:00Z","to":["+33612345678"]}`+"\n", i)
		}
		req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/api/v1/interactions", strings.NewReader(b.String()))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+app.Tokens["admin"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("NDJSON: %d %s", resp.StatusCode, raw)
		}
		out := string(raw)
		if n := strings.Count(out, `"status":"stored"`); n != 2500 {
			t.Errorf("%d stored, want 2500", n)
		}
		if !strings.Contains(out, `line 1201: not a JSON interaction`) {
			t.Errorf("the bad line is not answered with its number")
		}
		// Answers keep the order of the lines: the bad line's comes after s1199.
		if i, j := strings.Index(out, `"external_id":"s1199"`), strings.Index(out, "line 1201"); i < 0 || j < i {
			t.Errorf("answers out of order")
		}
		var n int
		if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM interaction_parties WHERE party_id = ?", app.P1.ID).Scan(&n); err != nil || n != 2500 {
			t.Errorf("Hélène has %d interactions, want 2500 (%v)", n, err)
		}
	})
}

func TestUITimelineOnThe360Page(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		var items []any
		for i := range 35 {
			items = append(items, map[string]any{"source": "telephony", "external_id": fmt.Sprint("c", i), "channel": "phone",
				"direction": "inbound", "occurred_at": fmt.Sprintf("2026-10-%02dT10:00:00Z", 1+i%28), "outcome": "voicemail",
				"from": "+33612345678", "agent": "adv1"})
		}
		items = append(items, map[string]any{"source": "agent_mailbox", "external_id": "m1", "channel": "email", "direction": "outbound",
			"occurred_at": "2026-11-20T10:00:00Z", "to": []string{"helene.dupre@example.fr"}, "subject": "Votre rendez-vous du 25"})
		if status, body := app.call("admin", http.MethodPost, "/api/v1/interactions", map[string]any{"items": items}); status != http.StatusOK {
			t.Fatalf("ingest: %d %v", status, body)
		}
		adv := app.signIn("adv1")
		_, page := adv.get("/parties/" + app.P1.ID)
		for _, want := range []string{"pict-phone-inbound-voicemail", "pict-email-outbound", "Votre rendez-vous du 25",
			"Appel entrant", "message vocal laissé par le client", "Hugo Conseiller", `hx-trigger="revealed"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the 360 page lacks %q", want)
			}
		}
		if n := strings.Count(page, `class="pict `); n != 30 {
			t.Errorf("first page shows %d lines, want 30", n)
		}
		i := strings.Index(page, `hx-get="/parties/`+app.P1.ID+`/timeline?cursor=`)
		if i < 0 {
			t.Fatal("no link to older lines")
		}
		next := page[i+len(`hx-get="`):]
		next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
		_, more := adv.getHX(next)
		if n := strings.Count(more, `class="pict `); n != 6 || strings.Contains(more, "<html") {
			t.Errorf("older lines: %d, want 6 rows without a page around them", n)
		}
		// Opened in a tab of its own, the same link is the 360 page at those lines.
		_, tab := adv.get(next)
		if n := strings.Count(tab, `class="pict `); n != 6 || !strings.Contains(tab, "<!doctype html>") ||
			!strings.Contains(tab, "Revenir aux contacts les plus récents") {
			t.Errorf("older lines opened directly: %d lines, a whole page %v", n, strings.Contains(tab, "<!doctype html>"))
		}
		if _, sugg := adv.get("/search/suggest?q=dupre"); !strings.Contains(sugg, "<!doctype html>") {
			t.Errorf("the suggestions opened directly are a raw fragment")
		}
		if status, _ := adv.get("/parties/" + app.P2.ID + "/timeline"); status != http.StatusNotFound {
			t.Errorf("another agency's timeline: %d, want 404", status)
		}
	})
}
