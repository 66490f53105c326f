package outbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// The headers of a webhook call.
const (
	HeaderIdempotencyKey = "Idempotency-Key"     // the message's ID, the same on every attempt
	HeaderEvent          = "X-Rapport-Event"     // what happened
	HeaderTimestamp      = "X-Rapport-Timestamp" // Unix seconds of this attempt
	HeaderSignature      = "X-Rapport-Signature" // "sha256=" + hex HMAC-SHA256 of timestamp "." body
)

// WebhookClient posts webhooks signed with a shared secret.
type WebhookClient struct {
	Client *http.Client // nil: a client with a 15 s timeout
	Secret []byte       // the HMAC key the receivers share
	Clock  core.Clock   // nil: the system clock
}

// Sign returns the signature header's value of body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// PostWebhook posts w's body as JSON; any answer but 2xx is a failure.
func (c *WebhookClient) PostWebhook(ctx context.Context, key string, w Webhook) error {
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	var clock core.Clock = core.SystemClock{}
	if c.Clock != nil {
		clock = c.Clock
	}
	body := []byte(w.Body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	ts := strconv.FormatInt(clock.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Rapport-Webhook")
	req.Header.Set(HeaderIdempotencyKey, key)
	req.Header.Set(HeaderEvent, w.Event)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(c.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s answered %s", req.URL.Redacted(), resp.Status)
	}
	return nil
}
