package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// deskApp is the application of webtest with an advisor of A2 (adv2) and
// the helpers of the desk's API tests.
type deskApp struct {
	*webtest.App
	t *testing.T
}

func newDeskApp(t *testing.T, d *db.DB) *deskApp {
	t.Helper()
	app := &deskApp{App: webtest.New(t, d), t: t}
	ctx, sys := context.Background(), core.System()
	if _, err := app.Orgs.CreateAgent(ctx, sys, org.AgentInput{Login: "adv2", Name: "Bruno Lyon", UnitCode: "A2",
		Roles: []string{"advisor"}, Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	tok, err := app.Auth.CreateToken(ctx, sys, "test", "adv2")
	if err != nil {
		t.Fatal(err)
	}
	app.Tokens["adv2"] = tok
	return app
}

// call sends body as JSON to /api/v1+path as the agent and returns the
// status, the raw answer and the answer decoded into a map.
func (a *deskApp) call(as, method, path string, body any) (int, string, map[string]any) {
	a.t.Helper()
	var rdr io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rdr = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, a.Server.URL+"/api/v1"+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, string(raw), out
}

// must calls and fails the test unless the answer has status want.
func (a *deskApp) must(want int, as, method, path string, body any) map[string]any {
	a.t.Helper()
	status, raw, out := a.call(as, method, path, body)
	if status != want {
		a.t.Fatalf("%s %s as %s: %d, want %d: %.500s", method, path, as, status, want, raw)
	}
	return out
}

// errorCode returns the code of an API error answer.
func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// newRequest records a phone request of Hélène Dupré in A1 as adv1.
func (a *deskApp) newRequest(subject string) map[string]any {
	a.t.Helper()
	return a.must(http.StatusCreated, "adv1", http.MethodPost, "/requests", map[string]any{"channel": "phone",
		"subject": subject, "body": "Ma carte est bloquée.", "customer_name": "Hélène Dupré",
		"customer_email": "helene.dupre@example.fr", "customer_phone": "06 12 34 56 78", "unit_code": "A1"})
}

// newMailbox adds the mailbox of the establishment BR as admin.
func (a *deskApp) newMailbox() map[string]any {
	a.t.Helper()
	return a.must(http.StatusCreated, "admin", http.MethodPost, "/admin/mailboxes", mailboxBody("contact@banque.fr"))
}

func mailboxBody(address string) map[string]any {
	return map[string]any{"unit_code": "BR", "address": address, "name": "Banque Rapport",
		"imap": map[string]any{"host": "127.0.0.1", "port": 1, "security": "none", "login": "contact",
			"password": "imap-s3cret-pw", "folder": "INBOX"},
		"smtp": map[string]any{"host": "127.0.0.1", "port": 1, "security": "none", "login": "contact",
			"password": "smtp-s3cret-pw"},
		"signature": "<p>Banque Rapport</p>", "after_fetch": "seen"}
}

// messages returns the thread of request id as adv1.
func (a *deskApp) messages(id string) []map[string]any {
	a.t.Helper()
	detail := a.must(http.StatusOK, "adv1", http.MethodGet, "/requests/"+id, nil)
	var out []map[string]any
	for _, m := range detail["messages"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}
