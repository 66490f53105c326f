package party

import (
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// frenchCountryCode is France's calling code, of the numbers parseFrench reads.
const frenchCountryCode = 33

// parseFrench reads, without phonenumbers.Parse and its regular
// expressions (the import's profile showed them costing more than the
// bare insert of the row), a French number in one of the forms people and
// files write: ten digits starting with the trunk 0, or +33 or 0033 and nine
// digits, grouped by spaces, dots or dashes. It returns what Parse returns
// for the same text (a test compares them); ok is false for any other
// text, which Parse then reads.
func parseFrench(raw string) (*phonenumbers.PhoneNumber, bool) {
	var digits [16]byte
	n, plus := 0, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return nil, false
			}
			digits[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '.' || c == '-':
		default:
			return nil, false
		}
	}
	d := string(digits[:n])
	var national string
	switch {
	case !plus && n == 10 && d[0] == '0' && d[1] != '0':
		national = d[1:]
	case plus && n == 11 && d[:2] == "33" && d[2] != '0':
		national = d[2:]
	case !plus && n == 13 && d[:4] == "0033" && d[4] != '0':
		national = d[4:]
	default:
		return nil, false
	}
	v, err := strconv.ParseUint(national, 10, 64)
	if err != nil {
		return nil, false
	}
	cc := int32(frenchCountryCode)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &v}, true
}

// displayFrench formats a French number in E.164, "+33" and nine digits
// the first of them not 0, as displayPhone does through phonenumbers
// ("06 12 34 56 78", "0 800 12 34 56"), without its parse and format, which
// cost more than reading the row the number is shown from (a nightly
// import compares every stored party's phones). ok is false for any other
// text (a test compares the two on every prefix).
func displayFrench(e164 string) (string, bool) {
	if len(e164) != 12 || e164[:3] != "+33" || e164[3] == '0' {
		return "", false
	}
	d := e164[3:]
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return "", false
		}
	}
	if d[0] == '8' {
		return "0 " + d[0:3] + " " + d[3:5] + " " + d[5:7] + " " + d[7:9], true
	}
	return "0" + d[0:1] + " " + d[1:3] + " " + d[3:5] + " " + d[5:7] + " " + d[7:9], true
}
