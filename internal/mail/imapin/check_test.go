package imapin_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

func TestTestPassesOnAGoodMailbox(t *testing.T) {
	s := startMail(t, devmail.Options{})
	s.AddUser(desk)
	if err := imapin.Test(context.Background(), config(t, s.IMAPAddr())); err != nil {
		t.Fatal(err)
	}
}

func TestTestReportsAWrongPasswordAsARefusedLogin(t *testing.T) {
	s := startMail(t, devmail.Options{})
	cfg := config(t, s.IMAPAddr())
	cfg.Password = "wrong-" + password
	err := imapin.Test(context.Background(), cfg)
	if !errors.Is(err, imapin.ErrLogin) || core.ErrorCode(err) != core.Invalid {
		t.Fatalf("err = %v, want a refused login", err)
	}
	if msg := core.ErrorMessage(err); !strings.HasPrefix(msg, "login refused") {
		t.Fatalf("message = %q", msg)
	}
	if strings.Contains(err.Error(), password) {
		t.Fatalf("the error holds the password: %v", err)
	}
}

func TestTestNamesAMissingFolder(t *testing.T) {
	s := startMail(t, devmail.Options{})
	cfg := config(t, s.IMAPAddr())
	cfg.Folder = "INBOX2"
	err := imapin.Test(context.Background(), cfg)
	if !errors.Is(err, imapin.ErrFolder) || core.ErrorMessage(err) != "folder INBOX2 not found" {
		t.Fatalf("err = %v, want folder INBOX2 not found", err)
	}
}

func TestTestOnAClosedPortSaysTheConnectionFailed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = imapin.Test(context.Background(), config(t, addr))
	if !errors.Is(err, imapin.ErrConnect) || !strings.HasPrefix(core.ErrorMessage(err), "connect: ") || core.ErrorCode(err) != core.Unavailable {
		t.Fatalf("err = %v, want connect failed", err)
	}
}

func TestAnIncompleteConfigurationNamesItsFields(t *testing.T) {
	err := imapin.Test(context.Background(), imapin.Config{Security: "ssl"})
	var ce *core.Error
	if !errors.As(err, &ce) || ce.Code != core.Invalid {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []string{"host", "security", "login"} {
		if _, ok := ce.Fields[f]; !ok {
			t.Errorf("field %s not named: %v", f, ce.Fields)
		}
	}
}

func TestSyncOverTLSAndSTARTTLS(t *testing.T) {
	s := startMail(t, devmail.Options{StartTLS: true, IMAPTLSAddr: "127.0.0.1:0"})
	fill(t, s, 2)
	for _, tc := range []struct {
		security imapin.Security
		addr     string
	}{{imapin.SecurityTLS, s.IMAPTLSAddr()}, {imapin.SecuritySTARTTLS, s.IMAPAddr()}} {
		cfg := config(t, tc.addr)
		cfg.Security, cfg.TLS = tc.security, s.TLSConfig()
		d := newDesk()
		if _, err := imapin.Sync(context.Background(), cfg, imapin.State{}, d.commit, imapin.AfterCommit{}); err != nil {
			t.Fatalf("%s: %v", tc.security, err)
		}
		if _, stored := d.snapshot(); len(stored) != 2 {
			t.Fatalf("%s: %d messages", tc.security, len(stored))
		}
	}
}

func TestAnUntrustedCertificateIsATLSFailure(t *testing.T) {
	s := startMail(t, devmail.Options{IMAPTLSAddr: "127.0.0.1:0"})
	cfg := config(t, s.IMAPTLSAddr())
	cfg.Security = imapin.SecurityTLS // without the test root
	err := imapin.Test(context.Background(), cfg)
	if !errors.Is(err, imapin.ErrTLS) || !strings.HasPrefix(core.ErrorMessage(err), "TLS: ") {
		t.Fatalf("err = %v, want a TLS failure", err)
	}
}

func TestSTARTTLSIsRequiredWhenAsked(t *testing.T) {
	s := startMail(t, devmail.Options{})
	cfg := config(t, s.IMAPAddr())
	cfg.Security = imapin.SecuritySTARTTLS
	if err := imapin.Test(context.Background(), cfg); !errors.Is(err, imapin.ErrTLS) {
		t.Fatalf("err = %v, want a TLS failure (the server offers no STARTTLS)", err)
	}
}
