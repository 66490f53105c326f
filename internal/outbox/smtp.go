package outbox

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP sends emails to a mail server (go-mail composes and sends them).
type SMTP struct {
	host     string
	port     int
	ssl      bool
	user     string
	password string
	auth     mail.SMTPAuthType
}

// NewSMTP reads RAPPORT_SMTP_URL: smtp://user:pass@host:port (STARTTLS
// when the server offers it, port 587 by default) or smtps://… (TLS from
// the start, port 465 by default); user and password are optional. The
// mechanism is the strongest the server offers, never a clear-text password
// on a connection without TLS, unless ?auth=plain or ?auth=login says so
// (which go-mail still allows without TLS only towards the loopback).
func NewSMTP(rawURL string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("RAPPORT_SMTP_URL: not a URL")
	}
	s := &SMTP{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.ssl = 465, true
	default:
		return nil, fmt.Errorf("RAPPORT_SMTP_URL: scheme %q, want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, fmt.Errorf("RAPPORT_SMTP_URL: no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("RAPPORT_SMTP_URL: port %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	s.auth = mail.SMTPAuthAutoDiscover
	switch a := u.Query().Get("auth"); a {
	case "":
	case "plain":
		s.auth = mail.SMTPAuthPlain
	case "login":
		s.auth = mail.SMTPAuthLogin
	case "cram-md5":
		s.auth = mail.SMTPAuthCramMD5
	case "scram-sha-256":
		s.auth = mail.SMTPAuthSCRAMSHA256
	default:
		return nil, fmt.Errorf("RAPPORT_SMTP_URL: auth %q, want plain, login, cram-md5 or scram-sha-256", a)
	}
	return s, nil
}

// String names the server without its password, for logs.
func (s *SMTP) String() string {
	scheme := "smtp"
	if s.ssl {
		scheme = "smtps"
	}
	user := ""
	if s.user != "" {
		user = s.user + "@"
	}
	return fmt.Sprintf("%s://%s%s:%d", scheme, user, s.host, s.port)
}

// SendEmail sends e with the given Message-ID.
func (s *SMTP) SendEmail(ctx context.Context, messageID string, e Email) error {
	m := mail.NewMsg()
	if err := m.From(e.From); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := m.To(e.To...); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	if len(e.Cc) > 0 {
		if err := m.Cc(e.Cc...); err != nil {
			return fmt.Errorf("cc: %w", err)
		}
	}
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return fmt.Errorf("reply-to: %w", err)
		}
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(messageID)
	m.SetDate()
	if e.InReplyTo != "" {
		m.SetGenHeader(mail.HeaderInReplyTo, e.InReplyTo)
	}
	if len(e.References) > 0 {
		m.SetGenHeader(mail.HeaderReferences, e.References...)
	}
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, e.HTML)
	}
	opts := []mail.Option{mail.WithPort(s.port), mail.WithTimeout(30 * time.Second)}
	if s.ssl {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.user != "" {
		opts = append(opts, mail.WithSMTPAuth(s.auth), mail.WithUsername(s.user), mail.WithPassword(s.password))
	}
	c, err := mail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s, err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("send through %s: %w", s, err)
	}
	return nil
}
