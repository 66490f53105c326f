package party

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestParseFrenchReadsWhatParseReads compares the hand reading of French
// numbers with phonenumbers.Parse on generated numbers of every prefix, in
// every written form, valid or not.
func TestParseFrenchReadsWhatParseReads(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	forms := []func(nine string) string{
		func(n string) string { return "0" + n },
		func(n string) string {
			return fmt.Sprintf("0%s %s %s %s %s", n[0:1], n[1:3], n[3:5], n[5:7], n[7:9])
		},
		func(n string) string {
			return fmt.Sprintf("0%s.%s.%s.%s.%s", n[0:1], n[1:3], n[3:5], n[5:7], n[7:9])
		},
		func(n string) string {
			return fmt.Sprintf("0%s-%s-%s-%s-%s", n[0:1], n[1:3], n[3:5], n[5:7], n[7:9])
		},
		func(n string) string { return "+33" + n },
		func(n string) string { return "+33 " + n[0:1] + " " + n[1:5] + " " + n[5:] },
		func(n string) string { return "0033" + n },
		func(n string) string { return "0033 " + n[0:1] + " " + n[1:] },
	}
	read := 0
	for i := range 20000 {
		nine := fmt.Sprintf("%d%08d", 1+i%9, r.IntN(100_000_000))
		raw := forms[i%len(forms)](nine)
		fast, ok := parseFrench(raw)
		if !ok {
			t.Fatalf("%q not read by hand", raw)
		}
		read++
		slow, err := phonenumbers.Parse(raw, defaultRegion)
		if err != nil {
			t.Fatalf("%q: Parse: %v", raw, err)
		}
		if fast.GetCountryCode() != slow.GetCountryCode() || fast.GetNationalNumber() != slow.GetNationalNumber() ||
			fast.GetItalianLeadingZero() != slow.GetItalianLeadingZero() || fast.GetNumberOfLeadingZeros() != slow.GetNumberOfLeadingZeros() {
			t.Fatalf("%q: by hand %v, Parse %v", raw, fast, slow)
		}
		if a, b := phonenumbers.IsValidNumber(fast), phonenumbers.IsValidNumber(slow); a != b {
			t.Fatalf("%q: valid by hand %v, by Parse %v", raw, a, b)
		}
		if a, b := displayNumber(fast), displayPhone(phonenumbers.Format(slow, phonenumbers.E164)); a != b {
			t.Fatalf("%q: shown %q by hand, %q by Parse", raw, a, b)
		}
	}
	for _, raw := range []string{"", "+", "06 12 34 56 7", "06 12 34 56 789", "00 12 34 56 78", "+33 0 6 12 34 56 78",
		"+44 20 7946 0958", "0033 0612345678", "06/12/34/56/78", "(06) 12 34 56 78", "06 12 34 56 78 ext 12", "+3361234567a",
		"٠٦١٢٣٤٥٦٧٨", "06 12 34 56 78\x00"} {
		if _, ok := parseFrench(raw); ok {
			t.Errorf("%q read by hand: Parse must judge it", raw)
		}
	}
}

// TestDisplayFrenchShowsWhatPhonenumbersShows compares the hand formatting
// of French numbers with phonenumbers' on generated numbers of every
// prefix, valid or not, and leaves every other text to phonenumbers.
func TestDisplayFrenchShowsWhatPhonenumbersShows(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		e164 := fmt.Sprintf("+33%d%08d", 1+i%9, r.IntN(100_000_000))
		fast, ok := displayFrench(e164)
		if !ok {
			t.Fatalf("%q not shown by hand", e164)
		}
		num, err := phonenumbers.Parse(e164, defaultRegion)
		if err != nil {
			t.Fatalf("%q: Parse: %v", e164, err)
		}
		if slow := displayNumber(num); fast != slow {
			t.Fatalf("%q: shown %q by hand, %q by phonenumbers", e164, fast, slow)
		}
	}
	for _, e164 := range []string{"", "+33", "+3361234567", "+336123456789", "+33012345678", "+44 2079460958",
		"+442079460958", "+3361234567a", "+33 612345678", "0612345678", "+262262123456"} {
		if shown, ok := displayFrench(e164); ok {
			t.Errorf("%q shown by hand as %q: phonenumbers must show it", e164, shown)
		}
	}
}
