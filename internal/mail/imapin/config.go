package imapin

import (
	"crypto/tls"
	"net"
	"strconv"

	"github.com/rapport-crm/rapport/internal/mail/mailconn"

	"github.com/rapport-crm/rapport/internal/core"
)

// Security says how the connection to the IMAP server is protected.
type Security = mailconn.Security

// The ways of protecting the connection.
const (
	SecurityTLS      = mailconn.SecurityTLS      // TLS from the first byte (port 993 by default)
	SecuritySTARTTLS = mailconn.SecuritySTARTTLS // plain connection upgraded with STARTTLS before login (port 143)
	SecurityNone     = mailconn.SecurityNone     // no encryption at all: the password travels in clear (port 143)
)

// Config says where a mailbox folder is and how to log in to it.
type Config struct {
	Host     string
	Port     int // 0: 993 with TLS, 143 otherwise
	Security Security
	Login    string
	Password string // never logged nor put in an error
	Folder   string // INBOX when empty
	// TLS is an optional client TLS configuration (RootCAs for a test server,
	// say); the server name defaults to Host.
	TLS *tls.Config
}

// State is how far a folder has been fetched: the folder's UIDVALIDITY and
// the last UID committed under it.
type State struct {
	UIDValidity, LastUID uint32
}

// folder returns the folder to select.
func (c Config) folder() string {
	if c.Folder == "" {
		return "INBOX"
	}
	return c.Folder
}

// addr returns host:port with the default port for the security.
func (c Config) addr() string {
	port := c.Port
	if port == 0 {
		port = 143
		if c.Security == SecurityTLS {
			port = 993
		}
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// check refuses a configuration that cannot work, naming the field.
func (c Config) check() error {
	f := core.Fields{}
	mailconn.CheckServer(f, c.Host, c.Port, c.Security)
	if c.Login == "" {
		f.Add("login", core.Required())
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
