package devmail

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// AddUser creates the user whose login is the address email (compared
// without case), with an INBOX (and Sent, Drafts, Trash for mail
// clients); an existing user is left as is.
func (s *Server) AddUser(email string) {
	s.user(email)
}

// user returns the user of email, created when absent.
func (s *Server) user(email string) *imapmemserver.User {
	key := strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[key]; ok {
		return u
	}
	u := imapmemserver.NewUser(key, s.password)
	for _, f := range []string{"INBOX", "Sent", "Drafts", "Trash"} { // mail clients expect the last three
		_ = u.Create(f, nil) // a new user has no folder yet
	}
	s.users[key] = u
	return u
}

// existing returns the user of email, nil when absent.
func (s *Server) existing(email string) *imapmemserver.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[strings.ToLower(strings.TrimSpace(email))]
}

// Deliver appends raw into the INBOX of to, creating the user if needed.
func (s *Server) Deliver(to string, raw []byte) error {
	if strings.TrimSpace(to) == "" {
		return errors.New("devmail: deliver: no recipient")
	}
	defer s.wake()
	return appendTo(s.user(to), "INBOX", raw, time.Now())
}

// wake tells the IDLE connections that mail was delivered.
func (s *Server) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.delivered)
	s.delivered = make(chan struct{})
}

// deliveries returns the channel closed at the next delivery.
func (s *Server) deliveries() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered
}

// Fill delivers n messages into user's INBOX, raw(i) being the i-th
// (from 0): a folder for tests and benchmarks in one call.
func Fill(s *Server, user string, n int, raw func(i int) []byte) error {
	u := s.user(user)
	defer s.wake()
	now := time.Now()
	for i := range n {
		if err := appendTo(u, "INBOX", raw(i), now); err != nil {
			return fmt.Errorf("devmail: fill message %d: %w", i, err)
		}
	}
	return nil
}

// appendTo appends raw to folder, creating the folder if a client deleted it.
func appendTo(u *imapmemserver.User, folder string, raw []byte, at time.Time) error {
	opts := &imap.AppendOptions{Time: at}
	if _, err := u.Append(folder, bytes.NewReader(raw), opts); err != nil {
		if err := u.Create(folder, nil); err != nil {
			return err
		}
		_, err = u.Append(folder, bytes.NewReader(raw), opts)
		return err
	}
	return nil
}

// ResetFolder deletes user's folder and creates it again with the same
// messages, as a server that rebuilt its index would: the folder's
// UIDVALIDITY changes, its UIDs start again from 1, and connected clients
// are disconnected.
func (s *Server) ResetFolder(user, folder string) error {
	u := s.existing(user)
	if u == nil {
		return fmt.Errorf("devmail: reset folder: no user %q", user)
	}
	s.mu.Lock()
	s.resets++
	old := fmt.Sprintf("%s.reset-%d", folder, s.resets)
	s.mu.Unlock()
	if err := u.Rename(folder, old, nil); err != nil {
		return fmt.Errorf("devmail: reset folder %s: %w", folder, err)
	}
	if err := u.Create(folder, nil); err != nil {
		return fmt.Errorf("devmail: reset folder %s: %w", folder, err)
	}
	defer s.wake()
	sess := imapmemserver.NewUserSession(u)
	defer sess.Close()
	sel, err := sess.Select(old, nil)
	if err != nil {
		return fmt.Errorf("devmail: reset folder %s: %w", folder, err)
	}
	if sel.NumMessages > 0 {
		if _, err := sess.Copy(imap.SeqSet{{Start: 1, Stop: 0}}, folder); err != nil {
			return fmt.Errorf("devmail: reset folder %s: %w", folder, err)
		}
	}
	if err := u.Delete(old); err != nil {
		return err
	}
	return s.disconnect()
}

// imapSession is an IMAP connection: any address logs in with the shared
// password (the user is created at first login); then the in-memory
// server's session serves the user's folders.
type imapSession struct {
	*imapmemserver.UserSession // nil until logged in
	server                     *Server
}

// Login implements imapserver.Session.
func (c *imapSession) Login(username, password string) error {
	if subtle.ConstantTimeCompare([]byte(password), []byte(c.server.password)) != 1 || strings.TrimSpace(username) == "" {
		return imapserver.ErrAuthFailed
	}
	c.UserSession = imapmemserver.NewUserSession(c.server.user(username))
	return nil
}

// idlePoll is how often IDLE looks for changes made by other IMAP clients
// (APPEND, MOVE); deliveries wake it at once.
const idlePoll = time.Second

// Idle implements imapserver.Session. The in-memory server's own IDLE
// only wakes on changes made once it has started, so a message delivered
// between the client's last command and its IDLE would wait for the next
// change: this one sends what is pending first, and wakes at each delivery.
func (c *imapSession) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	t := time.NewTicker(idlePoll)
	defer t.Stop()
	for {
		delivered := c.server.deliveries() // taken before polling: no delivery falls between
		if err := c.UserSession.Poll(w, true); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-delivered:
		case <-t.C:
		}
	}
}
