package party

import "testing"

func TestFoldLowersRemovesAccentsSpellsLigaturesAndCollapsesPunctuation(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hélène DUPRÉ", "helene dupre"},
		{"Œuvre", "oeuvre"},
		{"cœur", "coeur"},
		{"Lætitia", "laetitia"},
		{"ÆSCHYLE", "aeschyle"},
		{"Straße", "strasse"},
		{"François-Xavier  d'Aubigné", "francois xavier d aubigne"},
		{"  Ça   va ?  ", "ca va"},
		{"Søren Łukasz", "soren lukasz"},
		{"N°42", "n 42"},
		{"", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizePhoneAcceptsFrenchNumbersInAnyFormat(t *testing.T) {
	for _, in := range []string{"06 12 34 56 78", "0612345678", "+33612345678", "+33 6 12 34 56 78",
		"0033 6 12 34 56 78", "06.12.34.56.78", "(0)6-12-34-56-78"} {
		got, err := NormalizePhone(in)
		if err != nil || got != "+33612345678" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want +33612345678", in, got, err)
		}
	}
	for _, in := range []string{"", "12", "06 12", "abc", "+33 1"} {
		if got, err := NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", in, got)
		}
	}
	if got := displayPhone("+33612345678"); got != "06 12 34 56 78" {
		t.Errorf("display = %q", got)
	}
}
