package mail

import (
	"strings"
	"testing"
)

// withHeaders is a plain customer message with extra header lines.
func withHeaders(extra string) []byte {
	return []byte("From: Anne Roux <anne.roux@example.com>\r\n" +
		"To: agence.lyon@bank.example\r\n" +
		"Subject: Votre demande\r\n" +
		"Message-ID: <m1@example.com>\r\n" + extra +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour.\r\n")
}

// TestAutomaticMailIsRecognisedByItsHeaders: each header that marks mail
// sent by a program, and the ones that do not.
func TestAutomaticMailIsRecognisedByItsHeaders(t *testing.T) {
	cases := []struct {
		name, headers string
		auto          bool
		why           string
	}{
		{"a person's message", "", false, ""},
		{"Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied\r\n", true, "Auto-Submitted: auto-replied"},
		{"Auto-Submitted: auto-generated", "Auto-Submitted: Auto-Generated\r\n", true, "Auto-Submitted: auto-generated"},
		{"Auto-Submitted with parameters", "Auto-Submitted: auto-notified; owner-email=\"x@y\"\r\n", true, "Auto-Submitted: auto-notified"},
		{"Auto-Submitted: no", "Auto-Submitted: no\r\n", false, ""},
		{"X-Autoreply", "X-Autoreply: yes\r\n", true, "X-Autoreply: yes"},
		{"X-Autorespond", "X-Autorespond: Out of office\r\n", true, "X-Autorespond"},
		{"Precedence: bulk", "Precedence: bulk\r\n", true, "Precedence: bulk"},
		{"Precedence: junk", "Precedence: junk\r\n", true, "Precedence: junk"},
		{"Precedence: list", "Precedence: list\r\n", true, "Precedence: list"},
		{"Precedence: auto_reply", "Precedence: auto_reply\r\n", true, "Precedence: auto_reply"},
		{"Precedence: first-class", "Precedence: first-class\r\n", false, ""},
		{"null Return-Path", "Return-Path: <>\r\n", true, "null Return-Path"},
		{"a sender's Return-Path", "Return-Path: <anne.roux@example.com>\r\n", false, ""},
		{"List-Id alone: a person through a list", "List-Id: <clients.bank.example>\r\n", false, ""},
		{"X-Auto-Response-Suppress alone only asks others not to answer automatically", "X-Auto-Response-Suppress: All\r\n", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Parse(withHeaders(c.headers))
			assertClean(t, p)
			if p.Auto != c.auto || !strings.Contains(p.AutoWhy, c.why) {
				t.Errorf("auto %v (%q), want %v (%q)", p.Auto, p.AutoWhy, c.auto, c.why)
			}
			if p.Bounce != nil {
				t.Errorf("not a bounce: %+v", p.Bounce)
			}
		})
	}
}

func TestOutOfOfficeReplyIsAutomaticAndKeepsItsThread(t *testing.T) {
	parseBoth(t, "auto-vacation.eml", func(t *testing.T, p *Parsed) {
		if !p.Auto || p.AutoWhy != "Auto-Submitted: auto-replied" {
			t.Errorf("auto %v %q", p.Auto, p.AutoWhy)
		}
		if len(p.InReplyTo) != 1 || p.InReplyTo[0] != "rapport.0191af.sig6@bank.example" {
			t.Errorf("in-reply-to %q", p.InReplyTo)
		}
		if p.Subject != "Réponse automatique\u00a0: Votre demande [#D-1050]" {
			t.Errorf("subject %q", p.Subject)
		}
	})
}

func TestReadReceiptIsAutomatic(t *testing.T) {
	raw := []byte("From: anne@example.com\r\nTo: agence@bank.example\r\nSubject: Lu : Votre demande\r\n" +
		"Content-Type: multipart/report; report-type=disposition-notification; boundary=r\r\n\r\n" +
		"--r\r\nContent-Type: text/plain\r\n\r\nVotre message a été lu.\r\n" +
		"--r\r\nContent-Type: message/disposition-notification\r\n\r\nFinal-Recipient: rfc822; anne@example.com\r\nOriginal-Message-ID: <x@bank.example>\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n" +
		"--r--\r\n")
	p := Parse(raw)
	assertClean(t, p)
	if !p.Auto || p.AutoWhy != "report: disposition-notification" || p.Bounce != nil {
		t.Errorf("auto %v %q bounce %+v", p.Auto, p.AutoWhy, p.Bounce)
	}
}
