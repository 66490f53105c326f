package smtpout

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/rapport-crm/rapport/internal/core"
)

// Timeouts: the TCP connection, and each command's reply.
const (
	dialTimeout    = 30 * time.Second
	commandTimeout = 2 * time.Minute
)

// conn is one connection to the server, protected and greeted; closing
// ctx closes it.
type conn struct {
	c       *smtp.Client
	cfg     Config
	unwatch func() bool
}

// dial connects, protects the connection as cfg.Security says, sends EHLO
// and logs in when cfg.Login is set. Credentials are only ever sent over
// TLS, unless cfg.Security is SecurityNone.
func dial(ctx context.Context, cfg Config) (*conn, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	addr := cfg.addr()
	d := net.Dialer{Timeout: dialTimeout}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fail(ctx, ErrConnect, "connect: "+err.Error(), err, cfg.Password)
	}
	unwatch := context.AfterFunc(ctx, func() { nc.Close() })
	k := &conn{cfg: cfg, unwatch: unwatch}
	switch cfg.Security {
	case SecurityTLS:
		tc := tls.Client(nc, cfg.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			k.abort(nc)
			return nil, fail(ctx, ErrTLS, "TLS: "+err.Error(), err, cfg.Password)
		}
		k.c = smtp.NewClient(tc)
	case SecuritySTARTTLS:
		// go-smtp greets with "localhost" before STARTTLS; HelloName follows it.
		c, err := smtp.NewClientStartTLS(nc, cfg.tlsConfig())
		if err != nil {
			k.abort(nc)
			var ne net.Error
			if errors.Is(err, io.EOF) || errors.As(err, &ne) {
				return nil, fail(ctx, ErrConnect, "connect: "+err.Error(), err, cfg.Password)
			}
			return nil, fail(ctx, ErrTLS, "STARTTLS: "+reply(err), err, cfg.Password)
		}
		k.c = c
	default:
		k.c = smtp.NewClient(nc)
	}
	k.c.CommandTimeout = commandTimeout
	if err := k.c.Hello(or(cfg.HelloName, "localhost")); err != nil {
		k.close()
		if cfg.Security == SecuritySTARTTLS && !isReply(err) {
			return nil, fail(ctx, ErrTLS, "TLS: "+reply(err), err, cfg.Password)
		}
		return nil, fail(ctx, ErrConnect, "EHLO: "+reply(err), err, cfg.Password)
	}
	if cfg.Login == "" {
		return k, nil
	}
	if ok, _ := k.c.Extension("AUTH"); !ok || !k.c.SupportsAuth(sasl.Plain) {
		k.close()
		return nil, fail(ctx, ErrLogin, "login: the server does not offer AUTH PLAIN", errors.New("AUTH PLAIN not offered"), cfg.Password)
	}
	if err := k.c.Auth(sasl.NewPlainClient("", cfg.Login, cfg.Password)); err != nil {
		k.close()
		if isReply(err) {
			return nil, fail(ctx, ErrLogin, "login refused: "+reply(err), err, cfg.Password)
		}
		return nil, fail(ctx, ErrConnect, "login: "+reply(err), err, cfg.Password)
	}
	return k, nil
}

// Send sends raw (a whole message, CRLF line endings; a bare LF becomes
// CRLF on the wire) from the envelope sender from ("" for the null sender
// of automatic replies, MAIL FROM:<>) to the recipients to.
// It is all or nothing: when the server refuses one recipient, nothing is
// sent and the error names that recipient with the server's reply
// ("RCPT TO <x@example.com>: 550 5.1.1 user unknown"); Permanent tells
// whether a retry can help. Once the server has accepted the message, a
// failure to say goodbye is not an error. A connection lost after the
// message's last byte and before the server's answer cannot be told from
// a refusal: the retry may then deliver it twice (receivers dedupe on the
// Message-ID).
func Send(ctx context.Context, cfg Config, from string, to []string, raw []byte) error {
	if err := checkEnvelope(from, to); err != nil {
		return err
	}
	k, err := dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer k.close()
	if err := k.c.Mail(from, nil); err != nil {
		return k.refused(ctx, "MAIL FROM <"+from+">", err)
	}
	for _, rcpt := range to {
		if err := k.c.Rcpt(rcpt, nil); err != nil {
			return k.refused(ctx, "RCPT TO <"+rcpt+">", err)
		}
	}
	w, err := k.c.Data()
	if err != nil {
		return k.refused(ctx, "DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fail(ctx, ErrSend, "DATA: "+err.Error(), err, cfg.Password)
	}
	if err := w.Close(); err != nil {
		return k.refused(ctx, "message", err)
	}
	_ = k.c.Quit() // the message is accepted whatever QUIT says
	return nil
}

// Test connects, protects the connection, sends EHLO and logs in (when
// cfg.Login is set), as an administrator's "test connection" does. The
// error's message says which step failed and what the server replied,
// errors.Is tells ErrConnect, ErrTLS and ErrLogin apart, and nothing in it
// holds the password.
func Test(ctx context.Context, cfg Config) error {
	k, err := dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer k.close()
	_ = k.c.Quit()
	return nil
}

// checkEnvelope refuses an envelope no server could take: no recipient, or
// an address that is empty or would break the command line.
func checkEnvelope(from string, to []string) error {
	f := core.Fields{}
	if from != "" && !envelopeAddress(from) { // "" is the null sender, MAIL FROM:<>
		f.Add("from", core.Because("email"))
	}
	if len(to) == 0 {
		f.Add("to", core.Required())
	}
	for i, rcpt := range to {
		if !envelopeAddress(rcpt) {
			f.Add(fmt.Sprintf("to[%d]", i), core.Because("email"))
		}
	}
	return f.Err()
}

// envelopeAddress reports whether a can go in MAIL FROM or RCPT TO.
func envelopeAddress(a string) bool {
	return a != "" && !strings.ContainsAny(a, "\r\n<> \t")
}

// refused is the error of a command the server answered with an error.
func (k *conn) refused(ctx context.Context, what string, err error) error {
	if !isReply(err) {
		return fail(ctx, ErrSend, what+": "+err.Error(), err, k.cfg.Password)
	}
	_ = k.c.Reset() // nothing of this transaction is sent
	return fail(ctx, ErrRefused, what+": "+reply(err), err, k.cfg.Password)
}

// close closes the connection.
func (k *conn) close() {
	k.unwatch()
	_ = k.c.Close()
}

// abort closes a connection that has no client yet.
func (k *conn) abort(nc net.Conn) {
	k.unwatch()
	nc.Close()
}

// isReply reports whether err is a reply from the server, not a broken
// connection.
func isReply(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se)
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
