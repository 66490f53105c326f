package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// patience bounds how long a test waits for what must happen; only the
// thing not happening fails a test, never its speed.
const patience = 10 * time.Second

// signIn returns a client holding the session of the agent login on the
// server at base, signed in through the sign-in form.
func signIn(t *testing.T, base, login string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"login": {login}, "password": {webtest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", login, resp.StatusCode)
	}
	return c
}

// stream is a server-sent event stream read by a real HTTP client.
type stream struct {
	lines chan string
}

// message is one event as a stream carries it.
type message struct {
	ID    string          `json:"id"`
	Topic string          `json:"topic"`
	Data  json.RawMessage `json:"data"`
}

// openStream opens url with client (and a bearer token unless empty) and
// waits until the server says it listens. The stream is closed when the
// test ends.
func openStream(t *testing.T, client *http.Client, url, token string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("open %s: %d %s %s", url, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	s := &stream{lines: make(chan string, 1024)}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	for {
		line := s.line(t)
		if line == ": listening" {
			return s
		}
	}
}

// line returns the next line, failing when the stream ends or is silent.
func (s *stream) line(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-s.lines:
		if !ok {
			t.Fatal("the stream ended")
		}
		return l
	case <-time.After(patience):
		t.Fatal("the stream is silent")
	}
	return ""
}

// next returns the next event of the stream.
func (s *stream) next(t *testing.T) message {
	t.Helper()
	for {
		line := s.line(t)
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var m message
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatalf("event data %q: %v", data, err)
			}
			return m
		}
	}
}

// ends reports whether the stream ends (the server closed it) in time.
func (s *stream) ends() bool {
	timeout := time.After(patience)
	for {
		select {
		case _, ok := <-s.lines:
			if !ok {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// call sends a JSON request with a bearer token and decodes the answer.
func call(t *testing.T, base, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}
