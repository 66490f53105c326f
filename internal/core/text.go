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
	MaxAmount      = 1e12       // an amount of money, in units of its currency
)

// The reasons a text is refused, as field messages.
const (
	ReasonNotUTF8 = "must be valid UTF-8 text"
	ReasonNUL     = "must not contain a NUL character"
)

// ReasonTooLong says a text is over its limit.
func ReasonTooLong(max int) string { return fmt.Sprintf("at most %d characters", max) }

// ReasonTooMany says a list is over its limit.
func ReasonTooMany(max int) string { return fmt.Sprintf("at most %d items", max) }

// ReasonOutOfRange says a number is outside its bounds.
func ReasonOutOfRange(min, max int64) string {
	return fmt.Sprintf("must be between %d and %d", min, max)
}

// CheckText adds to fields why value cannot be stored as field — not valid
// UTF-8, a NUL byte, more than max characters — and reports whether it can.
func CheckText(fields Fields, field, value string, max int) bool {
	why := TextProblem(value, max)
	if why != "" {
		fields.Add(field, why)
	}
	return why == ""
}

// TextProblem says why value cannot be stored as a text of at most max
// characters, or "" when it can.
func TextProblem(value string, max int) string {
	switch {
	case !utf8.ValidString(value):
		return ReasonNotUTF8
	case strings.IndexByte(value, 0) >= 0:
		return ReasonNUL
	case len(value) > max && utf8.RuneCountInString(value) > max:
		return ReasonTooLong(max)
	}
	return ""
}

// CheckTexts checks each text of a list as field[i].
func CheckTexts(fields Fields, field string, values []string, max int) bool {
	ok := true
	for i, v := range values {
		ok = CheckText(fields, fmt.Sprintf("%s[%d]", field, i), v, max) && ok
	}
	return ok
}

// CheckRange adds to fields why value is outside [min, max] and reports
// whether it is within.
func CheckRange(fields Fields, field string, value, min, max int64) bool {
	if value < min || value > max {
		fields.Add(field, ReasonOutOfRange(min, max))
		return false
	}
	return true
}
