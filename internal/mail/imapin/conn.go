package imapin

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/rapport-crm/rapport/internal/core"
)

// dialTimeout bounds the TCP connection to the server.
const dialTimeout = 30 * time.Second

// session is one logged-in connection to the server; closing ctx closes it.
type session struct {
	c       *imapclient.Client
	cfg     Config
	unwatch func() bool
}

// open connects, protects the connection as cfg.Security says and logs in.
func open(ctx context.Context, cfg Config, opts imapclient.Options) (*session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	addr := cfg.addr()
	d := net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fail(ctx, core.Unavailable, ErrConnect, "connect: "+err.Error(), err, cfg.Password)
	}
	unwatch := context.AfterFunc(ctx, func() { conn.Close() })
	c, err := greet(ctx, conn, cfg, &opts)
	if err != nil {
		unwatch()
		conn.Close()
		return nil, err
	}
	s := &session{c: c, cfg: cfg, unwatch: unwatch}
	if err := c.Login(cfg.Login, cfg.Password).Wait(); err != nil {
		s.close()
		var ie *imap.Error
		if errors.As(err, &ie) {
			return nil, fail(ctx, core.Invalid, ErrLogin, "login refused: "+serverText(err), err, cfg.Password)
		}
		return nil, fail(ctx, core.Unavailable, ErrConnect, "login: "+err.Error(), err, cfg.Password)
	}
	return s, nil
}

// greet sets up TLS as cfg.Security says and waits for the server's greeting.
func greet(ctx context.Context, conn net.Conn, cfg Config, opts *imapclient.Options) (*imapclient.Client, error) {
	switch cfg.Security {
	case SecurityTLS:
		t := cfg.tlsConfig()
		if t.NextProtos == nil {
			t.NextProtos = []string{"imap"}
		}
		tc := tls.Client(conn, t)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, fail(ctx, core.Unavailable, ErrTLS, "TLS: "+err.Error(), err, cfg.Password)
		}
		conn = tc
	case SecuritySTARTTLS:
		opts.TLSConfig = cfg.tlsConfig()
		c, err := imapclient.NewStartTLS(conn, opts)
		if err != nil {
			return nil, fail(ctx, core.Unavailable, ErrTLS, "STARTTLS: "+serverText(err), err, cfg.Password)
		}
		return c, nil
	}
	c := imapclient.New(conn, opts)
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return nil, fail(ctx, core.Unavailable, ErrConnect, "connect: no greeting: "+serverText(err), err, cfg.Password)
	}
	return c, nil
}

// selectFolder opens the configured folder, read-only unless it must change
// messages (mark them seen, move them).
func (s *session) selectFolder(ctx context.Context, readOnly bool) (*imap.SelectData, error) {
	folder := s.cfg.folder()
	sel, err := s.c.Select(folder, &imap.SelectOptions{ReadOnly: readOnly}).Wait()
	if err != nil {
		var ie *imap.Error
		if !errors.As(err, &ie) {
			return nil, fail(ctx, core.Unavailable, ErrConnect, "select folder "+folder+": "+err.Error(), err, s.cfg.Password)
		}
		msg := "folder " + folder + " cannot be opened: " + serverText(err)
		if ie.Code == imap.ResponseCodeNonExistent || ie.Code == imap.ResponseCodeTryCreate || ie.Code == "" {
			msg = "folder " + folder + " not found"
		}
		return nil, fail(ctx, core.Invalid, ErrFolder, msg, err, s.cfg.Password)
	}
	if sel.UIDValidity == 0 {
		err := errors.New("no UIDVALIDITY")
		return nil, fail(ctx, core.Unavailable, ErrFolder, "folder "+folder+": the server gave no UIDVALIDITY", err, s.cfg.Password)
	}
	return sel, nil
}

// close logs out and closes the connection.
func (s *session) close() {
	s.unwatch()
	_ = s.c.Logout().Wait()
	_ = s.c.Close()
}

// Test connects, logs in and selects the folder, as an administrator's
// "test connection" does. The error's message says which step failed
// ("connect: …", "TLS: …", "login refused: …", "folder INBOX2 not found"),
// errors.Is tells ErrConnect, ErrTLS, ErrLogin and ErrFolder apart, and
// nothing in it holds the password.
func Test(ctx context.Context, cfg Config) error {
	s, err := open(ctx, cfg, imapclient.Options{})
	if err != nil {
		return err
	}
	defer s.close()
	_, err = s.selectFolder(ctx, true)
	return err
}
