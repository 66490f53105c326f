package smtpout

import (
	"crypto/tls"
	"net"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/mail/mailconn"

	"github.com/rapport-crm/rapport/internal/core"
)

// Security says how the connection to the SMTP server is protected.
type Security = mailconn.Security

// The ways of protecting the connection.
const (
	SecurityTLS      = mailconn.SecurityTLS      // TLS from the first byte (port 465 by default)
	SecuritySTARTTLS = mailconn.SecuritySTARTTLS // plain connection upgraded with STARTTLS before AUTH (port 587)
	SecurityNone     = mailconn.SecurityNone     // no encryption at all, the only way credentials go in clear (port 25)
)

// Config says which server sends a mailbox's mail and how to log in to it.
type Config struct {
	Host     string
	Port     int // 0: 465 with TLS, 587 with STARTTLS, 25 without
	Security Security
	Login    string // AUTH PLAIN when set; no AUTH when empty
	Password string // never logged nor put in an error
	// TLS is an optional client TLS configuration (RootCAs for a test server,
	// say); the server name defaults to Host.
	TLS *tls.Config
	// HelloName is the name given in EHLO once the connection is protected
	// ("localhost" when empty, and always before STARTTLS).
	HelloName string
}

// addr returns host:port with the default port for the security.
func (c Config) addr() string {
	port := c.Port
	if port == 0 {
		switch c.Security {
		case SecurityTLS:
			port = 465
		case SecuritySTARTTLS:
			port = 587
		default:
			port = 25
		}
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// check refuses a configuration that cannot work, naming the field.
func (c Config) check() error {
	f := core.Fields{}
	mailconn.CheckServer(f, c.Host, c.Port, c.Security)
	if strings.ContainsAny(c.HelloName, " \t\r\n") {
		f.Add("hello_name", core.Because("schema", "detail", "a host name without spaces"))
	}
	return f.Err()
}

// tlsConfig returns the client TLS configuration for the host.
func (c Config) tlsConfig() *tls.Config {
	t := &tls.Config{}
	if c.TLS != nil {
		t = c.TLS.Clone()
	}
	if t.ServerName == "" {
		t.ServerName = c.Host
	}
	return t
}
