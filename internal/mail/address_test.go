package mail

import (
	"slices"
	"testing"
)

func TestAddressHeadersAreReadEvenWhenMalformed(t *testing.T) {
	cases := []struct {
		header string
		want   []Address
	}{
		{`"Dupont, Jean" <Jean.Dupont@Example.FR>`, []Address{{"Dupont, Jean", "Jean.Dupont@example.fr"}}},
		{`=?utf-8?q?Ren=C3=A9e?= <renee@example.org>, paul@example.org`,
			[]Address{{"Renée", "renee@example.org"}, {"", "paul@example.org"}}},
		{`a@example.com b@example.com`, []Address{{"", "a@example.com"}, {"", "b@example.com"}}},
		{`Jean Dupont <jean@example.fr`, []Address{{"Jean Dupont", "jean@example.fr"}}},
		{`jean@example.fr (Jean Dupont); marie@example.fr`,
			[]Address{{"Jean Dupont", "jean@example.fr"}, {"", "marie@example.fr"}}},
		{`undisclosed-recipients:;`, nil},
		{``, nil},
		{`Service [Client] <sc@bank.example>`, []Address{{"Service [Client]", "sc@bank.example"}}},
	}
	for _, c := range cases {
		got := parseAddresses(c.header)
		if !slices.Equal(got, c.want) {
			t.Errorf("parseAddresses(%q) = %+v, want %+v", c.header, got, c.want)
		}
	}
}

func TestAddressStringEncodesItsName(t *testing.T) {
	if got := (Address{"Zoé", "zoe@example.com"}).String(); got != "=?utf-8?q?Zo=C3=A9?= <zoe@example.com>" {
		t.Errorf("String() = %q", got)
	}
}
