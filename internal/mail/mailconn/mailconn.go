// Package mailconn holds what the IMAP and SMTP clients share: how a
// connection is protected, the check of a server's address, and errors that
// name the failed step without ever holding the password.
package mailconn

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// Security is how a connection to a mail server is protected.
type Security string

// The ways to protect a connection.
const (
	SecurityTLS      Security = "tls"      // TLS from the first byte
	SecuritySTARTTLS Security = "starttls" // a plain connection upgraded with STARTTLS before credentials
	SecurityNone     Security = "none"     // no encryption: credentials travel in clear
)

// CheckServer adds to f what is wrong with a server's host, port and
// security, naming the fields.
func CheckServer(f core.Fields, host string, port int, security Security) {
	if host == "" {
		f.Add("host", core.Required())
	}
	if port < 0 || port > 65535 {
		f.Add("port", core.OutOfRange(1, 65535))
	}
	switch security {
	case SecurityTLS, SecuritySTARTTLS, SecurityNone:
	default:
		f.Add("security", core.OneOf(string(SecurityTLS), string(SecuritySTARTTLS), string(SecurityNone)))
	}
}

// stepError is the cause of a failed step: its text has the password
// removed, and it unwraps to both the step's sentinel and the original cause.
type stepError struct {
	text  string
	step  error
	cause error
}

func (e *stepError) Error() string   { return e.text }
func (e *stepError) Unwrap() []error { return []error{e.step, e.cause} }

// Fail builds the *core.Error of a failed step: message is shown to users
// with the password removed, and the error unwraps to step (for errors.Is)
// and cause; an error after ctx ended is ctx's, Unavailable.
func Fail(ctx context.Context, code core.Code, step error, message string, cause error, password string) error {
	if ctx != nil && ctx.Err() != nil {
		cause, code, message = ctx.Err(), core.Unavailable, "stopped: "+ctx.Err().Error()
	}
	message = Redact(message, password)
	return &core.Error{Code: code, Message: message, Err: &stepError{text: causeText(message, step, cause, password), step: step, cause: cause}}
}

// causeText is the cause's text, or the step's when message already says
// it, so that the error reads once.
func causeText(message string, step, cause error, password string) string {
	if cause == nil {
		return step.Error()
	}
	text := Redact(cause.Error(), password)
	if strings.Contains(message, text) {
		return step.Error()
	}
	return text
}

// Redact removes secret from s.
func Redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
