package smtpout_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/smtpout"
)

// password is every devmail user's password here; no error may hold it.
const password = "pw-Kd20-secret"

const (
	deskAddr     = "desk@example.test"
	customerAddr = "customer@example.test"
)

var raw = []byte("From: Desk <desk@example.test>\r\nTo: customer@example.test\r\nMessage-ID: <r1@example.test>\r\nSubject: Re: your request\r\n\r\nHello,\r\n.leading dot kept\r\n\r\nThe desk\r\n")

func startMail(t *testing.T, opts devmail.Options) *devmail.Server {
	t.Helper()
	opts.Password = password
	s, err := devmail.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func config(t *testing.T, addr string, security smtpout.Security) smtpout.Config {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return smtpout.Config{Host: host, Port: p, Security: security, Login: deskAddr, Password: password, HelloName: "rapport.example.test"}
}

func waitSent(t *testing.T, s *devmail.Server, n int) []devmail.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sent, err := s.WaitSent(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

func TestSendDeliversTheExactBytes(t *testing.T) {
	s := startMail(t, devmail.Options{})
	err := smtpout.Send(context.Background(), config(t, s.SMTPAddr(), smtpout.SecurityNone), deskAddr, []string{customerAddr}, raw)
	if err != nil {
		t.Fatal(err)
	}
	got := waitSent(t, s, 1)[0]
	if got.From != deskAddr || len(got.To) != 1 || got.To[0] != customerAddr {
		t.Fatalf("envelope %s → %v", got.From, got.To)
	}
	if !bytes.Equal(got.Raw, raw) {
		t.Fatalf("received\n%q\nwant\n%q", got.Raw, raw)
	}
}

func TestSendOverSTARTTLSAndTLS(t *testing.T) {
	s := startMail(t, devmail.Options{StartTLS: true, SMTPTLSAddr: "127.0.0.1:0"})
	for i, cfg := range []smtpout.Config{config(t, s.SMTPAddr(), smtpout.SecuritySTARTTLS), config(t, s.SMTPTLSAddr(), smtpout.SecurityTLS)} {
		cfg.TLS = s.TLSConfig()
		if err := smtpout.Send(context.Background(), cfg, deskAddr, []string{customerAddr}, raw); err != nil {
			t.Fatalf("%s: %v", cfg.Security, err)
		}
		if got := waitSent(t, s, i+1)[i]; !bytes.Equal(got.Raw, raw) {
			t.Fatalf("%s: received %q", cfg.Security, got.Raw)
		}
	}
}

func TestARefusedRecipientIsPermanentWithTheServersReplyAndNothingIsSent(t *testing.T) {
	s := startMail(t, devmail.Options{})
	s.FailRecipients("gone@example.test", "550 5.1.1 user unknown")
	err := smtpout.Send(context.Background(), config(t, s.SMTPAddr(), smtpout.SecurityNone), deskAddr, []string{customerAddr, "gone@example.test"}, raw)
	if !smtpout.Permanent(err) || !errors.Is(err, smtpout.ErrRefused) {
		t.Fatalf("err = %v, want a permanent refusal", err)
	}
	if msg := core.ErrorMessage(err); msg != "RCPT TO <gone@example.test>: 550 5.1.1 user unknown" {
		t.Fatalf("message = %q", msg)
	}
	if n := len(s.Sent()); n != 0 {
		t.Fatalf("%d messages sent, want none (all or nothing)", n)
	}
}

func TestATemporaryRefusalIsNotPermanent(t *testing.T) {
	s := startMail(t, devmail.Options{})
	s.FailRecipients(customerAddr, "451 4.3.0 try again later")
	err := smtpout.Send(context.Background(), config(t, s.SMTPAddr(), smtpout.SecurityNone), deskAddr, []string{customerAddr}, raw)
	if err == nil || smtpout.Permanent(err) || core.ErrorCode(err) != core.Unavailable {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
	if !strings.Contains(core.ErrorMessage(err), "451 4.3.0 try again later") {
		t.Fatalf("message = %q", core.ErrorMessage(err))
	}
}

func TestAWrongPasswordIsARefusedLoginWithoutThePassword(t *testing.T) {
	s := startMail(t, devmail.Options{})
	cfg := config(t, s.SMTPAddr(), smtpout.SecurityNone)
	cfg.Password = "wrong-" + password
	for _, err := range []error{
		smtpout.Test(context.Background(), cfg),
		smtpout.Send(context.Background(), cfg, deskAddr, []string{customerAddr}, raw),
	} {
		if !errors.Is(err, smtpout.ErrLogin) || !strings.HasPrefix(core.ErrorMessage(err), "login refused: 535") {
			t.Fatalf("err = %v, want login refused", err)
		}
		if strings.Contains(err.Error(), password) {
			t.Fatalf("the error holds the password: %v", err)
		}
	}
}

func TestTestPassesOnAGoodServer(t *testing.T) {
	s := startMail(t, devmail.Options{StartTLS: true})
	cfg := config(t, s.SMTPAddr(), smtpout.SecuritySTARTTLS)
	cfg.TLS = s.TLSConfig()
	if err := smtpout.Test(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

func TestTestOnAClosedPortSaysTheConnectionFailed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = smtpout.Test(context.Background(), config(t, addr, smtpout.SecurityNone))
	if !errors.Is(err, smtpout.ErrConnect) || !strings.HasPrefix(core.ErrorMessage(err), "connect: ") || smtpout.Permanent(err) {
		t.Fatalf("err = %v, want connect failed", err)
	}
}

func TestSTARTTLSNotOfferedIsRefusedBeforeAnyCredential(t *testing.T) {
	s := startMail(t, devmail.Options{}) // no STARTTLS
	err := smtpout.Send(context.Background(), config(t, s.SMTPAddr(), smtpout.SecuritySTARTTLS), deskAddr, []string{customerAddr}, raw)
	if !errors.Is(err, smtpout.ErrTLS) {
		t.Fatalf("err = %v, want a TLS failure", err)
	}
	if n := len(s.Sent()); n != 0 {
		t.Fatalf("%d messages sent in clear", n)
	}
}

func TestAnUntrustedCertificateIsATLSFailure(t *testing.T) {
	s := startMail(t, devmail.Options{SMTPTLSAddr: "127.0.0.1:0"})
	err := smtpout.Test(context.Background(), config(t, s.SMTPTLSAddr(), smtpout.SecurityTLS))
	if !errors.Is(err, smtpout.ErrTLS) || !strings.HasPrefix(core.ErrorMessage(err), "TLS: ") {
		t.Fatalf("err = %v, want a TLS failure", err)
	}
}

func TestAnInvalidConfigurationNamesItsFields(t *testing.T) {
	err := smtpout.Test(context.Background(), smtpout.Config{Port: 70000})
	var ce *core.Error
	if !errors.As(err, &ce) || ce.Code != core.Invalid {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []string{"host", "port", "security"} {
		if _, ok := ce.Fields[f]; !ok {
			t.Errorf("field %s not named: %v", f, ce.Fields)
		}
	}
}

func TestAnEnvelopeNoServerCouldTakeIsRefusedBeforeConnecting(t *testing.T) {
	cfg := smtpout.Config{Host: "127.0.0.1", Port: 1, Security: smtpout.SecurityNone}
	for _, tc := range []struct {
		from  string
		to    []string
		field string
	}{
		{deskAddr, nil, "to"},
		{"desk@example.test>", []string{customerAddr}, "from"},
		{deskAddr, []string{"x@example.test\r\nRCPT TO:<y@example.test>"}, "to[0]"},
	} {
		err := smtpout.Send(context.Background(), cfg, tc.from, tc.to, raw)
		var ce *core.Error
		if !errors.As(err, &ce) || ce.Code != core.Invalid || ce.Fields[tc.field].Code == "" {
			t.Errorf("%q → %v: err = %v, want field %s refused", tc.from, tc.to, err, tc.field)
		}
	}
}

func TestAnAutomaticReplyGoesWithTheNullSender(t *testing.T) {
	s := startMail(t, devmail.Options{})
	if err := smtpout.Send(context.Background(), config(t, s.SMTPAddr(), smtpout.SecurityNone), "", []string{customerAddr}, raw); err != nil {
		t.Fatal(err)
	}
	if got := waitSent(t, s, 1)[0]; got.From != "" {
		t.Fatalf("envelope sender %q, want the null sender", got.From)
	}
}
