package web_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// getHX requests path as htmx does, and returns the response and its body.
func (b *browser) getHX(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.Server.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// fetch gets path and returns the whole response with its body.
func (b *browser) fetch(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.app.Server.URL + path)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestUIInteractionPanelShowsTheSanitizedBodyAndFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ids := app.ingest(sharedMail(),
			map[string]any{"source": "sms", "external_id": "s1", "channel": "sms", "direction": "outbound",
				"occurred_at": "2026-11-21T10:00:00Z", "to": []string{"zoe.lefevre@example.fr"}, "body": "Pour Zoé"},
			map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "inbound",
				"occurred_at": "2026-11-21T11:00:00Z", "from": "06 12 34 56 78", "duration_seconds": 95, "outcome": "answered",
				"body": "Rappeler lundi\nau sujet du <prêt>"})
		mail, zoeOnly, call := ids[0], ids[1], ids[2]
		adv := app.signIn("adv1")
		base := "/parties/" + app.P1.ID + "/interactions/"

		// Each line opens its detail, in the panel with htmx, on a page of its own without.
		_, page := adv.get("/parties/" + app.P1.ID)
		for _, want := range []string{`id="interaction-panel"`, `class="tl-line"`, `href="` + base + mail + `"`,
			`hx-get="` + base + mail + `"`, `hx-target="#interaction-panel"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the 360 page lacks %q", want)
			}
		}
		resp, panel := adv.getHX(base + mail)
		if resp.StatusCode != http.StatusOK || strings.Contains(panel, "<html") {
			t.Fatalf("panel: %d %s", resp.StatusCode, panel)
		}
		for _, want := range []string{"Mon relevé", "Bonjour,", `href="https://banque.example/rdv"`, "noopener",
			"Hugo Conseiller", "Hélène Dupré", "conseiller@banque.example", "relevé.pdf", "logo.png", "image intégrée",
			`href="` + base + mail + `/attachments/`} {
			if !strings.Contains(panel, want) {
				t.Errorf("the panel lacks %q", want)
			}
		}
		for _, gone := range []string{"<script", "alert(", "onclick", "onerror", "tracker.example.com", "<img", "Zoé",
			"<form", "<button"} {
			if strings.Contains(panel, gone) {
				t.Errorf("the panel holds %q (unsafe, out of scope, or an action on a read-only view)", gone)
			}
		}
		if _, full := adv.get(base + mail); !strings.Contains(full, "<!doctype html>") || !strings.Contains(full, "Retour à la fiche client") {
			t.Errorf("without JavaScript the detail is not a page of its own")
		}
		_, callPanel := adv.getHX(base + call)
		if !strings.Contains(callPanel, "1 min 35 s") || !strings.Contains(callPanel, "Rappeler lundi<br>\nau sujet du &lt;prêt&gt;") {
			t.Errorf("the call's panel: %s", callPanel)
		}

		// The file downloads as an attachment and is audited.
		link := regexp.MustCompile(`href="(` + regexp.QuoteMeta(base+mail) + `/attachments/[^"]+)"`).FindStringSubmatch(panel)
		if link == nil {
			t.Fatal("no download link")
		}
		resp, content := adv.fetch(link[1])
		if resp.StatusCode != http.StatusOK || content != string(testPDF) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %d %v", resp.StatusCode, resp.Header)
		}
		var n int
		d.QueryRow(t.Context(), "SELECT COUNT(*) FROM audit_log WHERE action IN ('history.interaction', 'history.attachment') AND party_id = ?", app.P1.ID).Scan(&n)
		if n != 4 {
			t.Errorf("%d readings and downloads audited on Hélène, want 4", n)
		}

		// Scope: Zoé's SMS is found neither from Hélène's page nor from Zoé's.
		for _, path := range []string{base + zoeOnly, "/parties/" + app.P2.ID + "/interactions/" + zoeOnly} {
			if status, _ := adv.get(path); status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, status)
			}
		}

		// Retention: the body and a file purged are said so.
		d.Exec(t.Context(), "UPDATE interactions SET body = NULL, body_purged_at = 1 WHERE id = ?", mail)
		d.Exec(t.Context(), "UPDATE interaction_attachments SET content = NULL, purged_at = 1 WHERE position = 0")
		_, panel = adv.getHX(base + mail)
		if !strings.Contains(panel, "Contenu non conservé") || strings.Contains(panel, "Bonjour") ||
			strings.Contains(panel, link[1]) || !strings.Contains(panel, "non conservée (durée de conservation)") {
			t.Errorf("the purged panel: %s", panel)
		}
		if resp, page := adv.fetch(link[1]); resp.StatusCode != http.StatusGone || !strings.Contains(page, "plus conservé") {
			t.Errorf("purged download: %d", resp.StatusCode)
		}
	})
}

