package devmail_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
)

func start(t *testing.T, opts devmail.Options) *devmail.Server {
	t.Helper()
	opts.Password = "pw-devmail"
	s, err := devmail.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// send sends raw through s's SMTP side, logged in as from when password is set.
func send(s *devmail.Server, from, password string, to []string, raw []byte) error {
	c, err := smtp.Dial(s.SMTPAddr())
	if err != nil {
		return err
	}
	defer c.Close()
	if password != "" {
		if err := c.Auth(sasl.NewPlainClient("", from, password)); err != nil {
			return err
		}
	}
	return c.SendMail(from, to, bytes.NewReader(raw))
}

func message(subject string) []byte {
	return []byte("From: a@example.test\r\nTo: b@example.test\r\nSubject: " + subject + "\r\n\r\nHello.\r\n")
}

// inbox logs in as user and returns the UIDVALIDITY and raw messages of folder.
func inbox(t *testing.T, s *devmail.Server, user, folder string) (uint32, [][]byte) {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, "pw-devmail").Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return sel.UIDValidity, nil
	}
	body := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{body}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var raws [][]byte
	for _, m := range msgs {
		raws = append(raws, m.FindBodySection(body))
	}
	return sel.UIDValidity, raws
}

func TestMailAcceptedOverSMTPLandsInEveryRecipientsInbox(t *testing.T) {
	s := start(t, devmail.Options{})
	raw := message("hello")
	if err := send(s, "sender@example.test", "pw-devmail", []string{"One@Example.test", "two@example.test"}, raw); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sent, err := s.WaitSent(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sent[0].From != "sender@example.test" || len(sent[0].To) != 2 || !bytes.Equal(sent[0].Raw, raw) {
		t.Fatalf("envelope = %+v", sent[0])
	}
	for _, user := range []string{"one@example.test", "two@example.test"} {
		if _, got := inbox(t, s, user, "INBOX"); len(got) != 1 || !bytes.Equal(got[0], raw) {
			t.Fatalf("%s's INBOX = %q, want the message", user, got)
		}
	}
}

func TestSMTPRefusesAWrongPasswordAndAFailingRecipient(t *testing.T) {
	s := start(t, devmail.Options{})
	err := send(s, "sender@example.test", "wrong", []string{"x@example.test"}, message("x"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 535 {
		t.Fatalf("wrong password: err = %v, want 535", err)
	}
	s.FailRecipients("gone@example.test", "550 5.1.1 user unknown")
	err = send(s, "sender@example.test", "", []string{"gone@example.test"}, message("x"))
	if !errors.As(err, &se) || se.Code != 550 || se.EnhancedCode != (smtp.EnhancedCode{5, 1, 1}) || se.Message != "user unknown" {
		t.Fatalf("failing recipient: err = %#v, want 550 5.1.1 user unknown", err)
	}
	if n := len(s.Sent()); n != 0 {
		t.Fatalf("%d messages recorded, want none", n)
	}
}

func TestIMAPRefusesAWrongPassword(t *testing.T) {
	s := start(t, devmail.Options{})
	c, err := imapclient.DialInsecure(s.IMAPAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("someone@example.test", "wrong").Wait(); err == nil {
		t.Fatal("login with a wrong password accepted")
	}
}

func TestResetFolderChangesUIDValidityAndKeepsTheMessages(t *testing.T) {
	s := start(t, devmail.Options{})
	if err := devmail.Fill(s, "desk@example.test", 3, func(i int) []byte { return message(string(rune('a' + i))) }); err != nil {
		t.Fatal(err)
	}
	before, msgs := inbox(t, s, "desk@example.test", "INBOX")
	if err := s.ResetFolder("desk@example.test", "INBOX"); err != nil {
		t.Fatal(err)
	}
	after, again := inbox(t, s, "desk@example.test", "INBOX")
	if after == before {
		t.Fatalf("UIDVALIDITY still %d", after)
	}
	if len(again) != 3 || !bytes.Equal(again[2], msgs[2]) {
		t.Fatalf("after reset: %q, want the same 3 messages", again)
	}
}

func TestPauseAndResumeServeTheSameMailOnTheSameAddresses(t *testing.T) {
	s := start(t, devmail.Options{})
	addr := s.IMAPAddr()
	if err := s.Deliver("desk@example.test", message("kept")); err != nil {
		t.Fatal(err)
	}
	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	if _, err := imapclient.DialInsecure(addr, nil); err == nil {
		t.Fatal("paused server still accepts connections")
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	if s.IMAPAddr() != addr {
		t.Fatalf("address moved from %s to %s", addr, s.IMAPAddr())
	}
	if _, got := inbox(t, s, "desk@example.test", "INBOX"); len(got) != 1 {
		t.Fatalf("after resume: %d messages, want 1", len(got))
	}
}

func TestWaitSentSaysHowManyCameWhenTimeIsUp(t *testing.T) {
	s := start(t, devmail.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.WaitSent(ctx, 1); err == nil {
		t.Fatal("WaitSent returned without messages")
	}
}
