package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// testApp is the application of webtest with the helpers of these tests.
type testApp struct {
	*webtest.App
	t *testing.T
}

const testPassword = webtest.Password

func newTestApp(t *testing.T, d *db.DB) *testApp {
	t.Helper()
	return &testApp{App: webtest.New(t, d), t: t}
}

// call sends a JSON request as the agent with login as (no token when
// empty) and returns the status and the decoded body.
func (a *testApp) call(as, method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var rdr io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rdr = strings.NewReader(b)
		default:
			buf, _ := json.Marshal(b)
			rdr = bytes.NewReader(buf)
		}
	}
	req, _ := http.NewRequest(method, a.Server.URL+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		if err := json.Unmarshal(raw, &out); err != nil {
			out["_raw"] = string(raw)
		}
	} else {
		out["_raw"] = string(raw)
	}
	return resp.StatusCode, out
}
