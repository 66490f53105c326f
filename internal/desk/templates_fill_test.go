package desk

import "testing"

func TestPlaceholdersAreFilledEscapedAndUnknownOnesKept(t *testing.T) {
	values := map[string]string{"customer_name": "Hélène <Dupré>", "agent_name": "Alice Admin", "reference": "R-000042",
		"subject": `Carte "bloquée" & perdue`, "unit": "Paris Opéra"}
	for _, c := range []struct{ name, body, want string }{
		{"every placeholder", "<p>Bonjour {{customer_name}},</p><p>{{agent_name}} · {{reference}} · {{subject}} · {{unit}}</p>",
			"<p>Bonjour Hélène &lt;Dupré&gt;,</p><p>Alice Admin · R-000042 · Carte &#34;bloquée&#34; &amp; perdue · Paris Opéra</p>"},
		{"spaces inside the braces", "{{ reference }}", "R-000042"},
		{"unknown placeholder kept", "{{iban}} {{reference}}", "{{iban}} R-000042"},
		{"no placeholder", "Merci.", "Merci."},
		{"unclosed braces kept", "{{reference", "{{reference"},
		{"twice", "{{unit}}/{{unit}}", "Paris Opéra/Paris Opéra"},
	} {
		if got := fillPlaceholders(c.body, values); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAnEmptyCustomerNameFallsBackToTheTypedName(t *testing.T) {
	for _, c := range []struct{ party, typed, want string }{
		{"Hélène Dupré", "H. Dupre", "Hélène Dupré"},
		{"", "Jean Martin", "Jean Martin"},
		{"", "", ""},
	} {
		v := placeholderValues(Request{PartyName: c.party, CustomerName: c.typed}, webFormActor)
		if v["customer_name"] != c.want {
			t.Errorf("party %q typed %q: %q, want %q", c.party, c.typed, v["customer_name"], c.want)
		}
	}
}
