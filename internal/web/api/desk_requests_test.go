package api_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestARequestCreatedByTheAPIIsListedReadAndQualified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		created := app.must(http.StatusCreated, "adv1", http.MethodPost, "/requests", map[string]any{"channel": "phone",
			"subject": "Carte bloquée", "body": "Ma carte est bloquée depuis ce matin.", "customer_name": "Hélène Dupré",
			"customer_email": "Helene.Dupre@example.fr", "customer_phone": "06 12 34 56 78", "priority": "medium",
			"attachments": []any{map[string]any{"name": "releve.txt", "content_type": "text/plain", "content_base64": "Ym9uam91cg=="}}})
		keys := make([]string, 0, len(created))
		for k := range created {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := []string{"assignee", "breached", "channel", "created_at", "customer", "first_response_due", "flags", "id",
			"last_message_at", "party_id", "priority", "reason", "reference", "resolution_due", "status", "subject", "unread", "unread_count"}
		if !slices.Equal(keys, want) {
			t.Errorf("a request's JSON has %v, want exactly %v", keys, want)
		}
		id := created["id"].(string)
		if created["status"] != "new" || created["priority"] != "medium" || created["assignee"] != nil ||
			!strings.HasPrefix(created["reference"].(string), "R-") {
			t.Errorf("created: %v", created)
		}
		// The customer's address belongs to Hélène Dupré: the request is hers.
		if created["party_id"] != app.P1.ID {
			t.Errorf("party_id %v, want Hélène Dupré's %s", created["party_id"], app.P1.ID)
		}
		if c := created["customer"].(map[string]any); c["email"] != "helene.dupre@example.fr" || c["name"] != "Hélène Dupré" {
			t.Errorf("customer %v", c)
		}

		ids := func(as, query string) []string {
			page := app.must(http.StatusOK, as, http.MethodGet, "/requests"+query, nil)
			var out []string
			for _, r := range page["requests"].([]any) {
				out = append(out, r.(map[string]any)["id"].(string))
			}
			return out
		}
		for query, listed := range map[string]bool{"": true, "?view=open": true, "?view=unassigned": true, "?view=mine": false,
			"?channel=phone&unit=A1": true, "?channel=email": false, "?priority=high": false, "?party_id=" + app.P1.ID: true,
			"?unit=A2": false, "?assignee=adv1": false} {
			if got := slices.Contains(ids("adv1", query), id); got != listed {
				t.Errorf("GET /requests%s lists it: %v, want %v", query, got, listed)
			}
		}
		for _, query := range []string{"?assignee=nobody", "?unit=XX", "?view=later", "?limit=500"} {
			if status, raw, _ := app.call("adv1", http.MethodGet, "/requests"+query, nil); status != http.StatusUnprocessableEntity {
				t.Errorf("GET /requests%s: %d %s, want 422", query, status, raw)
			}
		}

		thread := app.messages(id)
		if len(thread) != 1 || thread[0]["kind"] != "inbound" || thread[0]["text"] != "Ma carte est bloquée depuis ce matin." {
			t.Fatalf("thread %v", thread)
		}
		files := thread[0]["files"].([]any)
		if len(files) != 1 {
			t.Fatalf("files %v", files)
		}
		url := files[0].(map[string]any)["url"].(string)
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+url, nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "bonjour" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download %s: %d %q %s", url, resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
		}

		patched := app.must(http.StatusOK, "adv1", http.MethodPatch, "/requests/"+id,
			map[string]any{"subject": "Carte bancaire bloquée", "priority": "high", "status": "waiting"})
		if patched["subject"] != "Carte bancaire bloquée" || patched["priority"] != "high" || patched["status"] != "waiting" {
			t.Errorf("patched %v", patched)
		}
		status, _, refused := app.call("adv1", http.MethodPatch, "/requests/"+id, map[string]any{"reason": "not_a_reason"})
		if fields, _ := refused["error"].(map[string]any)["fields"].(map[string]any); status != http.StatusUnprocessableEntity || fields["reason"] == nil {
			t.Errorf("an unknown reason: %d %v, want 422 naming reason", status, refused)
		}
		unlinked := app.must(http.StatusOK, "adv1", http.MethodPatch, "/requests/"+id, map[string]any{"party_id": ""})
		if unlinked["party_id"] != nil {
			t.Errorf("unlinked party_id %v, want null", unlinked["party_id"])
		}
	})
}

