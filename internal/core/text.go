package core

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The length limits of text fields, in characters, checked once at the edge
// (domain validation, which the API, the UI and the imports share) and
// documented in the OpenAPI document, whose maxLength tags a test compares
// with these. Every text also has to be valid UTF-8 without a NUL byte,
// which PostgreSQL refuses (SQLite would store it).
const (
	MaxName        = 200        // a person's first or last name, an organisation's, an agent's, a unit's, a token's
	MaxCode        = 100        // codes and logins: units, agents, agencies, sources, segments, products, kinds
	MaxExternalID  = 200        // an integration's own id of an interaction
	MaxCoordinate  = 320        // an email address or phone number as written, a from/to/cc of an interaction
	MaxRecipients  = 200        // the to and cc of an interaction, each
	MaxAddressLine = 200        // a postal address line or city
	MaxPostalCode  = 20         // a postal code
	MaxSubject     = 1_000      // an interaction's subject
	MaxBody        = 1_000_000  // an interaction's body (text or HTML)
	MaxComment     = 5_000      // a meeting report's comment
	MaxQuery       = 200        // a search box or search criterion
	MaxPassword    = 200        // a password as typed
	MaxLongText    = 10_000     // any other free text
	MaxSeconds     = 2147483647 // a duration in seconds (the column is a 32-bit integer)
)

// CheckText adds to fields why value cannot be stored as field — not valid
// UTF-8 (invalid_utf8), a NUL byte (nul_byte), more than max characters
// (too_long) — and reports whether it can.
func CheckText(fields Fields, field, value string, max int) bool {
	why, bad := TextProblem(value, max)
	if bad {
		fields.Add(field, why)
	}
	return !bad
}

// TextProblem says why value cannot be stored as a text of at most max
// characters; bad is false when it can.
func TextProblem(value string, max int) (why Reason, bad bool) {
	switch {
	case !utf8.ValidString(value):
		return InvalidUTF8(), true
	case strings.IndexByte(value, 0) >= 0:
		return NulByte(), true
	case len(value) > max && utf8.RuneCountInString(value) > max:
		return TooLong(max), true
	}
	return Reason{}, false
}

// CheckTexts checks each text of a list as field[i].
func CheckTexts(fields Fields, field string, values []string, max int) bool {
	ok := true
	for i, v := range values {
		ok = CheckText(fields, fmt.Sprintf("%s[%d]", field, i), v, max) && ok
	}
	return ok
}

// CheckRange adds to fields why value is outside [min, max] (out_of_range)
// and reports whether it is within.
func CheckRange(fields Fields, field string, value, min, max int64) bool {
	if value < min || value > max {
		fields.Add(field, OutOfRange(min, max))
		return false
	}
	return true
}
