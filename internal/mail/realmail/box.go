package realmail

import (
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"
)

// Box is one test's own corner of a user's mailbox: mail sent to Address
// (the user's address with the test's tag as extension, desk+tag@desk.test)
// lands in Folder of the mailbox that Login and Password open. Dovecot
// creates the folder on the first delivery.
type Box struct {
	Login    string // the IMAP user, also the plain address ("desk@desk.test")
	Password string
	Address  string // where to send mail for this box
	Folder   string // the IMAP folder it lands in
}

// Box returns the test's box in user's mailbox (one of Users, such as Desk).
func (s Servers) Box(user string) Box {
	local, domain, _ := strings.Cut(user, "@")
	return Box{
		Login:    user,
		Password: s.Password,
		Address:  local + "+" + s.Tag + "@" + domain,
		Folder:   s.Tag,
	}
}

// Inbox returns user's INBOX as a box, for mail sent to the plain address.
// Other tests' mail lands there too: look for a message by its own header.
func (s Servers) Inbox(user string) Box {
	return Box{Login: user, Password: s.Password, Address: user, Folder: "INBOX"}
}

// Login opens an IMAP session (STARTTLS, the servers' certificate trusted)
// as the box's user; it is logged out when the test ends.
func (s Servers) Login(t testing.TB, b Box) *imapclient.Client {
	t.Helper()
	c, err := s.dial(b)
	if err != nil {
		t.Fatalf("IMAP login as %s at %s: %v", b.Login, s.IMAP, err)
	}
	t.Cleanup(func() { logout(c) })
	return c
}

func (s Servers) dial(b Box) (*imapclient.Client, error) {
	c, err := imapclient.DialStartTLS(s.IMAP, &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		return nil, err
	}
	if err := c.Login(b.Login, b.Password).Wait(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func logout(c *imapclient.Client) {
	_ = c.Logout().Wait()
	_ = c.Close()
}

// deleteFolders removes the test's folder from every user's mailbox.
func (s Servers) deleteFolders(t testing.TB) {
	for _, user := range s.Users {
		c, err := s.dial(s.Box(user))
		if err != nil {
			t.Logf("clean up the test's mail folders: %v", err)
			return
		}
		found, err := exists(c, s.Tag)
		if err == nil && found {
			err = c.Delete(s.Tag).Wait()
		}
		logout(c)
		if err != nil {
			t.Logf("delete folder %s of %s: %v", s.Tag, user, err)
		}
	}
}

// exists tells whether folder is in the mailbox. (Dovecot answers a SELECT
// of a missing folder with a plain NO, without the NONEXISTENT code.)
func exists(c *imapclient.Client, folder string) (bool, error) {
	found, err := c.List("", folder, nil).Collect()
	return len(found) > 0, err
}
