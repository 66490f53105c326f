package api_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAReplyIsQueuedAndAReplyOverAnotherAgentsIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		id := app.newRequest("Plafond de carte")["id"].(string)
		// Without a mailbox for the unit, nothing can send the reply.
		if status, raw, _ := app.call("adv1", http.MethodPost, "/requests/"+id+"/replies", map[string]any{"body": "Bonjour"}); status != http.StatusUnprocessableEntity || !strings.Contains(raw, "no_mailbox") {
			t.Errorf("reply without a mailbox: %d %s, want 422 no_mailbox", status, raw)
		}
		app.newMailbox()
		seen := app.messages(id)[0]["id"].(string)

		queued := app.must(http.StatusAccepted, "admin", http.MethodPost, "/requests/"+id+"/replies",
			map[string]any{"body": "<p>Bonjour Madame,</p><script>alert(1)</script>", "seen_last": seen})
		if queued["status"] != "queued" || queued["message_id"] == "" {
			t.Errorf("reply: %v, want queued with its message_id", queued)
		}
		thread := app.messages(id)
		last := thread[len(thread)-1]
		if last["id"] != queued["message_id"] || last["kind"] != "outbound" || last["status"] != "queued" ||
			last["agent"].(map[string]any)["login"] != "admin" || strings.Contains(last["html"].(string), "script") {
			t.Errorf("the reply in the thread: %v", last)
		}
		if to := last["to"].([]any); len(to) != 1 || to[0] != "helene.dupre@example.fr" {
			t.Errorf("reply to %v, want the customer", to)
		}
		got := app.must(http.StatusOK, "adv1", http.MethodGet, "/requests/"+id, nil)
		if got["status"] != "open" {
			t.Errorf("a replied request is %v, want open", got["status"])
		}

		// adv1 had only seen the customer's message: admin's reply came since.
		status, raw, conflict := app.call("adv1", http.MethodPost, "/requests/"+id+"/replies",
			map[string]any{"body": "Bonjour", "seen_last": seen})
		if status != http.StatusConflict || errorCode(conflict) != "conflict" || !strings.Contains(raw, "Alice Admin") {
			t.Errorf("reply over another agent's: %d %s, want 409 naming Alice Admin", status, raw)
		}
		if n := len(app.messages(id)); n != 2 {
			t.Errorf("the refused reply was stored: %d messages", n)
		}
		app.must(http.StatusAccepted, "adv1", http.MethodPost, "/requests/"+id+"/replies",
			map[string]any{"body": "Bonjour", "seen_last": seen, "force": true})
		app.must(http.StatusAccepted, "adv1", http.MethodPost, "/requests/"+id+"/replies",
			map[string]any{"body": "Encore", "seen_last": queued["message_id"], "subject": "Votre plafond"})

		// A queued message is not retried: only a failed or bounced one.
		if status, _, out := app.call("adv1", http.MethodPost, "/requests/messages/"+queued["message_id"].(string)+"/retry", nil); status != http.StatusConflict {
			t.Errorf("retry a queued message: %d %v, want 409", status, out)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/requests/messages/0190f0f0-0000-7000-8000-000000000000/retry", nil); status != http.StatusNotFound {
			t.Errorf("retry a missing message: %d, want 404", status)
		}

		note := app.must(http.StatusCreated, "adv1", http.MethodPost, "/requests/"+id+"/notes",
			map[string]any{"body": "Cliente rappelée", "attachments": []any{map[string]any{"name": "memo.txt", "content_base64": "bWVtbw=="}}})
		if note["kind"] != "note" || note["status"] != nil || len(note["files"].([]any)) != 1 {
			t.Errorf("note: %v", note)
		}
		status, raw, _ = app.call("adv1", http.MethodPost, "/requests/"+id+"/notes",
			map[string]any{"body": "x", "attachments": []any{map[string]any{"name": "a.txt", "content_base64": "%%%"}}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(raw, "attachments[0].content_base64") {
			t.Errorf("a file that is not base64: %d %s, want 422 naming attachments[0].content_base64", status, raw)
		}
		// A program is refused, named as sent; nothing is stored.
		program := base64.StdEncoding.EncodeToString(append([]byte("MZ\x90\x00"), make([]byte, 64)...))
		status, raw, _ = app.call("adv1", http.MethodPost, "/requests/"+id+"/notes",
			map[string]any{"body": "x", "attachments": []any{map[string]any{"name": "facture.pdf", "content_base64": program}}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(raw, `"attachments[0].content_base64"`) || !strings.Contains(raw, "executable") {
			t.Errorf("a program: %d %s, want 422 naming attachments[0].content_base64", status, raw)
		}
		if n := len(app.messages(id)); n != 5 {
			t.Errorf("%d messages after the refused notes, want 5", n)
		}
	})
}

func TestSolicitationsAreQueuedAndTheirRecipientsSuggestedMostUsedFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		app.newMailbox()
		id := app.newRequest("Succession")["id"].(string)
		var first map[string]any
		for i, to := range []string{"notaire@etude.fr", "assureur@mutuelle.fr", "notaire@etude.fr", "Notaire@Etude.fr"} {
			so := app.must(http.StatusCreated, "adv1", http.MethodPost, "/requests/"+id+"/solicitations",
				map[string]any{"to": to, "body": "Pouvez-vous nous transmettre l'acte ?"})
			if so["solicitation_id"] == "" || so["message_id"] == "" || so["status"] != "queued" {
				t.Errorf("solicitation %d: %v", i, so)
			}
			if i == 0 {
				first = so
			}
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/requests/"+id+"/solicitations", map[string]any{"to": "pas une adresse", "body": "?"}); status != http.StatusUnprocessableEntity {
			t.Errorf("solicit a non-address: %d, want 422", status)
		}
		reply := app.must(http.StatusAccepted, "adv1", http.MethodPost,
			"/requests/"+id+"/solicitations/"+first["solicitation_id"].(string)+"/replies", map[string]any{"body": "Relance"})
		if reply["status"] != "queued" {
			t.Errorf("solicitation reply: %v", reply)
		}
		if status, _, _ := app.call("adv1", http.MethodPost, "/requests/"+id+"/solicitations/0190f0f0-0000-7000-8000-000000000000/replies",
			map[string]any{"body": "?"}); status != http.StatusNotFound {
			t.Errorf("reply in a missing solicitation: %d, want 404", status)
		}
		detail := app.must(http.StatusOK, "adv1", http.MethodGet, "/requests/"+id, nil)
		if n := len(detail["solicitations"].([]any)); n != 4 {
			t.Errorf("%d solicitations, want 4", n)
		}
		var inThread int
		for _, m := range detail["messages"].([]any) {
			if m.(map[string]any)["solicitation_id"] == first["solicitation_id"] {
				inThread++
			}
		}
		if inThread != 2 {
			t.Errorf("the first solicitation's thread holds %d messages, want 2", inThread)
		}

		_, raw, _ := app.call("adv1", http.MethodGet, "/solicitation-recipients?q=e", nil)
		want := `[{"email":"notaire@etude.fr","count":3},{"email":"assureur@mutuelle.fr","count":1}]`
		if strings.TrimSpace(raw) != want {
			t.Errorf("recipients %s, want %s", raw, want)
		}
		_, raw, _ = app.call("adv1", http.MethodGet, "/solicitation-recipients?q=mutuelle", nil)
		if strings.TrimSpace(raw) != `[{"email":"assureur@mutuelle.fr","count":1}]` {
			t.Errorf("recipients of mutuelle %s", raw)
		}
		// Another unit's agent is not told whom A1 solicited.
		_, raw, _ = app.call("adv2", http.MethodGet, "/solicitation-recipients?q=", nil)
		if strings.TrimSpace(raw) != `[]` {
			t.Errorf("recipients for an advisor of A2: %s, want []", raw)
		}
	})
}
