// Package outbox delivers what leaves the system (email, SMS, webhook
// calls). A message is written by Enqueue in the transaction of the change
// that causes it, together with the job that delivers it, so a change that
// rolls back sends nothing and one that commits sends its message even if
// the process dies right after. Delivery is at least once: a crash between
// handing a message over and marking it sent sends it again, so each
// message carries a stable identity its receiver can deduplicate on (the
// email's Message-ID, the webhook's Idempotency-Key header, the SMS
// gateway's idempotency key), all derived from the message's ID.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/jobs"
)

// Kind is the channel a message leaves by.
type Kind string

// The kinds of message.
const (
	KindEmail   Kind = "email"
	KindSMS     Kind = "sms"
	KindWebhook Kind = "webhook"
)

// State is where a message is in its delivery.
type State string

// The states of a message.
const (
	Pending State = "pending" // waiting for (another) delivery attempt
	Sent    State = "sent"    // handed to the mail server, gateway or receiver
	Failed  State = "failed"  // every attempt failed; its job is failed too
)

// Email is an email to send.
type Email struct {
	From       string   `json:"from"`
	To         []string `json:"to"`
	Cc         []string `json:"cc,omitempty"`
	ReplyTo    string   `json:"reply_to,omitempty"`
	Subject    string   `json:"subject"`
	Text       string   `json:"text"`
	HTML       string   `json:"html,omitempty"` // an alternative to Text
	InReplyTo  string   `json:"in_reply_to,omitempty"`
	References []string `json:"references,omitempty"`
}

// SMS is a text message to send through the gateway.
type SMS struct {
	To   string `json:"to"` // E.164
	Text string `json:"text"`
	// Establishment is the ID of the establishment whose gateway sends it;
	// "" for a deliverer with a single gateway.
	Establishment string `json:"establishment,omitempty"`
}

// Webhook is a JSON document to POST to a receiver.
type Webhook struct {
	URL   string          `json:"url"`
	Event string          `json:"event"` // sent as the X-Rapport-Event header
	Body  json.RawMessage `json:"body"`
}

// Message is what Enqueue stores: exactly one of Email, SMS and Webhook.
type Message struct {
	// Key makes Enqueue idempotent: a second message with the same key is
	// not stored (e.g. "reply:<request id>:<reply id>").
	Key     string
	Email   *Email
	SMS     *SMS
	Webhook *Webhook
}

// JobKind is the kind of the jobs that deliver messages.
const JobKind = "outbox.deliver"

// DefaultMaxAttempts is how many times a message is tried before it is
// failed: with the jobs' default backoff (10 s doubling to an hour), the
// last attempt comes about 11 hours after the first.
const DefaultMaxAttempts = 20

type deliverArgs struct {
	ID string `json:"id"`
}

// Outbox stores and delivers messages.
type Outbox struct {
	db          *db.DB
	clock       core.Clock
	jobs        *jobs.Runner
	deliverers  Deliverers
	maxAttempts int
}

// Deliverers hand messages over, one per kind; a kind without one fails its
// messages' attempts (with the reason) until one is configured.
type Deliverers struct {
	Email   EmailSender
	SMS     SMSGateway
	Webhook WebhookSender
}

// EmailSender sends an email; messageID is stable across attempts.
type EmailSender interface {
	SendEmail(ctx context.Context, messageID string, e Email) error
}

// SMSGateway sends an SMS through the operator's gateway (outside the
// machine); key is stable across attempts, for gateways that deduplicate.
type SMSGateway interface {
	SendSMS(ctx context.Context, key string, s SMS) error
}

// WebhookSender posts a webhook; key is sent as its Idempotency-Key.
type WebhookSender interface {
	PostWebhook(ctx context.Context, key string, w Webhook) error
}

// New returns the outbox and registers its delivery job with runner.
func New(d *db.DB, clock core.Clock, runner *jobs.Runner, deliverers Deliverers) *Outbox {
	o := &Outbox{db: d, clock: clock, jobs: runner, deliverers: deliverers, maxAttempts: DefaultMaxAttempts}
	runner.Handle(JobKind, o.deliver)
	return o
}

