package core

import "testing"

func TestMoneyIsWrittenAsEachLanguageWritesIt(t *testing.T) {
	for _, c := range []struct {
		m      Money
		fr, en string
	}{
		{Money{Minor: 123456, Currency: "EUR"}, "1\u202f234,56\u00a0€", "€1,234.56"},
		{Money{Minor: 5}, "0,05\u00a0€", "€0.05"},
		{Money{Minor: -100000000, Currency: "EUR"}, "-1\u202f000\u202f000,00\u00a0€", "-€1,000,000.00"},
		{Money{Minor: 1500, Currency: "JPY"}, "1\u202f500\u00a0¥", "¥1,500"},
		{Money{Minor: 999, Currency: "CHF"}, "9,99\u00a0CHF", "CHF\u00a09.99"},
	} {
		if got := c.m.Format("fr"); got != c.fr {
			t.Errorf("%+v in French: %q, want %q", c.m, got, c.fr)
		}
		if got := c.m.Format("en"); got != c.en {
			t.Errorf("%+v in English: %q, want %q", c.m, got, c.en)
		}
	}
}

func TestTypedAmountsAreReadWithoutFloats(t *testing.T) {
	for in, want := range map[string]int64{"1234.56": 123456, "1 234,56": 123456, "0,1": 10, "20": 2000,
		"19.99": 1999, "0.29": 29, "1\u202f000": 100000} {
		m, ok := ParseMoney(in, "EUR")
		if !ok || m.Minor != want || m.Currency != "EUR" {
			t.Errorf("ParseMoney(%q) = %+v %v, want %d", in, m, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1.234", "1,2,3", "12e3", "99999999999999999"} {
		if m, ok := ParseMoney(in, "EUR"); ok {
			t.Errorf("ParseMoney(%q) = %+v, want refused", in, m)
		}
	}
	if m, ok := ParseMoney("1500", "JPY"); !ok || m.Minor != 1500 {
		t.Errorf("yen have no minor unit: %+v", m)
	}
	if !ValidCurrency("EUR") || ValidCurrency("eur") || ValidCurrency("XYZ") {
		t.Error("currency codes")
	}
}
