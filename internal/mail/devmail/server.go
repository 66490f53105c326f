package devmail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

// Options configures the mail server.
type Options struct {
	IMAPAddr string // plain IMAP (STARTTLS when StartTLS); "127.0.0.1:0" when empty
	SMTPAddr string // plain SMTP (STARTTLS when StartTLS); "127.0.0.1:0" when empty
	Password string // every user's password; "demo" when empty
	Domain   string // the name the SMTP server greets with; "devmail.localhost" when empty
	// StartTLS offers STARTTLS on both plain ports, with a self-signed
	// certificate whose root TLSConfig gives to clients.
	StartTLS bool
	// IMAPTLSAddr and SMTPTLSAddr, when set, also serve IMAP and SMTP with
	// TLS from the first byte (as on ports 993 and 465), same certificate.
	IMAPTLSAddr, SMTPTLSAddr string
	Logger                   *slog.Logger // the servers' own errors; nil: discarded
}

// Envelope is one message the SMTP side accepted.
type Envelope struct {
	From string
	To   []string
	Raw  []byte
}

// Server is a real IMAP and SMTP server keeping its mail in memory: the
// SMTP side delivers every accepted message into each recipient's INBOX,
// which the IMAP side serves (with IDLE).
type Server struct {
	opts     Options
	password string
	cert     *tls.Certificate // nil without TLS
	roots    *x509.CertPool

	mu        sync.Mutex
	users     map[string]*imapmemserver.User
	sent      []Envelope
	sentNews  chan struct{} // closed and replaced at each accepted message
	delivered chan struct{} // closed and replaced at each delivery, to wake IDLE
	failures  map[string]*smtp.SMTPError
	resets    int

	run       sync.Mutex // guards what follows: the listening servers
	addrs     [4]string  // IMAP, SMTP, IMAP over TLS, SMTP over TLS, once bound
	imapSrv   *imapserver.Server
	smtpSrv   *smtp.Server
	lns       []net.Listener // closed by Pause too: a server closed before it got to Serve would leave them open
	listening bool
	closed    bool
}

// Start listens on the addresses of opts and serves until Close.
func Start(opts Options) (*Server, error) {
	s := &Server{
		opts:      opts,
		password:  opts.Password,
		users:     map[string]*imapmemserver.User{},
		sentNews:  make(chan struct{}),
		delivered: make(chan struct{}),
		failures:  map[string]*smtp.SMTPError{},
	}
	if s.password == "" {
		s.password = "demo"
	}
	if s.opts.Domain == "" {
		s.opts.Domain = "devmail.localhost"
	}
	s.addrs = [4]string{or(opts.IMAPAddr, "127.0.0.1:0"), or(opts.SMTPAddr, "127.0.0.1:0"), opts.IMAPTLSAddr, opts.SMTPTLSAddr}
	if opts.StartTLS || opts.IMAPTLSAddr != "" || opts.SMTPTLSAddr != "" {
		cert, roots, err := selfSigned(s.opts.Domain, time.Now())
		if err != nil {
			return nil, fmt.Errorf("devmail: certificate: %w", err)
		}
		s.cert, s.roots = cert, roots
	}
	if err := s.Resume(); err != nil {
		return nil, err
	}
	return s, nil
}

// IMAPAddr is the plain IMAP address (host:port).
func (s *Server) IMAPAddr() string { return s.addr(0) }

// SMTPAddr is the plain SMTP address (host:port).
func (s *Server) SMTPAddr() string { return s.addr(1) }

// IMAPTLSAddr is the IMAP-over-TLS address, "" unless Options asked for one.
func (s *Server) IMAPTLSAddr() string { return s.addr(2) }

// SMTPTLSAddr is the SMTP-over-TLS address, "" unless Options asked for one.
func (s *Server) SMTPTLSAddr() string { return s.addr(3) }

func (s *Server) addr(i int) string {
	s.run.Lock()
	defer s.run.Unlock()
	return s.addrs[i]
}

