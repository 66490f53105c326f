package party

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// defaultRegion is the country assumed for numbers written without one.
const defaultRegion = "FR"

// errInvalidPhone is returned for text that is not a valid phone number.
var errInvalidPhone = errors.New("not a valid phone number")

// NormalizePhone returns raw in E.164 ("+33612345678"), reading national
// numbers as French; "06 12 34 56 78", "+33 6 12 34 56 78" and
// "0033 6 12 34 56 78" all give the same result. Invalid numbers are an error.
func NormalizePhone(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errInvalidPhone
	}
	num, err := phonenumbers.Parse(raw, defaultRegion)
	if err != nil {
		return "", errInvalidPhone
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", errInvalidPhone
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// displayPhone formats an E.164 number the way people write it: nationally
// for French numbers ("06 12 34 56 78"), internationally otherwise.
func displayPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, defaultRegion)
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(num) == defaultRegion {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
