// Package httpx holds the small HTTP pieces the API and the UI share: the one
// mapping from error codes to statuses, client addresses and JSON writing.
package httpx

import (
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

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
	case core.TooManyTries:
		return http.StatusTooManyRequests
	case core.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong: a stable code, a message for people and,
// for validation errors, the fields at fault.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Describe turns err into its status and body; internal errors are logged and
// replaced by a generic message.
func Describe(logger *slog.Logger, r *http.Request, err error) (int, ErrorBody) {
	code := core.ErrorCode(err)
	status := Status(code)
	if status >= 500 {
		logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := ErrorBody{Error: ErrorDetail{Code: string(code), Message: core.ErrorMessage(err)}}
	if e, ok := err.(*core.Error); ok && len(e.Fields) > 0 {
		body.Error.Fields = e.Fields
	}
	return status, body
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError writes err as the API's JSON error envelope.
func WriteError(logger *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	status, body := Describe(logger, r, err)
	WriteJSON(w, status, body)
}

// ClientIP returns the address of the client, without port. Behind a proxy,
// operators set RAPPORT_TRUST_PROXY so X-Forwarded-For is honoured upstream.
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