// TLSConfig is the client configuration that trusts the server's
// certificate, nil when the server has no TLS.
func (s *Server) TLSConfig() *tls.Config {
	if s.roots == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.roots, MinVersion: tls.VersionTLS12}
}

// Pause stops serving as a crashed server would: listeners and open
// connections are closed; the mail is kept. Resume serves again.
func (s *Server) Pause() error {
	s.run.Lock()
	defer s.run.Unlock()
	return s.pauseLocked()
}

func (s *Server) pauseLocked() error {
	if !s.listening {
		return nil
	}
	s.listening = false
	for _, ln := range s.lns {
		ln.Close()
	}
	s.lns = nil
	err := errors.Join(s.imapSrv.Close(), s.smtpSrv.Close())
	if errors.Is(err, net.ErrClosed) { // the listeners closed above
		return nil
	}
	return err
}

// Resume serves again on the same addresses after Pause.
func (s *Server) Resume() error {
	s.run.Lock()
	defer s.run.Unlock()
	return s.resumeLocked()
}

func (s *Server) resumeLocked() error {
	if s.closed {
		return errors.New("devmail: server closed")
	}
	if s.listening {
		return nil
	}
	var lns []net.Listener
	for i, addr := range s.addrs {
		if addr == "" {
			lns = append(lns, nil)
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range lns {
				if l != nil {
					l.Close()
				}
			}
			return fmt.Errorf("devmail: listen on %s: %w", addr, err)
		}
		s.addrs[i] = ln.Addr().String()
		if i >= 2 {
			ln = tls.NewListener(ln, s.serverTLS())
		}
		lns = append(lns, ln)
	}
	s.imapSrv, s.smtpSrv = s.newIMAP(), s.newSMTP()
	for i, ln := range lns {
		if ln != nil {
			s.lns = append(s.lns, ln)
		}
		switch {
		case ln == nil:
		case i%2 == 0:
			go s.imapSrv.Serve(ln)
		default:
			go s.smtpSrv.Serve(ln)
		}
	}
	s.listening = true
	return nil
}

// Restart is Pause then Resume: every client is disconnected.
func (s *Server) Restart() error {
	if err := s.Pause(); err != nil {
		return err
	}
	return s.Resume()
}

// disconnect closes every connection, as a server does when a folder's
// UIDVALIDITY changes under its clients; a paused server stays paused.
func (s *Server) disconnect() error {
	s.run.Lock()
	defer s.run.Unlock()
	if !s.listening {
		return nil
	}
	if err := s.pauseLocked(); err != nil {
		return err
	}
	return s.resumeLocked()
}

// Close stops the server for good.
func (s *Server) Close() error {
	s.run.Lock()
	defer s.run.Unlock()
	s.closed = true
	return s.pauseLocked()
}

// newIMAP builds the IMAP server over the users.
func (s *Server) newIMAP() *imapserver.Server {
	var t *tls.Config
	if s.opts.StartTLS {
		t = s.serverTLS()
	}
	return imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{server: s}, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:       s.stdLogger(),
		TLSConfig:    t,
		InsecureAuth: true, // a server for the loopback
	})
}

// newSMTP builds the SMTP server delivering to the users.
func (s *Server) newSMTP() *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{server: s}, nil
	}))
	srv.Domain = s.opts.Domain
	srv.MaxMessageBytes = 50 << 20
	srv.MaxRecipients = 100
	srv.AllowInsecureAuth = true // a server for the loopback
	srv.ReadTimeout = 10 * time.Minute
	srv.WriteTimeout = 10 * time.Minute
	srv.ErrorLog = s.stdLogger()
	if s.opts.StartTLS {
		srv.TLSConfig = s.serverTLS()
	}
	return srv
}

func (s *Server) serverTLS() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{*s.cert}, MinVersion: tls.VersionTLS12}
}

// stdLogger adapts Options.Logger for the servers' Printf-style logging.
func (s *Server) stdLogger() *log.Logger {
	if s.opts.Logger == nil {
		return log.New(io.Discard, "", 0)
	}
	return slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
