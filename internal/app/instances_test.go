package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// twoInstances serves the test organisation from two applications, each
// built by app.New on its own handle to one PostgreSQL schema, as two
// instances behind a load balancer would be.
func twoInstances(t *testing.T) (one *webtest.App, two *app.App, url2 string) {
	t.Helper()
	d1 := dbtest.Postgres(t)
	one = webtest.New(t, d1)
	two, err := app.New(dbtest.SecondHandle(t, d1), app.Config{Clock: core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { two.Close() })
	srv := httptest.NewServer(two.Handler)
	t.Cleanup(srv.Close)
	return one, two, srv.URL
}

// push sends one interaction and returns what became of it.
func push(t *testing.T, base, token string, item map[string]any) string {
	t.Helper()
	status, body := call(t, base, token, "POST", "/api/v1/interactions", item)
	items, _ := body["items"].([]any)
	if status != http.StatusOK || len(items) != 1 {
		t.Fatalf("push: %d %v", status, body)
	}
	return fmt.Sprint(items[0].(map[string]any)["status"])
}

// eventually pushes items made by next on base until one ends as want.
func eventually(t *testing.T, base, token, want string, next func(i int) map[string]any) {
	t.Helper()
	deadline := time.Now().Add(patience)
	var got string
	for i := 0; time.Now().Before(deadline); i++ {
		if got = push(t, base, token, next(i)); got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the other instance still answers %q, not %q", got, want)
}

func TestASettingSavedOnOneInstanceIsAppliedByTheOther(t *testing.T) {
	one, _, url2 := twoInstances(t)
	admin := one.Tokens["admin"]
	call50s := func(source string) func(int) map[string]any {
		return func(i int) map[string]any {
			return map[string]any{"source": source, "external_id": fmt.Sprintf("%s-%d", source, i), "channel": "phone",
				"direction": "outbound", "occurred_at": "2026-11-20T10:00:00+01:00", "duration_seconds": 50,
				"to": []string{"06 12 34 56 78"}}
		}
	}
	// Instance 2 reads BR's settings and the sources once, and keeps them.
	if got := push(t, url2, admin, call50s("telephony")(-1)); got != "stored" {
		t.Fatalf("a 50 s call under the default 40 s: %s", got)
	}
	if got := push(t, url2, admin, call50s("visio")(-1)); got != "rejected" {
		t.Fatalf("a source nobody added: %s", got)
	}
	if status, body := call(t, one.Server.URL, admin, "PUT", "/api/v1/admin/history-settings/BR",
		map[string]any{"rules": map[string]any{"min_outbound_call_seconds": 60}}); status != http.StatusOK {
		t.Fatalf("save on instance 1: %d %v", status, body)
	}
	eventually(t, url2, admin, "excluded", call50s("telephony"))
	if status, body := call(t, one.Server.URL, admin, "POST", "/api/v1/admin/history-sources",
		map[string]any{"code": "visio", "name": "Visio"}); status != http.StatusCreated {
		t.Fatalf("add a source on instance 1: %d %v", status, body)
	}
	eventually(t, url2, admin, "excluded", call50s("visio")) // accepted, then excluded by BR's 60 s
}

func TestAnEventPublishedOnOneInstanceReachesTheBrowsersOfAnother(t *testing.T) {
	one, _, url2 := twoInstances(t)
	ctx := context.Background()
	adv1 := openStream(t, signIn(t, url2, "adv1"), url2+"/events", "")
	viewer := openStream(t, http.DefaultClient, url2+"/api/v1/events", one.Tokens["viewer"])
	agent := func(login string) string {
		a, err := one.Orgs.AgentByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	a1, err := one.Orgs.UnitByCode(ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []events.Event{
		{Topic: "lead.alert", Audience: []string{events.Agent(agent("viewer"))}, Data: json.RawMessage(`{"lead":"L1"}`)},
		{Topic: "desk.unread", Audience: []string{events.Unit(a1.ID)}, Data: json.RawMessage(`{"unread":3}`)},
		{Topic: "lead.alert", Audience: []string{events.Agent(agent("adv1"))}, Data: json.RawMessage(`{"lead":"L2"}`)},
	} {
		if err := one.App.Events.Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if m := adv1.next(t); m.Topic != "desk.unread" || string(m.Data) != `{"unread":3}` || m.ID == "" {
		t.Errorf("adv1's browser first receives %+v, not A1's unread count", m)
	}
	if m := adv1.next(t); m.Topic != "lead.alert" || string(m.Data) != `{"lead":"L2"}` {
		t.Errorf("adv1's browser then receives %+v, not its own alert", m)
	}
	if m := viewer.next(t); m.Topic != "lead.alert" || string(m.Data) != `{"lead":"L1"}` {
		t.Errorf("the viewer's integration first receives %+v", m)
	}
	if m := viewer.next(t); m.Topic != "desk.unread" {
		t.Errorf("the viewer's integration then receives %+v", m)
	}
}

func TestAStreamThatDoesNotReadHoldsUpNeitherPublishersNorOtherStreams(t *testing.T) {
	one, two, url2 := twoInstances(t)
	ctx := context.Background()
	token := one.Tokens["adv1"]
	// A client that asks for the stream and never reads it, with a small
	// receive buffer so that the server's writes block soon.
	conn, err := net.Dial("tcp", strings.TrimPrefix(url2, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /api/v1/events HTTP/1.1\r\nHost: rapport\r\nAuthorization: Bearer %s\r\n\r\n", token)
	reader := openStream(t, http.DefaultClient, url2+"/api/v1/events", token)

	page := json.RawMessage(`{"text":"` + strings.Repeat("x", 4000) + `"}`)
	for i := range 1000 {
		for _, a := range []*app.App{one.App, two} {
			done := make(chan error, 1)
			go func() {
				done <- a.Events.Publish(ctx, events.Event{Topic: "bulk", Audience: []string{events.Everyone}, Data: page})
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(patience):
				t.Fatalf("publishing event %d is blocked", i)
			}
		}
	}
	// The reading stream may have fallen behind (a resync), but it is
	// served: a last event reaches it.
	if !receivesLast(t, one.App, reader) {
		t.Error("the reading stream never received the last event")
	}
	// The operator sees it: events were dropped for the stream that lags.
	resp, err := http.Get(url2 + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(metrics), "rapport_events_subscriptions 2") ||
		strings.Contains(string(metrics), "rapport_events_dropped_total 0\n") {
		t.Errorf("/metrics of instance 2 does not show 2 streams, some events dropped:\n%s", grepLines(string(metrics), "rapport_events"))
	}
}

// receivesLast publishes "last" on a, again until the stream receives it.
func receivesLast(t *testing.T, a *app.App, s *stream) bool {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if err := a.Events.Publish(context.Background(), events.Event{Topic: "last", Audience: []string{events.Everyone}}); err != nil {
			t.Fatal(err)
		}
		for waiting := true; waiting; {
			select {
			case line, ok := <-s.lines:
				if !ok {
					t.Fatal("the reading stream ended")
				}
				if strings.Contains(line, `"topic":"last"`) {
					return true
				}
			case <-time.After(200 * time.Millisecond):
				waiting = false
			}
		}
	}
	return false
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestAnEventReachesTheBrowsersOfTheSameInstanceOnSQLite(t *testing.T) {
	w := webtest.New(t, dbtest.SQLite(t))
	s := openStream(t, signIn(t, w.Server.URL, "adv1"), w.Server.URL+"/events", "")
	if err := w.App.Events.Publish(context.Background(), events.Event{Topic: "notice", Audience: []string{events.Everyone},
		Data: json.RawMessage(`{"text":"bonjour"}`)}); err != nil {
		t.Fatal(err)
	}
	if m := s.next(t); m.Topic != "notice" || string(m.Data) != `{"text":"bonjour"}` {
		t.Errorf("the browser receives %+v", m)
	}
}

func TestAStreamNeedsASignedInAgent(t *testing.T) {
	w := webtest.New(t, dbtest.SQLite(t))
	for _, path := range []string{"/events", "/api/v1/events"} {
		resp, err := http.Get(w.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s without credentials: %d %s", path, resp.StatusCode, body)
		}
		if path == "/api/v1/events" && !strings.Contains(string(body), `"code":"unauthorized"`) {
			t.Errorf("%s answers outside the error envelope: %s", path, body)
		}
	}
}

func TestShutdownEndsTheOpenStreams(t *testing.T) {
	w := webtest.New(t, dbtest.SQLite(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- w.App.ServeListener(ctx, ln, nil) }()
	base := "http://" + ln.Addr().String()
	s := openStream(t, signIn(t, base, "adv1"), base+"/events", "")
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("shutdown with a stream open: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("shutdown waits for the open stream")
	}
	if !s.ends() {
		t.Error("the stream stayed open after shutdown")
	}
}
