// Package realmail gives acceptance tests the real mail servers that
// .ci/mailservers starts: Postfix for SMTP, delivering into Dovecot for IMAP,
// on 127.0.0.1. Require finds them (or skips the test, or fails it when
// RAPPORT_TEST_MAIL says they must be there); each test gets its own folder
// in the fixed test users' mailboxes (Box), so tests never see each other's
// mail, and helpers to send and to wait for a message.
package realmail

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Servers are the addresses and credentials of the real mail servers, as
// seen by one test.
type Servers struct {
	IMAP        string   // Dovecot IMAP, plain with STARTTLS offered ("127.0.0.1:10143")
	IMAPS       string   // Dovecot IMAP over implicit TLS
	SMTP        string   // Postfix SMTP: no authentication from loopback, STARTTLS offered
	Submission  string   // Postfix submission: STARTTLS and authentication required
	Submissions string   // Postfix submission over implicit TLS, authentication required
	Users       []string // the mail users, each also an address ("desk@desk.test", …)
	Password    string   // every user's password
	CAFile      string   // the servers' self-signed certificate (PEM), for clients to trust
	Tag         string   // this test's folder name and address extension (see Box)

	roots *x509.CertPool
}

// The users .ci/mailservers creates.
const (
	Desk     = "desk@desk.test"         // the desk's mailbox
	Sales    = "sales@desk.test"        // a second mailbox of the desk
	Customer = "customer@customer.test" // a customer writing to the desk
	Stranger = "stranger@customer.test" // someone else on the customer's side
	Expert   = "expert@partner.test"    // an outside expert the desk solicits
)

// defaultValue is what .ci/mailservers uses for the RAPPORT_TEST_MAIL_*
// variable name, taken when that variable is not set.
func defaultValue(name string) string {
	switch name {
	case "RAPPORT_TEST_MAIL_IMAP":
		return "127.0.0.1:10143"
	case "RAPPORT_TEST_MAIL_IMAPS":
		return "127.0.0.1:10993"
	case "RAPPORT_TEST_MAIL_SMTP":
		return "127.0.0.1:10025"
	case "RAPPORT_TEST_MAIL_SUBMISSION":
		return "127.0.0.1:10587"
	case "RAPPORT_TEST_MAIL_SUBMISSIONS":
		return "127.0.0.1:10465"
	case "RAPPORT_TEST_MAIL_USERS":
		return strings.Join([]string{Desk, Sales, Customer, Stranger, Expert}, ",")
	case "RAPPORT_TEST_MAIL_PASSWORD":
		return "rapport-test"
	}
	return ""
}

// Require returns the real mail servers for t. When they do not answer, t
// is skipped, or fails if RAPPORT_TEST_MAIL is set (CI sets it: there the
// servers must run). Each call makes a new Tag; folders the test's boxes
// received are deleted when it passes and kept for a look when it fails.
func Require(t testing.TB) Servers {
	t.Helper()
	s := fromEnv(os.Getenv)
	if err := s.reachable(); err != nil {
		if required(os.Getenv("RAPPORT_TEST_MAIL")) {
			t.Fatalf("RAPPORT_TEST_MAIL is set but the real mail servers do not answer: %v (start them with .ci/mailservers)", err)
		}
		t.Skipf("real mail servers not running (%v): run .ci/mailservers to start them; RAPPORT_TEST_MAIL=1 requires them", err)
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatalf("read the mail servers' certificate (RAPPORT_TEST_MAIL_CA): %v", err)
	}
	s.roots = x509.NewCertPool()
	if !s.roots.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s (RAPPORT_TEST_MAIL_CA)", s.CAFile)
	}
	s.Tag = tagFor(t.Name())
	t.Cleanup(func() {
		if !t.Failed() {
			s.deleteFolders(t)
		}
	})
	return s
}

// TLSConfig returns a TLS configuration that trusts the servers' certificate
// (issued for 127.0.0.1 and localhost).
func (s Servers) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.roots, MinVersion: tls.VersionTLS12}
}

func fromEnv(getenv func(string) string) Servers {
	get := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return defaultValue(name)
	}
	ca := getenv("RAPPORT_TEST_MAIL_CA")
	if ca == "" {
		dir := getenv("RAPPORT_MAIL_DIR")
		if dir == "" {
			dir = "/tmp/rapport-mail"
		}
		ca = filepath.Join(dir, "tls", "cert.pem")
	}
	return Servers{
		IMAP:        get("RAPPORT_TEST_MAIL_IMAP"),
		IMAPS:       get("RAPPORT_TEST_MAIL_IMAPS"),
		SMTP:        get("RAPPORT_TEST_MAIL_SMTP"),
		Submission:  get("RAPPORT_TEST_MAIL_SUBMISSION"),
		Submissions: get("RAPPORT_TEST_MAIL_SUBMISSIONS"),
		Users:       strings.Split(get("RAPPORT_TEST_MAIL_USERS"), ","),
		Password:    get("RAPPORT_TEST_MAIL_PASSWORD"),
		CAFile:      ca,
	}
}

func required(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// reachable checks that IMAP and SMTP answer with their greetings.
func (s Servers) reachable() error {
	if err := greets(s.IMAP, "* OK"); err != nil {
		return fmt.Errorf("IMAP %s: %w", s.IMAP, err)
	}
	if err := greets(s.SMTP, "220"); err != nil {
		return fmt.Errorf("SMTP %s: %w", s.SMTP, err)
	}
	return nil
}

func greets(addr, prefix string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no greeting: %w", err)
	}
	if !strings.HasPrefix(line, prefix) {
		return fmt.Errorf("unexpected greeting %q", strings.TrimSpace(line))
	}
	return nil
}

// tagFor makes a folder name that is new for each run of a test and still
// says which test it belongs to: lower-case letters, digits and dashes.
func tagFor(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 24 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	random := make([]byte, 4)
	_, _ = rand.Read(random)
	return "t-" + b.String() + "-" + hex.EncodeToString(random)
}
