package leads

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAnSMSAlertKeepsItsLinkWhateverTheLengthOfTheLead(t *testing.T) {
	for _, c := range []struct {
		name string
		lead Lead
		want string
	}{
		{"a named customer", Lead{ID: "L1", FirstName: "Marie", LastName: "Durand", Phone: "+33612345678"},
			"Nouvelle piste : crédit auto, Marie Durand, +33612345678 https://crm.test/leads/L1"},
		{"only an email", Lead{ID: "L2", Email: "anonyme@example.fr"}, "Nouvelle piste : crédit auto, anonyme@example.fr https://crm.test/leads/L2"},
		{"a party's name when the form had none", Lead{ID: "L3", PartyName: "SARL Dupont"},
			"Nouvelle piste : crédit auto, SARL Dupont https://crm.test/leads/L3"},
	} {
		if got := AlertSMS(c.lead, "fr", "crédit auto", "https://crm.test/"); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	long := Lead{ID: "L4", FirstName: strings.Repeat("é", 500)}
	got := AlertSMS(long, "en", "car loan", "https://crm.test")
	if n := utf8.RuneCountInString(got); n > maxAlertSMS || !strings.HasSuffix(got, "… https://crm.test/leads/L4") ||
		!strings.HasPrefix(got, "New lead: car loan, ééé") {
		t.Errorf("%d characters: %q", n, got)
	}
}

func TestAnEmailAlertOmitsWhatTheLeadLacks(t *testing.T) {
	l := Lead{ID: "L1", LastName: "Durand", ReceivedAt: time.Date(2026, 1, 5, 23, 30, 0, 0, time.UTC)}
	subject, text := AlertEmail(l, "fr", "", time.UTC, "https://crm.test")
	if subject != "Nouvelle piste — Durand" {
		t.Errorf("subject %q", subject)
	}
	for _, absent := range []string{"E-mail :", "Téléphone :", "Produit :", "Message"} {
		if strings.Contains(text, absent) {
			t.Errorf("%q shown without a value:\n%s", absent, text)
		}
	}
	if !strings.Contains(text, "Reçu le : 05/01/2026 à 23:30 (UTC)") || !strings.HasSuffix(text, "https://crm.test/leads/L1\n") {
		t.Errorf("text:\n%s", text)
	}
}