func TestRequestsArePagedNewestFirstAndCreatedOnlyInTheCallersScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		var made []string
		for _, s := range []string{"Un", "Deux", "Trois"} {
			made = append(made, app.newRequest(s)["id"].(string))
		}
		var seen []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			page := app.must(http.StatusOK, "adv1", http.MethodGet, "/requests?limit=2&cursor="+cursor, nil)
			for _, r := range page["requests"].([]any) {
				seen = append(seen, r.(map[string]any)["id"].(string))
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		slices.Reverse(made)
		if !slices.Equal(seen, made) {
			t.Errorf("paged %v, want newest first %v", seen, made)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/requests?cursor=not-a-cursor", nil); status != http.StatusBadRequest {
			t.Errorf("a malformed cursor: %d, want 400", status)
		}
		status, raw, _ := app.call("adv1", http.MethodPost, "/requests", map[string]any{"channel": "phone", "subject": "Ailleurs", "unit_code": "A2"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(raw, `"unit_code"`) || !strings.Contains(raw, "outside_scope") {
			t.Errorf("a request in another unit: %d %s, want 422 unit_code outside_scope", status, raw)
		}
	})
}

func TestAssigningARequestShowsTheAssigneesInitials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		id := app.newRequest("Virement")["id"].(string)
		adv1, err := app.Orgs.AgentByLogin(context.Background(), "adv1")
		if err != nil {
			t.Fatal(err)
		}
		assigned := app.must(http.StatusOK, "admin", http.MethodPost, "/requests/"+id+"/assign", map[string]any{"agent": "adv1"})
		who, _ := assigned["assignee"].(map[string]any)
		if who["login"] != "adv1" || who["initials"] != adv1.Initials || adv1.Initials == "" || who["name"] != "Hugo Conseiller" {
			t.Errorf("assignee %v, want adv1 with initials %q", assigned["assignee"], adv1.Initials)
		}
		if assigned["status"] != "open" {
			t.Errorf("an assigned new request is %v, want open", assigned["status"])
		}
		// Giving a request to someone else takes request.assign, which an advisor lacks.
		if status, _, body := app.call("adv1", http.MethodPost, "/requests/"+id+"/assign", map[string]any{"agent": "admin"}); status != http.StatusForbidden || errorCode(body) != "forbidden" {
			t.Errorf("advisor assigns to another: %d %v, want 403", status, body)
		}
		if status, _, _ := app.call("admin", http.MethodPost, "/requests/"+id+"/assign", map[string]any{"agent": "nobody"}); status != http.StatusUnprocessableEntity {
			t.Errorf("assign to an unknown login: %d, want 422", status)
		}
		released := app.must(http.StatusOK, "adv1", http.MethodPost, "/requests/"+id+"/assign", map[string]any{"agent": nil})
		if released["assignee"] != nil {
			t.Errorf("released: assignee %v, want null", released["assignee"])
		}
		read := app.must(http.StatusOK, "adv1", http.MethodPost, "/requests/"+id+"/read", nil)
		if _, ok := read["was_unread"].(bool); !ok {
			t.Errorf("read: %v", read)
		}
	})
}

func TestARequestOfAnotherUnitIsNotFoundAndAViewerCannotWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		app.newMailbox()
		id := app.newRequest("Chéquier")["id"].(string)
		for _, c := range []struct {
			method, path string
			body         map[string]any
		}{{http.MethodGet, "/requests/" + id, nil}, {http.MethodPatch, "/requests/" + id, map[string]any{"priority": "high"}},
			{http.MethodPost, "/requests/" + id + "/replies", map[string]any{"body": "Bonjour"}},
			{http.MethodPost, "/requests/" + id + "/notes", map[string]any{"body": "Vu"}},
			{http.MethodPost, "/requests/" + id + "/assign", map[string]any{"agent": "adv2"}},
			{http.MethodPost, "/requests/" + id + "/read", nil}} {
			if status, raw, out := app.call("adv2", c.method, c.path, c.body); status != http.StatusNotFound || errorCode(out) != "not_found" {
				t.Errorf("%s %s by an advisor of A2: %d %.200s, want 404", c.method, c.path, status, raw)
			}
		}
		page := app.must(http.StatusOK, "adv2", http.MethodGet, "/requests", nil)
		if n := len(page["requests"].([]any)); n != 0 {
			t.Errorf("an advisor of A2 lists %d requests of A1", n)
		}
		// The viewer reads the request but may not work on it.
		app.must(http.StatusOK, "viewer", http.MethodGet, "/requests/"+id, nil)
		for _, c := range []struct {
			path string
			body map[string]any
		}{{"/requests/" + id + "/replies", map[string]any{"body": "Bonjour"}}, {"/requests/" + id + "/notes", map[string]any{"body": "Vu"}},
			{"/requests/" + id + "/solicitations", map[string]any{"to": "x@example.fr", "body": "?"}},
			{"/requests", map[string]any{"channel": "phone", "subject": "Appel"}}} {
			if status, raw, out := app.call("viewer", http.MethodPost, c.path, c.body); status != http.StatusForbidden || errorCode(out) != "forbidden" {
				t.Errorf("viewer POST %s: %d %.200s, want 403", c.path, status, raw)
			}
		}
		if status, _, _ := app.call("viewer", http.MethodPatch, "/requests/"+id, map[string]any{"priority": "high"}); status != http.StatusForbidden {
			t.Errorf("viewer PATCH: %d, want 403", status)
		}
	})
}
