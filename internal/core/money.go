package core

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// DefaultCurrency is the currency of amounts given without one.
const DefaultCurrency = "EUR"

// Money is an amount in a currency's minor units (cents for EUR), never a
// float: 1234.56 € is Money{Minor: 123456, Currency: "EUR"}.
type Money struct {
	Minor    int64  `json:"amount_minor" doc:"The amount in the currency's minor units: 123456 is 1,234.56 EUR, 500 is 500 JPY."`
	Currency string `json:"currency,omitempty" doc:"ISO 4217 code; EUR when omitted." example:"EUR"`
}

// Scale returns the number of decimals of c's minor unit (2 for EUR, 0 for
// JPY); an unknown currency has 2.
func Scale(c string) int {
	u, err := currency.ParseISO(c)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// ValidCurrency reports whether c is a recognised ISO 4217 code.
func ValidCurrency(c string) bool {
	_, err := currency.ParseISO(c)
	return err == nil && len(c) == 3 && strings.ToUpper(c) == c
}

// ParseMoney reads a decimal amount typed by a person in currency c:
// "1234.56", "1 234,56" or "1234" (spaces and a comma as the decimal
// mark accepted); more decimals than the currency has is an error.
func ParseMoney(s, c string) (Money, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		case ',':
			return '.'
		}
		return r
	}, strings.TrimSpace(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	scale := Scale(c)
	if whole == "" && frac == "" || len(frac) > scale || len(whole) > 15 || !digits(whole) || !digits(frac) {
		return Money{}, false
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, false
	}
	if neg {
		n = -n
	}
	return Money{Minor: n, Currency: c}, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Decimal writes the amount as a plain decimal, "1234.56", for forms.
func (m Money) Decimal() string {
	sign, whole, frac := m.parts()
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// parts splits the amount into sign, whole units and minor-unit digits.
func (m Money) parts() (sign, whole, frac string) {
	n := m.Minor
	if n < 0 {
		sign, n = "-", -n
	}
	s := strconv.FormatInt(n, 10)
	scale := Scale(m.currency())
	if scale == 0 {
		return sign, s, ""
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	return sign, s[:len(s)-scale], s[len(s)-scale:]
}

func (m Money) currency() string {
	if m.Currency == "" {
		return DefaultCurrency
	}
	return m.Currency
}

// symbols are the signs written for the usual currencies; others are
// written by their code.
var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// Format writes the amount as a reader of lang expects: "1 234,56 €" in
// French (narrow no-break spaces between thousands, a no-break space before
// the sign), "€1,234.56" in English.
func (m Money) Format(lang string) string {
	sign, whole, frac := m.parts()
	sym, ok := symbols[m.currency()]
	if !ok {
		sym = m.currency()
	}
	if lang == "en" {
		out := sign + sym + group(whole, ",")
		if !ok {
			out = sign + sym + "\u00a0" + group(whole, ",")
		}
		if frac != "" {
			out += "." + frac
		}
		return out
	}
	out := sign + group(whole, "\u202f")
	if frac != "" {
		out += "," + frac
	}
	return out + "\u00a0" + sym
}

// group separates the thousands of a run of digits with sep.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
