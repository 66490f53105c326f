package web_test

import (
	"net/http"
	"testing"
)

// deskWriteRoutes seeds a mailbox, a request, a reply and a solicitation
// and returns the desk's write routes with a valid body each.
func deskWriteRoutes(t *testing.T, app *testApp) []writeRoute {
	t.Helper()
	mailbox := func(address string) map[string]any {
		return map[string]any{"unit_code": "BR", "address": address, "name": "Banque Rapport",
			"imap": map[string]any{"host": "127.0.0.1", "port": 993, "security": "tls", "login": "contact",
				"password": "imap-pw", "folder": "INBOX"},
			"smtp": map[string]any{"host": "127.0.0.1", "port": 465, "security": "tls", "login": "contact",
				"password": "smtp-pw"},
			"signature": "<p>Banque Rapport</p>", "after_fetch": "seen"}
	}
	must := func(want int, as, method, path string, body any) map[string]any {
		t.Helper()
		status, out := app.call(as, method, "/api/v1"+path, body)
		if status != want {
			t.Fatalf("%s %s: %d %v", method, path, status, out)
		}
		return out
	}
	mb := must(http.StatusCreated, "admin", http.MethodPost, "/admin/mailboxes", mailbox("contact@banque.fr"))["id"].(string)
	file := []any{map[string]any{"name": "note.txt", "content_type": "text/plain", "content_base64": "Ym9uam91cg=="},
		map[string]any{"name": "logo.png", "content_type": "image/png", "content_base64": onePixelPNG, "inline": true, "content_id": "logo@rapport"}}
	request := map[string]any{"channel": "phone", "subject": "Carte bloquée", "body": "<p>Ma carte</p>",
		"customer_name": "Hélène Dupré", "customer_email": "helene.dupre@example.fr", "customer_phone": "0612345678",
		"party_id": app.P1.ID, "priority": "medium", "reason": "", "unit_code": "A1", "attachments": file}
	id := must(http.StatusCreated, "adv1", http.MethodPost, "/requests", request)["id"].(string)
	reply := must(http.StatusAccepted, "adv1", http.MethodPost, "/requests/"+id+"/replies", map[string]any{"body": "Bonjour"})["message_id"].(string)
	so := must(http.StatusCreated, "adv1", http.MethodPost, "/requests/"+id+"/solicitations",
		map[string]any{"to": "notaire@etude.fr", "body": "Bonjour"})["solicitation_id"].(string)
	r := "/requests/" + id
	return []writeRoute{
		{method: "POST", pattern: "/requests", path: "/requests", as: "adv1", body: request},
		{method: "PATCH", pattern: "/requests/{id}", path: r, as: "adv1", body: map[string]any{"subject": "Carte",
			"reason": "", "priority": "high", "status": "waiting", "party_id": app.P1.ID}},
		{method: "POST", pattern: "/requests/{id}/replies", path: r + "/replies", as: "adv1", body: map[string]any{"body": "<p>Bonjour</p>",
			"subject": "Re: Carte", "attachments": file, "seen_last": reply, "force": true}},
		{method: "POST", pattern: "/requests/{id}/notes", path: r + "/notes", as: "adv1", body: map[string]any{"body": "Vu",
			"attachments": file}},
		{method: "POST", pattern: "/requests/{id}/assign", path: r + "/assign", as: "admin", body: map[string]any{"agent": "adv1"}},
		{method: "POST", pattern: "/requests/{id}/read", path: r + "/read", as: "adv1", body: map[string]any{}},
		{method: "POST", pattern: "/requests/{id}/solicitations", path: r + "/solicitations", as: "adv1",
			body: map[string]any{"to": "assureur@mutuelle.fr", "subject": "Sinistre", "body": "Bonjour", "attachments": file}},
		{method: "POST", pattern: "/requests/{id}/solicitations/{sid}/replies", path: r + "/solicitations/" + so + "/replies",
			as: "adv1", body: map[string]any{"body": "Relance", "subject": "Re: Sinistre", "attachments": file, "seen_last": reply}},
		{method: "POST", pattern: "/requests/messages/{message_id}/retry", path: "/requests/messages/" + reply + "/retry",
			as: "adv1", body: map[string]any{}},
		{method: "POST", pattern: "/admin/mailboxes", path: "/admin/mailboxes", as: "admin", body: mailbox("autre@banque.fr")},
		{method: "PUT", pattern: "/admin/mailboxes/{id}", path: "/admin/mailboxes/" + mb, as: "admin", body: mailbox("contact@banque.fr")},
		{method: "POST", pattern: "/admin/mailboxes/{id}/test", path: "/admin/mailboxes/" + mb + "/test", as: "admin", body: map[string]any{}},
		{method: "PUT", pattern: "/admin/units/{code}/desk-targets", path: "/admin/units/A1/desk-targets", as: "admin",
			body: map[string]any{"first_response_minutes": 60, "resolution_minutes": 960, "reopen_days": 3}},
	}
}

// onePixelPNG is a 1×1 PNG image in base64.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
