package devmail

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// FailRecipients makes the SMTP side refuse rcpt with reply, such as
// "550 5.1.1 user unknown" (a code, optionally an enhanced code, a text);
// an empty reply accepts rcpt again.
func (s *Server) FailRecipients(rcpt, reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(strings.TrimSpace(rcpt))
	if reply == "" {
		delete(s.failures, key) // accepted again
		return
	}
	s.failures[key] = parseReply(reply)
}

// parseReply reads "550 5.1.1 user unknown"; anything else is a 550 5.1.1
// with reply as its text.
func parseReply(reply string) *smtp.SMTPError {
	e := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: reply}
	code, rest, _ := strings.Cut(strings.TrimSpace(reply), " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 400 || n > 599 {
		return e
	}
	e.Code, e.Message, e.EnhancedCode = n, rest, smtp.EnhancedCodeNotSet
	if enh, text, _ := strings.Cut(rest, " "); strings.Count(enh, ".") == 2 {
		var c smtp.EnhancedCode
		if _, err := fmt.Sscanf(enh, "%d.%d.%d", &c[0], &c[1], &c[2]); err == nil {
			e.EnhancedCode, e.Message = c, text
		}
	}
	return e
}

// Sent returns every message the SMTP side accepted, in order.
func (s *Server) Sent() []Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// WaitSent waits until the SMTP side has accepted n messages and returns
// them all; when ctx ends first, the error says how many came.
func (s *Server) WaitSent(ctx context.Context, n int) ([]Envelope, error) {
	for {
		s.mu.Lock()
		sent, news := slices.Clone(s.sent), s.sentNews
		s.mu.Unlock()
		if len(sent) >= n {
			return sent, nil
		}
		select {
		case <-news:
		case <-ctx.Done():
			return sent, fmt.Errorf("devmail: waited for %d sent messages, got %d: %w", n, len(sent), ctx.Err())
		}
	}
}

// accepted records an accepted message and wakes WaitSent.
func (s *Server) accepted(e Envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, e)
	close(s.sentNews)
	s.sentNews = make(chan struct{})
}

// smtpSession is one SMTP connection: any sender, AUTH PLAIN with the
// shared password or no AUTH at all.
type smtpSession struct {
	server *Server
	from   string
	to     []string
}

// AuthMechanisms implements smtp.AuthSession.
func (c *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth implements smtp.AuthSession.
func (c *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if subtle.ConstantTimeCompare([]byte(password), []byte(c.server.password)) != 1 || username == "" {
			return smtp.ErrAuthFailed
		}
		return nil
	}), nil
}

// Mail implements smtp.Session.
func (c *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

// Rcpt implements smtp.Session.
func (c *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	c.server.mu.Lock()
	refusal := c.server.failures[strings.ToLower(to)]
	c.server.mu.Unlock()
	if refusal != nil {
		return refusal
	}
	c.to = append(c.to, to)
	return nil
}

// Data implements smtp.Session: the message goes to every recipient's INBOX.
func (c *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	for _, to := range c.to {
		if err := c.server.Deliver(to, raw); err != nil {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "delivery failed: " + err.Error()}
		}
	}
	c.server.accepted(Envelope{From: c.from, To: slices.Clone(c.to), Raw: raw})
	return nil
}

// Reset implements smtp.Session.
func (c *smtpSession) Reset() { c.from, c.to = "", nil }

// Logout implements smtp.Session.
func (c *smtpSession) Logout() error { return nil }
