package realmail

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
)

// awaitLimit is how long Await waits for a delivery before failing the test;
// Postfix and Dovecot on loopback deliver in well under a second.
const awaitLimit = 20 * time.Second

// Message is one message as Dovecot holds it in a folder.
type Message struct {
	UIDValidity uint32
	UID         imap.UID
	Raw         []byte // the whole message, headers and body, as delivered
}

// Send hands msg to Postfix on the SMTP port (STARTTLS, no authentication:
// loopback is trusted) from the envelope sender from to the recipients, and
// fails the test if Postfix refuses it.
func (s Servers) Send(t testing.TB, from string, to []string, msg []byte) {
	t.Helper()
	if err := s.send(from, to, msg); err != nil {
		t.Fatalf("send through Postfix at %s from %s to %v: %v", s.SMTP, from, to, err)
	}
}

func (s Servers) send(from string, to []string, msg []byte) error {
	c, err := smtp.DialStartTLS(s.SMTP, s.TLSConfig())
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(from, to, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// Await waits up to 20 seconds for a message whose header field name
// contains value (IMAP SEARCH HEADER: a case-insensitive substring) to be in
// the box's folder, and returns the first one; the test fails if none comes.
func (s Servers) Await(t testing.TB, b Box, name, value string) Message {
	t.Helper()
	c, err := s.dial(b)
	if err != nil {
		t.Fatalf("IMAP login as %s at %s: %v", b.Login, s.IMAP, err)
	}
	defer logout(c)
	deadline := time.Now().Add(awaitLimit)
	for {
		msg, found, err := find(c, b.Folder, name, value)
		if err != nil {
			t.Fatalf("look for %s %q in %s of %s: %v", name, value, b.Folder, b.Login, err)
		}
		if found {
			return msg
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %s %q reached folder %s of %s within %s (see the logs under the mail servers' state directory)",
				name, value, b.Folder, b.Login, awaitLimit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// find selects folder read-only and fetches the first message whose header
// matches; a folder that does not exist yet holds no message.
func find(c *imapclient.Client, folder, name, value string) (Message, bool, error) {
	found, err := exists(c, folder)
	if err != nil || !found {
		return Message{}, false, err
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return Message{}, false, fmt.Errorf("select: %w", err)
	}
	criteria := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: name, Value: value}}}
	res, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return Message{}, false, fmt.Errorf("search: %w", err)
	}
	uids := res.AllUIDs()
	if len(uids) == 0 {
		return Message{}, false, nil
	}
	whole := &imap.FetchItemBodySection{Peek: true}
	bufs, err := c.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
	if err != nil {
		return Message{}, false, fmt.Errorf("fetch: %w", err)
	}
	if len(bufs) != 1 {
		return Message{}, false, fmt.Errorf("fetch UID %d: %d messages returned", uids[0], len(bufs))
	}
	return Message{UIDValidity: sel.UIDValidity, UID: bufs[0].UID, Raw: bufs[0].FindBodySection(whole)}, true, nil
}