// Enqueue stores m and its delivery job through q, normally the
// transaction of the change that causes the message. It returns the
// message's ID (the existing one when a message with m.Key was stored
// before, in which case nothing new is queued).
func (o *Outbox) Enqueue(ctx context.Context, q db.Querier, m Message) (string, error) {
	kind, payload, err := m.payload()
	if err != nil {
		return "", err
	}
	id := core.NewID()
	res, err := q.Exec(ctx, `INSERT INTO outbox (id, kind, payload, idempotency_key, state, attempts, created_at)
		VALUES (?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
		id, string(kind), string(payload), m.Key, core.Millis(o.clock.Now()))
	if err != nil {
		return "", fmt.Errorf("enqueue %s: %w", kind, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if err := q.QueryRow(ctx, "SELECT id FROM outbox WHERE idempotency_key = ?", m.Key).Scan(&id); err != nil {
			return "", fmt.Errorf("enqueue %s: %w", kind, err)
		}
		return id, nil
	}
	if _, err := o.jobs.Insert(ctx, q, jobs.NewJob{Kind: JobKind, Args: deliverArgs{ID: id},
		UniqueKey: JobKind + ":" + id, MaxAttempts: o.maxAttempts}); err != nil {
		return "", err
	}
	return id, nil
}

func (m Message) payload() (Kind, []byte, error) {
	f := core.Fields{}
	if strings.TrimSpace(m.Key) == "" {
		f.Add("key", core.Required())
	}
	var kind Kind
	var v any
	n := 0
	if m.Email != nil {
		kind, v, n = KindEmail, m.Email, n+1
		if m.Email.From == "" || len(m.Email.To) == 0 {
			f.Add("email", core.Because("from_and_to"))
		}
	}
	if m.SMS != nil {
		kind, v, n = KindSMS, m.SMS, n+1
		if m.SMS.To == "" {
			f.Add("sms", core.Required())
		}
	}
	if m.Webhook != nil {
		kind, v, n = KindWebhook, m.Webhook, n+1
		if !strings.HasPrefix(m.Webhook.URL, "https://") && !strings.HasPrefix(m.Webhook.URL, "http://") {
			f.Add("webhook", core.Because("http_url"))
		}
	}
	if n != 1 {
		f.Add("message", core.Because("exactly_one", "values", []string{"email", "sms", "webhook"}))
	}
	if err := f.Err(); err != nil {
		return "", nil, err
	}
	raw, err := json.Marshal(v)
	return kind, raw, err
}

// deliver is the delivery job: it hands the message to the deliverer of
// its kind and marks it sent. A message already sent is not sent again.
func (o *Outbox) deliver(ctx context.Context, j jobs.Job) error {
	var args deliverArgs
	if err := json.Unmarshal(j.Args, &args); err != nil {
		return fmt.Errorf("outbox job args: %w", err)
	}
	var kind, payload, state string
	err := o.db.QueryRow(ctx, "SELECT kind, payload, state FROM outbox WHERE id = ?", args.ID).Scan(&kind, &payload, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // deleted since: nothing to send
	}
	if err != nil {
		return fmt.Errorf("read message %s: %w", args.ID, err)
	}
	if State(state) == Sent {
		return nil
	}
	sendErr := o.send(ctx, args.ID, Kind(kind), []byte(payload))
	now := core.Millis(o.clock.Now())
	if sendErr == nil {
		_, err = o.db.Exec(ctx, `UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?`, now, args.ID)
		if err != nil {
			// Sent but not marked: the job runs again and sends it again,
			// which the receiver can recognise by the message's identity.
			return fmt.Errorf("mark message %s sent: %w", args.ID, err)
		}
		return nil
	}
	next := Pending
	if j.LastAttempt() || jobs.IsPermanent(sendErr) {
		next = Failed
	}
	if _, err := o.db.Exec(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ? WHERE id = ?`,
		string(next), sendErr.Error(), args.ID); err != nil {
		return errors.Join(sendErr, fmt.Errorf("record the failure of message %s: %w", args.ID, err))
	}
	return sendErr
}

func (o *Outbox) send(ctx context.Context, id string, kind Kind, payload []byte) error {
	switch kind {
	case KindEmail:
		var e Email
		if err := json.Unmarshal(payload, &e); err != nil {
			return err
		}
		if o.deliverers.Email == nil {
			return errors.New("no email deliverer: set RAPPORT_SMTP_URL")
		}
		return o.deliverers.Email.SendEmail(ctx, MessageID(id, e.From), e)
	case KindSMS:
		var s SMS
		if err := json.Unmarshal(payload, &s); err != nil {
			return err
		}
		if o.deliverers.SMS == nil {
			return errors.New("no SMS gateway configured")
		}
		return o.deliverers.SMS.SendSMS(ctx, id, s)
	case KindWebhook:
		var w Webhook
		if err := json.Unmarshal(payload, &w); err != nil {
			return err
		}
		if o.deliverers.Webhook == nil {
			return errors.New("no webhook deliverer configured")
		}
		return o.deliverers.Webhook.PostWebhook(ctx, id, w)
	}
	return fmt.Errorf("unknown message kind %q", kind)
}

// MessageID is the Message-ID (without angle brackets) of the email with
// outbox ID id sent from from: the same on every attempt.
func MessageID(id, from string) string {
	domain := "rapport.invalid"
	if at := strings.LastIndex(from, "@"); at >= 0 && at < len(from)-1 {
		domain = strings.TrimRight(from[at+1:], ">")
	}
	return id + "@" + domain
}

// Permanent marks a deliverer's error that no retry can cure (the
// receiver refused the message itself): the message is failed at once.
func Permanent(err error) error { return jobs.Permanent(err) }
