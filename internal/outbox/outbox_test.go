package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/jobs"
)

type fixture struct {
	db     *db.DB
	clock  *core.FixedClock
	jobs   *jobs.Runner
	outbox *Outbox
}

func newFixture(t *testing.T, d *db.DB, del Deliverers) *fixture {
	clock := core.NewFixedClock(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC))
	r := jobs.New(d, clock, audit.New(d, clock), nil, jobs.Options{})
	return &fixture{db: d, clock: clock, jobs: r, outbox: New(d, clock, r, del)}
}

// enqueue writes m in a transaction that commits when commit is true.
func (f *fixture) enqueue(t *testing.T, m Message, commit bool) string {
	t.Helper()
	var id string
	err := f.db.WithTx(context.Background(), func(tx *db.Tx) error {
		var err error
		if id, err = f.outbox.Enqueue(context.Background(), tx, m); err != nil {
			return err
		}
		if !commit {
			return errors.New("the reply could not be saved")
		}
		return nil
	})
	if commit && err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) runDue(t *testing.T) int {
	t.Helper()
	n, err := f.jobs.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) message(t *testing.T, id string) (state string, attempts int, lastError string) {
	t.Helper()
	var le *string
	if err := f.db.QueryRow(context.Background(), "SELECT state, attempts, last_error FROM outbox WHERE id = ?", id).
		Scan(&state, &attempts, &le); err != nil {
		t.Fatal(err)
	}
	if le != nil {
		lastError = *le
	}
	return state, attempts, lastError
}

func reply(key string) Message {
	return Message{Key: key, Email: &Email{From: "Agence Opéra <agence.opera@rapport.example>", To: []string{"helene.dupre@example.fr"},
		Subject: "Votre demande de carte", Text: "Bonjour Madame Dupré,\nvotre carte est prête.\n"}}
}

func TestEmailOfACommittedTransactionReachesTheMailServerOnceWithItsMessageID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		server := startMailServer(t)
		sender, err := NewSMTP(server.URL)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sender.String(), "s3cret") {
			t.Fatalf("the SMTP server's description shows its password: %s", sender)
		}
		f := newFixture(t, d, Deliverers{Email: sender})
		id := f.enqueue(t, reply("reply:req-1:1"), true)
		if again := f.enqueue(t, reply("reply:req-1:1"), true); again != id {
			t.Fatalf("the same key enqueued a second message: %s, %s", id, again)
		}
		if n := f.runDue(t); n != 1 {
			t.Fatalf("%d delivery attempts, want 1", n)
		}
		if state, _, lastErr := f.message(t, id); state != "sent" {
			t.Fatalf("message %s: %s", state, lastErr)
		}
		f.clock.Advance(time.Hour)
		f.runDue(t)
		got := server.messages()
		if len(got) != 1 {
			t.Fatalf("the mail server received %d messages, want 1", len(got))
		}
		m := got[0]
		if want := "<" + id + "@rapport.example>"; m.Msg.Header.Get("Message-Id") != want {
			t.Errorf("Message-ID %q, want %q", m.Msg.Header.Get("Message-Id"), want)
		}
		if m.From != "agence.opera@rapport.example" || len(m.To) != 1 || m.To[0] != "helene.dupre@example.fr" {
			t.Errorf("envelope from %s to %v", m.From, m.To)
		}
		if m.Msg.Header.Get("Subject") != "Votre demande de carte" && !strings.Contains(m.Msg.Header.Get("Subject"), "?UTF-8?") {
			t.Errorf("subject %q", m.Msg.Header.Get("Subject"))
		}
		if !strings.Contains(m.Body, "votre carte est pr") {
			t.Errorf("body %q", m.Body)
		}
		if state, attempts, _ := f.message(t, id); state != "sent" || attempts != 1 {
			t.Errorf("message %s after %d attempts", state, attempts)
		}
	})
}

func TestEmailOfARolledBackTransactionIsNeverSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		server := startMailServer(t)
		sender, _ := NewSMTP(server.URL)
		f := newFixture(t, d, Deliverers{Email: sender})
		f.enqueue(t, reply("reply:req-2:1"), false)
		if n := f.runDue(t); n != 0 {
			t.Fatalf("%d delivery attempts for a rolled-back message", n)
		}
		if got := server.messages(); len(got) != 0 {
			t.Fatalf("the mail server received %d messages", len(got))
		}
		var n int
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM outbox").Scan(&n)
		if n != 0 {
			t.Fatalf("%d messages stored", n)
		}
	})
}

