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
	num, err := parsePhone(raw)
	if err != nil {
		return "", err
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// parsePhone reads raw as NormalizePhone does and returns the valid number;
// the usual French forms are read by hand (parseFrench).
func parsePhone(raw string) (*phonenumbers.PhoneNumber, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errInvalidPhone
	}
	num, ok := parseFrench(raw)
	if !ok {
		var err error
		if num, err = phonenumbers.Parse(raw, defaultRegion); err != nil {
			return nil, errInvalidPhone
		}
	}
	if !phonenumbers.IsValidNumber(num) {
		return nil, errInvalidPhone
	}
	return num, nil
}

// displayPhone formats an E.164 number the way people write it: nationally
// for French numbers ("06 12 34 56 78"), internationally otherwise.
func displayPhone(e164 string) string {
	if shown, ok := displayFrench(e164); ok {
		return shown
	}
	num, err := phonenumbers.Parse(e164, defaultRegion)
	if err != nil {
		return e164
	}
	return displayNumber(num)
}

// displayNumber formats a parsed number as displayPhone does.
func displayNumber(num *phonenumbers.PhoneNumber) string {
	if num.GetCountryCode() == frenchCountryCode && phonenumbers.GetRegionCodeForNumber(num) == defaultRegion {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
