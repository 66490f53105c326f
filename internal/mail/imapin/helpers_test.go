package imapin_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// password is every devmail user's password in these tests; no error or
// log line may contain it.
const password = "pw-Zq81-secret"

const desk = "desk@example.test"

func startMail(t testing.TB, opts devmail.Options) *devmail.Server {
	t.Helper()
	opts.Password = password
	s, err := devmail.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// config is the desk mailbox's configuration on s's plain IMAP port.
func config(t testing.TB, addr string) imapin.Config {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return imapin.Config{Host: host, Port: p, Security: imapin.SecurityNone, Login: desk, Password: password}
}

// message is the i-th test message, distinct from the others.
func message(i int) []byte {
	return fmt.Appendf(nil, "From: customer%d@example.test\r\nTo: %s\r\nMessage-ID: <m%d@example.test>\r\nSubject: request %d\r\n\r\nBody of request %d.\r\n", i, desk, i, i, i)
}

func fill(t testing.TB, s *devmail.Server, n int) {
	t.Helper()
	if err := devmail.Fill(s, desk, n, func(i int) []byte { return message(i) }); err != nil {
		t.Fatal(err)
	}
}

// desk stands for the desk's database: what was committed and the state,
// changed together as in one transaction.
type deskStore struct {
	mu     sync.Mutex
	state  imapin.State
	stored []imapin.Message
	failAt uint32 // the commit of this UID fails (0: none)
	got    chan imapin.Message
}

func newDesk() *deskStore { return &deskStore{got: make(chan imapin.Message, 10000)} }

func (d *deskStore) commit(_ context.Context, m imapin.Message) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failAt != 0 && m.UID == d.failAt {
		return errDatabase
	}
	d.stored = append(d.stored, m)
	d.state = imapin.State{UIDValidity: m.UIDValidity, LastUID: m.UID}
	d.got <- m
	return nil
}

func (d *deskStore) load(context.Context) (imapin.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state, nil
}

func (d *deskStore) snapshot() (imapin.State, []imapin.Message) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state, append([]imapin.Message(nil), d.stored...)
}

var errDatabase = fmt.Errorf("database unavailable")
