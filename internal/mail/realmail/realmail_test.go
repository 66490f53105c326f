package realmail_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/rapport-crm/rapport/internal/mail/realmail"
)

// compose writes a small UTF-8 text message with CRLF line ends.
func compose(from, to, subject, messageID, body string) []byte {
	return fmt.Appendf(nil, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\n"+
		"Date: Mon, 01 Dec 2025 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		from, to, subject, messageID, body)
}

func newMessageID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "<" + hex.EncodeToString(b) + "@customer.test>"
}

func TestAMessageSentThroughPostfixToTheDeskArrivesInItsDovecotInbox(t *testing.T) {
	s := realmail.Require(t)
	t.Parallel()
	inbox := s.Inbox(realmail.Desk)
	id := newMessageID()
	body := "Bonjour, ma carte est bloquée depuis ce matin."
	s.Send(t, realmail.Customer, []string{realmail.Desk}, compose(realmail.Customer, realmail.Desk, "Carte bloquée", id, body))

	got := s.Await(t, inbox, "Message-ID", id)
	t.Cleanup(func() { expunge(t, s, inbox, got.UID) })
	if got.UIDValidity == 0 || got.UID == 0 {
		t.Fatalf("UIDVALIDITY %d, UID %d: both must be set", got.UIDValidity, got.UID)
	}
	for _, want := range []string{body, "Subject: Carte bloquée", "Return-Path: <customer@customer.test>", "Delivered-To: desk@desk.test", "Received: from localhost"} {
		if !bytes.Contains(got.Raw, []byte(want)) {
			t.Errorf("the delivered message lacks %q:\n%s", want, got.Raw)
		}
	}

	// A new session sees the same UIDVALIDITY: the desk's intake relies on it.
	c := s.Login(t, inbox)
	sel, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.UIDValidity != got.UIDValidity {
		t.Errorf("UIDVALIDITY changed between sessions: %d then %d", got.UIDValidity, sel.UIDValidity)
	}
}

func TestMailToATaggedAddressLandsInTheTestsOwnFolderOnly(t *testing.T) {
	s := realmail.Require(t)
	t.Parallel()
	box := s.Box(realmail.Desk)
	id := newMessageID()
	s.Send(t, realmail.Customer, []string{box.Address}, compose(realmail.Customer, box.Address, "Un virement", id, "Où en est mon virement ?"))

	got := s.Await(t, box, "Message-ID", id)
	if !bytes.Contains(got.Raw, []byte("Où en est mon virement ?")) {
		t.Errorf("the delivered message lacks its body:\n%s", got.Raw)
	}
	if uids := search(t, s.Login(t, box), "INBOX", id); len(uids) != 0 {
		t.Errorf("the tagged message is also in the INBOX: UIDs %v", uids)
	}
}

func TestSubmissionRefusesAnonymousSendersAndWrongPasswordsAndDeliversOnceSignedIn(t *testing.T) {
	s := realmail.Require(t)
	t.Parallel()
	box := s.Box(realmail.Desk)
	starttls := newMessageID()
	implicit := newMessageID()

	c, err := smtp.DialStartTLS(s.Submission, s.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.SendMail(realmail.Customer, []string{box.Address}, bytes.NewReader(compose(realmail.Customer, box.Address, "anonyme", newMessageID(), "x")))
	if code := smtpCode(err); code < 500 {
		t.Errorf("anonymous submission: got %v, want a 5xx refusal", err)
	}

	c, err = smtp.DialStartTLS(s.Submission, s.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Auth(sasl.NewPlainClient("", realmail.Customer, "not-the-password"))
	if code := smtpCode(err); code != 535 {
		t.Errorf("wrong password: got %v, want 535", err)
	}

	c, err = smtp.DialStartTLS(s.Submission, s.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", realmail.Customer, s.Password)); err != nil {
		t.Fatalf("sign in on submission: %v", err)
	}
	if err := c.SendMail(realmail.Customer, []string{box.Address}, bytes.NewReader(compose(realmail.Customer, box.Address, "par submission", starttls, "STARTTLS"))); err != nil {
		t.Fatalf("send on submission: %v", err)
	}

	c, err = smtp.DialTLS(s.Submissions, s.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", realmail.Customer, s.Password)); err != nil {
		t.Fatalf("sign in on submissions: %v", err)
	}
	if err := c.SendMail(realmail.Customer, []string{box.Address}, bytes.NewReader(compose(realmail.Customer, box.Address, "par submissions", implicit, "TLS"))); err != nil {
		t.Fatalf("send on submissions: %v", err)
	}

	s.Await(t, box, "Message-ID", starttls)
	s.Await(t, box, "Message-ID", implicit)

	// The same folder read over IMAP with implicit TLS.
	imaps, err := imapclient.DialTLS(s.IMAPS, &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer imaps.Close()
	if err := imaps.Login(box.Login, box.Password).Wait(); err != nil {
		t.Fatalf("IMAPS login: %v", err)
	}
	if uids := search(t, imaps, box.Folder, implicit); len(uids) != 1 {
		t.Errorf("IMAPS sees %d messages with %s, want 1", len(uids), implicit)
	}
}

func TestMailToAnUnknownUserOfATestDomainIsRefusedAtOnce(t *testing.T) {
	s := realmail.Require(t)
	t.Parallel()
	c, err := smtp.DialStartTLS(s.SMTP, s.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.SendMail(realmail.Customer, []string{"nobody@desk.test"}, bytes.NewReader(compose(realmail.Customer, "nobody@desk.test", "perdu", newMessageID(), "x")))
	if code := smtpCode(err); code != 550 {
		t.Errorf("unknown user: got %v, want 550", err)
	}
}

func TestMailToAnOutsideDomainIsAcceptedAndBouncesToTheSender(t *testing.T) {
	s := realmail.Require(t)
	t.Parallel()
	box := s.Box(realmail.Desk)
	id := newMessageID()
	s.Send(t, box.Address, []string{"someone@elsewhere.test"}, compose(box.Address, "someone@elsewhere.test", "Votre dossier", id, "Voici la réponse."))

	dsn := s.Await(t, box, "Subject", "Undelivered Mail Returned to Sender")
	for _, want := range []string{"report-type=delivery-status", "Final-Recipient: rfc822; someone@elsewhere.test", "Message-ID: " + id} {
		if !bytes.Contains(dsn.Raw, []byte(want)) {
			t.Errorf("the bounce lacks %q:\n%s", want, dsn.Raw)
		}
	}
}

// search returns the UIDs of the messages with messageID in folder.
func search(t *testing.T, c *imapclient.Client, folder, messageID string) []imap.UID {
	t.Helper()
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatalf("select %s: %v", folder, err)
	}
	res, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
	if err != nil {
		t.Fatalf("search %s: %v", folder, err)
	}
	return res.AllUIDs()
}

// expunge removes a message the test left in a shared INBOX.
func expunge(t *testing.T, s realmail.Servers, b realmail.Box, uid imap.UID) {
	c := s.Login(t, b)
	if _, err := c.Select(b.Folder, nil).Wait(); err != nil {
		t.Logf("select %s to clean up: %v", b.Folder, err)
		return
	}
	set := imap.UIDSetNum(uid)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Logf("flag UID %d deleted: %v", uid, err)
		return
	}
	if err := c.UIDExpunge(set).Close(); err != nil {
		t.Logf("expunge UID %d: %v", uid, err)
	}
}

func smtpCode(err error) int {
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) {
		return smtpErr.Code
	}
	return 0
}
