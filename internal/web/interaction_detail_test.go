package web_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

var testPDF = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// sharedMail is an email from Hélène (A1) copied to Zoé (A2), with an HTML
// body carrying a script, a handler, a tracker and a link, and two files.
func sharedMail() map[string]any {
	return map[string]any{"source": "agent_mailbox", "external_id": "m1", "channel": "email", "direction": "inbound",
		"occurred_at": "2026-11-20T10:00:00+01:00", "from": "helene.dupre@example.fr",
		"to": []string{"conseiller@banque.example"}, "cc": []string{"zoe.lefevre@example.fr"}, "agent": "adv1",
		"subject": "Mon relevé", "body": `<div><p onclick="x()">Bonjour,</p><script>alert(1)</script>` +
			`<img src="http://tracker.example.com/p.gif"><img src=x onerror="alert(2)">` +
			`<p>Voir <a href="https://banque.example/rdv">le rendez-vous</a></p></div>`,
		"attachments": []any{
			map[string]any{"name": `C:\Mes documents\relevé.pdf`, "content_type": "application/pdf",
				"content_base64": base64.StdEncoding.EncodeToString(testPDF)},
			map[string]any{"name": "logo.png", "inline": true, "content_base64": base64.StdEncoding.EncodeToString(
				[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"))}}}
}

// ingestOne pushes items as admin and returns their interaction ids.
func (a *testApp) ingest(items ...map[string]any) []string {
	a.t.Helper()
	list := make([]any, len(items))
	for i, it := range items {
		list[i] = it
	}
	status, body := a.call("admin", http.MethodPost, "/api/v1/interactions", map[string]any{"items": list})
	results, _ := body["items"].([]any)
	if status != http.StatusOK || len(results) != len(items) {
		a.t.Fatalf("ingest: %d %v", status, body)
	}
	ids := make([]string, len(items))
	for i, r := range results {
		m := r.(map[string]any)
		if m["status"] != "stored" {
			a.t.Fatalf("item %d: %v", i, m)
		}
		ids[i] = m["interaction_id"].(string)
	}
	return ids
}

// download gets path with as's token and returns the response and its body.
func (a *testApp) download(as, path string) (*http.Response, []byte) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.Server.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

func TestAPIInteractionDetail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ids := app.ingest(sharedMail(),
			map[string]any{"source": "sms", "external_id": "s1", "channel": "sms", "direction": "outbound",
				"occurred_at": "2026-11-21T10:00:00Z", "to": []string{"zoe.lefevre@example.fr"}, "body": "Votre carte est prête"},
			map[string]any{"source": "agent_mailbox", "external_id": "u1", "channel": "email", "direction": "inbound",
				"occurred_at": "2026-11-21T10:00:00Z", "from": "inconnu@example.com", "subject": "Qui ?"})
		mail, zoeOnly, unattached := ids[0], ids[1], ids[2]

		status, body := app.call("adv1", http.MethodGet, "/api/v1/interactions/"+mail, nil)
		if status != http.StatusOK {
			t.Fatalf("detail: %d %v", status, body)
		}
		html, _ := body["body"].(string)
		for _, gone := range []string{"<script", "onclick", "onerror", "tracker.example.com", "<img"} {
			if strings.Contains(html, gone) {
				t.Errorf("body still holds %q: %s", gone, html)
			}
		}
		if !strings.Contains(html, `href="https://banque.example/rdv"`) || !strings.Contains(html, "noopener") {
			t.Errorf("body lost its link: %s", html)
		}
		parts, _ := body["participants"].([]any)
		if len(parts) != 1 || parts[0].(map[string]any)["party_id"] != app.P1.ID || parts[0].(map[string]any)["role"] != "from" {
			t.Errorf("participants %v: the advisor of A1 sees Hélène only", parts)
		}
		if fmt.Sprint(body["unmatched"]) != "[map[coordinate:conseiller@banque.example role:to]]" ||
			body["body_purged"] != false || body["subject"] != "Mon relevé" || body["unattached"] != false {
			t.Errorf("detail %v", body)
		}
		if agent, _ := body["agent"].(map[string]any); agent["name"] != "Hugo Conseiller" {
			t.Errorf("agent %v", body["agent"])
		}
		files, _ := body["attachments"].([]any)
		if len(files) != 2 {
			t.Fatalf("attachments %v", body["attachments"])
		}
		pdf := files[0].(map[string]any)
		if pdf["name"] != "relevé.pdf" || pdf["content_type"] != "application/pdf" || pdf["available"] != true ||
			pdf["size"] != float64(len(testPDF)) || files[1].(map[string]any)["inline"] != true {
			t.Errorf("attachments %v", files)
		}

		fileURL := "/api/v1/interactions/" + mail + "/attachments/" + pdf["id"].(string)
		resp, raw := app.download("adv1", fileURL)
		if resp.StatusCode != http.StatusOK || string(raw) != string(testPDF) {
			t.Fatalf("download: %d %q", resp.StatusCode, raw)
		}
		for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
			"Content-Disposition": "attachment; filename*=utf-8''relev%C3%A9.pdf"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}

		// Scope: Zoé's own SMS is not found for the advisor of A1, exactly
		// like a missing interaction; her advisor's bank reads it; the
		// unattached email only the whole organisation reads.
		statusOut, bodyOut := app.call("adv1", http.MethodGet, "/api/v1/interactions/"+zoeOnly, nil)
		statusNone, bodyNone := app.call("adv1", http.MethodGet, "/api/v1/interactions/0190f0f0-0000-7000-8000-000000000000", nil)
		_, msgOut, _ := errorOf(bodyOut)
		_, msgNone, _ := errorOf(bodyNone)
		if statusOut != http.StatusNotFound || statusNone != http.StatusNotFound ||
			strings.ReplaceAll(msgOut, zoeOnly, "ID") != strings.ReplaceAll(msgNone, "0190f0f0-0000-7000-8000-000000000000", "ID") {
			t.Errorf("out of scope %d %q, missing %d %q: want the same 404", statusOut, msgOut, statusNone, msgNone)
		}
		if status, _ := app.call("adv1", http.MethodGet, "/api/v1/interactions/"+unattached, nil); status != http.StatusNotFound {
			t.Errorf("an advisor reads an unattached interaction: %d", status)
		}
		if status, body := app.call("admin", http.MethodGet, "/api/v1/interactions/"+unattached, nil); status != http.StatusOK || body["unattached"] != true {
			t.Errorf("the administrator reads the unattached interaction: %d %v", status, body)
		}
		if status, body := app.call("admin", http.MethodGet, "/api/v1/interactions/"+zoeOnly, nil); status != http.StatusOK ||
			body["body"] != "Votre carte est prête" {
			t.Errorf("the administrator reads Zoé's SMS: %d %v", status, body)
		}
		if resp, _ := app.download("adv1", "/api/v1/interactions/"+zoeOnly+"/attachments/"+pdf["id"].(string)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a file under another interaction: %d", resp.StatusCode)
		}

		// Every reading and download is in the audit log.
		var views, downloads int
		d.QueryRow(t.Context(), "SELECT COUNT(*) FROM audit_log WHERE action = 'history.interaction' AND object_id = ?", mail).Scan(&views)
		d.QueryRow(t.Context(), "SELECT COUNT(*) FROM audit_log WHERE action = 'history.attachment' AND object_id = ?", pdf["id"]).Scan(&downloads)
		if views != 1 || downloads != 1 {
			t.Errorf("audited %d readings and %d downloads, want 1 and 1", views, downloads)
		}

		// Retention: the body and a file purged.
		if _, err := d.Exec(t.Context(), "UPDATE interactions SET body = NULL, body_purged_at = 1 WHERE id = ?", mail); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(t.Context(), "UPDATE interaction_attachments SET content = NULL, purged_at = 1 WHERE id = ?", pdf["id"]); err != nil {
			t.Fatal(err)
		}
		_, body = app.call("adv1", http.MethodGet, "/api/v1/interactions/"+mail, nil)
		files, _ = body["attachments"].([]any)
		if body["body_purged"] != true || body["body"] != "" || files[0].(map[string]any)["available"] != false {
			t.Errorf("after retention: %v", body)
		}
		status, body = app.call("adv1", http.MethodGet, fileURL, nil)
		if code, _, _ := errorOf(body); status != http.StatusGone || code != "gone" {
			t.Errorf("purged file: %d %v, want 410 in the error envelope", status, body)
		}
	})
}

func TestAPITimelineFiltersBySource(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.ingest(sharedMail(), map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone",
			"direction": "inbound", "occurred_at": "2026-11-21T10:00:00Z", "from": "06 12 34 56 78"})
		_, body := app.call("adv1", http.MethodGet, "/api/v1/parties/"+app.P1.ID+"/timeline?source=telephony", nil)
		items, _ := body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["source"] != "telephony" {
			t.Errorf("source=telephony: %v", body)
		}
	})
}
