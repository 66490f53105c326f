// Package httpx holds the small HTTP pieces the API and the UI share: the one
// mapping from errors to codes and statuses, the error body, client addresses,
// bearer tokens and the session cookie's name.
package httpx

import (
	"net"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// RetryAfter is the Retry-After header's value, in seconds, of a 503: the
// time after which a client may try again when the database is out.
const RetryAfter = "5"

// Code returns the code err answers with: its own for a domain error,
// Unavailable when the database cannot be reached (so integrations retry
// instead of dropping their credentials or reporting a bug), Internal
// for anything else.
func Code(err error) core.Code {
	code := core.ErrorCode(err)
	if code == core.Internal && db.IsUnavailable(err) {
		return core.Unavailable
	}
	return code
}

// Message returns what err says to people: its message, or a generic one
// for internal errors and outages.
func Message(err error) string {
	if Code(err) == core.Unavailable && core.ErrorCode(err) != core.Unavailable {
		return "the service is temporarily unavailable: try again in a few seconds"
	}
	return core.ErrorMessage(err)
}

// Status maps an error code to its HTTP status. This is the only place where
// domain errors meet HTTP.
func Status(code core.Code) int {
	switch code {
	case core.Invalid:
		return http.StatusUnprocessableEntity
	case core.BadRequest:
		return http.StatusBadRequest
	case core.Unauthorized:
		return http.StatusUnauthorized
	case core.Forbidden:
		return http.StatusForbidden
	case core.NotFound:
		return http.StatusNotFound
	case core.Conflict:
		return http.StatusConflict
	case core.Gone, core.Expired:
		return http.StatusGone
	case core.TooManyTries:
		return http.StatusTooManyRequests
	case core.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// ErrorDetail says what went wrong: a stable code, a message for people and,
// for validation errors, the fields at fault, each with its reason in
// English (Fields) and as a stable code with parameters (Reasons).
type ErrorDetail struct {
	Code    string                 `json:"code" doc:"Stable error code: invalid, bad_request, unauthorized, forbidden, not_found, conflict, gone, expired, too_many_tries, internal, unavailable."`
	Message string                 `json:"message" doc:"What went wrong, in English, for people."`
	Fields  map[string]string      `json:"fields,omitempty" doc:"For validation errors: each field at fault (e.g. emails[0].address) with why, in English."`
	Reasons map[string]core.Reason `json:"reasons,omitempty" doc:"The same fields with a machine-readable reason: a stable code (e.g. too_long, out_of_range, one_of, required) and its parameters (e.g. {\"max\": 200}). Codes never change when messages are reworded."`
}

// FieldsDetail fills the detail's fields and reasons from f.
func (d *ErrorDetail) FieldsDetail(f core.Fields) {
	if len(f) == 0 {
		return
	}
	d.Fields, d.Reasons = f.English(), f
}

// ClientIP returns the address of the client, without port: the peer of
// the connection (X-Forwarded-For is not trusted).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// BearerToken returns the token of an "Authorization: Bearer …" header.
func BearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// SessionCookie is the name of the UI's session cookie.
const SessionCookie = "rapport_session"
