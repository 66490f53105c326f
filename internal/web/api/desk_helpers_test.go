package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/api"
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
	if resp.StatusCode < 300 {
		checkDocumented(a.t, method, path, resp.StatusCode, string(raw))
	}
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

// deskDocument is the API's OpenAPI document with the registry of its schemas.
var deskDocument = sync.OnceValue(func() huma.API { return api.Mount(http.NewServeMux(), api.Deps{}) })

// checkDocumented fails the test unless a successful answer of method
// path is documented with its status and matches its schema.
func checkDocumented(t *testing.T, method, path string, status int, raw string) {
	t.Helper()
	doc := deskDocument()
	op := operationOf(doc.OpenAPI(), method, strings.SplitN(path, "?", 2)[0])
	if op == nil {
		t.Errorf("%s %s is not in the OpenAPI document", method, path)
		return
	}
	resp := op.Responses[strconv.Itoa(status)]
	if resp == nil {
		t.Errorf("%s %s answered %d, not documented", method, path, status)
		return
	}
	mt := resp.Content["application/json"]
	if mt == nil || mt.Schema == nil {
		return // a download
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Errorf("%s %s: not JSON: %v", method, path, err)
		return
	}
	res := &huma.ValidateResult{}
	huma.Validate(doc.OpenAPI().Components.Schemas, mt.Schema, huma.NewPathBuffer([]byte{}, 0), huma.ModeReadFromServer, v, res)
	for _, e := range res.Errors {
		t.Errorf("%s %s: the answer does not match the document: %v", method, path, e)
	}
}

// operationOf finds the operation serving method path, literal segments
// before parameters.
func operationOf(doc *huma.OpenAPI, method, path string) *huma.Operation {
	segs := strings.Split(strings.TrimPrefix(path, "/api/v1"), "/")
	best, bestLiterals := (*huma.Operation)(nil), -1
	for pattern, item := range doc.Paths {
		psegs := strings.Split(pattern, "/")
		if len(psegs) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for i, p := range psegs {
			switch {
			case strings.HasPrefix(p, "{"):
			case p == segs[i]:
				literals++
			default:
				ok = false
			}
		}
		var op *huma.Operation
		switch method {
		case http.MethodGet:
			op = item.Get
		case http.MethodPost:
			op = item.Post
		case http.MethodPut:
			op = item.Put
		case http.MethodPatch:
			op = item.Patch
		case http.MethodDelete:
			op = item.Delete
		}
		if ok && op != nil && literals > bestLiterals {
			best, bestLiterals = op, literals
		}
	}
	return best
}