func TestWebhookIsRetriedAfterA500ThenDeliveredSigned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		secret := []byte("shared-secret")
		var mu sync.Mutex
		var keys, bodies []string
		calls := 0
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			calls++
			if r.Header.Get(HeaderSignature) != Sign(secret, r.Header.Get(HeaderTimestamp), body) {
				http.Error(w, "bad signature", http.StatusUnauthorized)
				return
			}
			keys, bodies = append(keys, r.Header.Get(HeaderIdempotencyKey)), append(bodies, string(body))
			if calls == 1 {
				http.Error(w, "busy", http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		defer receiver.Close()
		f := newFixture(t, d, Deliverers{})
		f.outbox.deliverers.Webhook = &WebhookClient{Secret: secret, Clock: f.clock}
		id := f.enqueue(t, Message{Key: "lead:42:created", Webhook: &Webhook{URL: receiver.URL + "/hooks/rapport",
			Event: "lead.created", Body: json.RawMessage(`{"lead":"42"}`)}}, true)

		f.runDue(t)
		if state, attempts, lastErr := f.message(t, id); state != "pending" || attempts != 1 || !strings.Contains(lastErr, "500") {
			t.Fatalf("after a 500: %s, %d attempts, %q", state, attempts, lastErr)
		}
		if n := f.runDue(t); n != 0 {
			t.Fatal("the webhook was retried before its backoff")
		}
		f.clock.Advance(time.Hour)
		f.runDue(t)
		if state, attempts, _ := f.message(t, id); state != "sent" || attempts != 2 {
			t.Fatalf("after the retry: %s, %d attempts", state, attempts)
		}
		mu.Lock()
		defer mu.Unlock()
		if calls != 2 || len(keys) != 2 || keys[0] != id || keys[1] != id || bodies[1] != `{"lead":"42"}` {
			t.Fatalf("calls %d, idempotency keys %v, bodies %v", calls, keys, bodies)
		}
	})
}

// failingGateway is the SMS gateway, outside the machine, faked.
type failingGateway struct {
	down bool
	sent []string
}

func (g *failingGateway) SendSMS(_ context.Context, key string, s SMS) error {
	if g.down {
		return errors.New("gateway answered 503")
	}
	g.sent = append(g.sent, key+" "+s.To)
	return nil
}

func TestMessageFailedAfterItsLastAttemptIsDeliveredOnceAnAdminRetriesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		gw := &failingGateway{down: true}
		f := newFixture(t, d, Deliverers{SMS: gw})
		f.outbox.maxAttempts = 3
		id := f.enqueue(t, Message{Key: "otp:1", SMS: &SMS{To: "+33612345678", Text: "Votre code : 123456"}}, true)
		for range 3 {
			f.runDue(t)
			f.clock.Advance(2 * time.Hour)
		}
		state, attempts, lastErr := f.message(t, id)
		if state != "failed" || attempts != 3 || lastErr != "gateway answered 503" {
			t.Fatalf("after every attempt failed: %s, %d, %q", state, attempts, lastErr)
		}
		page, err := f.jobs.List(context.Background(), core.System(), jobs.Filter{State: jobs.Failed})
		if err != nil || len(page.Items) != 1 || page.Items[0].LastError != "gateway answered 503" {
			t.Fatalf("failed jobs: %+v %v", page.Items, err)
		}
		gw.down = false
		if _, err := f.jobs.Retry(context.Background(), core.System(), page.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		f.runDue(t)
		if state, _, _ := f.message(t, id); state != "sent" || len(gw.sent) != 1 || gw.sent[0] != id+" +33612345678" {
			t.Fatalf("after the retry: %s, sent %v", state, gw.sent)
		}
	})
}

func TestRefusedSMTPLoginIsRetriedAndItsErrorNeverShowsThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		server := startMailServer(t)
		sender, err := NewSMTP(strings.Replace(server.URL, "s3cret", "wrong-pass", 1))
		if err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, d, Deliverers{Email: sender})
		id := f.enqueue(t, reply("reply:req-3:1"), true)
		f.runDue(t)
		state, _, lastErr := f.message(t, id)
		if state != "pending" || lastErr == "" || strings.Contains(lastErr, "wrong-pass") {
			t.Fatalf("after a refused login: %s, %q", state, lastErr)
		}
		if len(server.messages()) != 0 {
			t.Fatal("a message was accepted without login")
		}
	})
}