func TestUITimelineFiltersNarrowTheList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		var items []map[string]any
		for i := range 35 {
			items = append(items, map[string]any{"source": "telephony", "external_id": fmt.Sprint("c", i), "channel": "phone",
				"direction": "inbound", "occurred_at": fmt.Sprintf("2026-10-%02dT10:00:00Z", 1+i%28), "outcome": "answered",
				"from": "+33612345678", "agent": "adv1"})
		}
		items = append(items, map[string]any{"source": "agent_mailbox", "external_id": "m1", "channel": "email",
			"direction": "outbound", "occurred_at": "2026-11-20T10:00:00Z", "to": []string{"helene.dupre@example.fr"},
			"subject": "Votre rendez-vous du 25"},
			map[string]any{"source": "sms", "external_id": "s1", "channel": "sms", "direction": "outbound",
				"occurred_at": "2026-11-05T10:00:00Z", "to": []string{"06 12 34 56 78"}, "agent": "viewer"})
		app.ingest(items...)
		adv := app.signIn("adv1")
		lines := func(html string) int { return strings.Count(html, `class="tl-line"`) }
		page := "/parties/" + app.P1.ID

		_, all := adv.get(page)
		if lines(all) != 30 || !strings.Contains(all, `class="tl-filters"`) || !strings.Contains(all, `name="source"`) {
			t.Fatalf("unfiltered page: %d lines", lines(all))
		}
		// Without JavaScript: the form's GET reloads the page filtered.
		for query, want := range map[string]int{"channel=email": 1, "channel=sms&direction=outbound": 1,
			"direction=outbound": 2, "from=2026-11-01&to=2026-11-20": 2, "from=2026-11-20&to=2026-11-20": 1,
			"agent=viewer": 1, "source=agent_mailbox": 1, "channel=phone&agent=adv1": 30} {
			_, html := adv.get(page + "?" + query)
			if lines(html) != want {
				t.Errorf("?%s: %d lines, want %d", query, lines(html), want)
			}
		}
		_, sms := adv.get(page + "?channel=sms")
		if !strings.Contains(sms, `<option value="sms" selected>`) || strings.Contains(sms, "Votre rendez-vous") {
			t.Errorf("the filtered page does not keep its filter or shows other lines")
		}
		// With htmx: the rows alone, and the address bar shows the filtered page.
		resp, rows := adv.getHX(page + "/timeline?channel=email")
		if lines(rows) != 1 || strings.Contains(rows, "<html") || resp.Header.Get("HX-Push-Url") != page+"?channel=email" {
			t.Errorf("filtered rows: %d lines, push %q", lines(rows), resp.Header.Get("HX-Push-Url"))
		}
		// The infinite scroll carries the filters on.
		_, calls := adv.get(page + "?channel=phone")
		next := regexp.MustCompile(`hx-get="(/parties/[^"]+/timeline\?[^"]+)"`).FindStringSubmatch(calls)
		if next == nil || !strings.Contains(next[1], "channel=phone") || !strings.Contains(next[1], "cursor=") {
			t.Fatalf("older lines link: %v", next)
		}
		_, more := adv.getHX(strings.ReplaceAll(next[1], "&amp;", "&"))
		if lines(more) != 5 || strings.Contains(more, "Votre rendez-vous") {
			t.Errorf("older filtered lines: %d, want the 5 other calls", lines(more))
		}
		// Nothing matches: said so, with the filters still there to change.
		_, none := adv.get(page + "?channel=video")
		if !strings.Contains(none, "Aucun contact ne correspond à ces filtres.") || !strings.Contains(none, `class="tl-filters"`) {
			t.Errorf("no empty state for filters matching nothing")
		}
	})
}
