package mail

import (
	"slices"
	"strings"
	"testing"
)

// TestBouncesNameTheFailedOriginalAndWhy: each kind of delivery failure
// report gives the Message-ID Rapport sent, the recipient and the reason.
func TestBouncesNameTheFailedOriginalAndWhy(t *testing.T) {
	cases := []struct {
		file, id, recipient, status, reason string
	}{
		{"dsn-postfix.eml", "rapport.0191ab.sig2@bank.example", "nobody@example.com", "5.1.1",
			"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table"},
		{"dsn-exchange.eml", "rapport.0191ac.sig3@bank.example", "bob.martin@contoso.example", "5.1.10",
			"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"},
		{"bounce-exim.eml", "rapport.0191ad.sig4@bank.example", "ancien.client@isp.example", "5.2.2",
			"550 5.2.2 Mailbox full"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			parseBoth(t, c.file, func(t *testing.T, p *Parsed) {
				b := p.Bounce
				if b == nil {
					t.Fatal("not recognised as a bounce")
				}
				if !slices.Equal(b.MessageIDs, []string{c.id}) || b.Recipient != c.recipient || b.Status != c.status {
					t.Errorf("bounce %+v", *b)
				}
				if !strings.Contains(b.Reason, c.reason) {
					t.Errorf("reason %q lacks %q", b.Reason, c.reason)
				}
				if strings.Contains(b.Reason, "Votre rendez-vous est confirmé") || strings.Contains(b.Reason, "Return-path") {
					t.Errorf("the reason stops before the copy of the original: %q", b.Reason)
				}
				if !p.Auto || p.Broken {
					t.Errorf("a bounce is automatic: auto %v broken %v %q", p.Auto, p.Broken, p.Problems)
				}
			})
		})
	}
}

func TestDelayedReportIsAutomaticButNoBounce(t *testing.T) {
	parseBoth(t, "dsn-delayed.eml", func(t *testing.T, p *Parsed) {
		if p.Bounce != nil {
			t.Errorf("a delay is not a failure: %+v", *p.Bounce)
		}
		if !p.Auto || !strings.Contains(p.AutoWhy, "delivery-status") {
			t.Errorf("auto %v %q", p.Auto, p.AutoWhy)
		}
	})
}

func TestBounceWithoutReturnedMessageFallsBackOnItsThreadHeaders(t *testing.T) {
	raw := []byte("From: postmaster@mx.example.net\r\nTo: agence@bank.example\r\nSubject: failure\r\n" +
		"In-Reply-To: <rapport.1.sig@bank.example>\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=z\r\n\r\n" +
		"--z\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n" +
		"--z\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; gone@example.net\r\nStatus: 5.0.0\r\n" +
		"--z--\r\n")
	p := Parse(raw)
	assertClean(t, p)
	b := p.Bounce
	if b == nil {
		t.Fatal("a 5.x.x status without Action is a failure")
	}
	if !slices.Equal(b.MessageIDs, []string{"rapport.1.sig@bank.example"}) || b.Recipient != "gone@example.net" || b.Reason != "Delivery failed." {
		t.Errorf("bounce %+v", *b)
	}
}

func TestFailedRecipientsHeaderFromAPersonIsNoBounce(t *testing.T) {
	p := Parse(withHeaders("X-Failed-Recipients: someone@example.com\r\n"))
	if p.Bounce != nil {
		t.Errorf("only MAILER-DAEMON or postmaster bounce: %+v", *p.Bounce)
	}
}

func TestStatusCodeIsFoundInText(t *testing.T) {
	cases := map[string]string{
		"550 5.1.1 User unknown":     "5.1.1",
		"said: 452 (4.2.2) full":     "4.2.2",
		"version 1.2.3 of 5.x.y":     "",
		"5.1.1234 is no code":        "",
		"no code at all, 550 only":   "",
		"2.0.0 Ok then 5.7.1 denied": "5.7.1",
	}
	for text, want := range cases {
		if got := statusCodeIn(text); got != want {
			t.Errorf("statusCodeIn(%q) = %q, want %q", text, got, want)
		}
	}
}
