package smsgw

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/outbox"
	"github.com/rapport-crm/rapport/internal/party"
)

// normalizePhone gives a number in E.164, read as French when national.
func normalizePhone(raw string) (string, error) { return party.NormalizePhone(raw) }

// SendSMS implements outbox.SMSGateway: it posts the message to the
// gateway of its establishment. An establishment without a gateway, or
// whose gateway is off, fails the message for good, as does a 4xx answer
// (but 408 and 429); other failures are retried by the outbox.
func (s *Store) SendSMS(ctx context.Context, key string, m outbox.SMS) error {
	if m.Establishment == "" {
		return outbox.Permanent(fmt.Errorf("the SMS names no establishment"))
	}
	g, err := s.gateway(ctx, s.db, m.Establishment)
	if core.ErrorCode(err) == core.NotFound {
		return outbox.Permanent(err)
	}
	if err != nil {
		return err
	}
	if !g.Active {
		return outbox.Permanent(fmt.Errorf("the SMS gateway of %s is off", g.EstablishmentCode))
	}
	return s.post(ctx, g, key, m.To, m.Text)
}

// post sends one SMS through g: the rendered body, basic authentication
// when the gateway has a username or password, and key as the
// Idempotency-Key header.
func (s *Store) post(ctx context.Context, g Gateway, key, to, text string) error {
	body, err := Render(g.BodyTemplate, to, text, g.Sender)
	if err != nil {
		return outbox.Permanent(err)
	}
	password, err := s.key.Open(g.password)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("the gateway's password cannot be opened with this secret key: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, strings.NewReader(body))
	if err != nil {
		return outbox.Permanent(fmt.Errorf("SMS gateway address: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if g.Username != "" || password != "" {
		req.SetBasicAuth(g.Username, password)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("SMS gateway unreachable: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 400 && c < 500 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests:
		return outbox.Permanent(fmt.Errorf("SMS gateway refused the message: %s %s", resp.Status, printable(answer)))
	default:
		return fmt.Errorf("SMS gateway failed: %s %s", resp.Status, printable(answer))
	}
}

// printable is the start of a gateway's answer, as valid text on one line.
func printable(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}
