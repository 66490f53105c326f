package imapin

import (
	"context"
	"errors"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/rapport-crm/rapport/internal/core"
)

// The steps that can fail, for errors.Is. Every error this package returns
// is a *core.Error whose message names the step and never holds the
// password, except a Commit's own error, returned as it is wrapped with
// ErrCommit and the message's UID (so its code stays the caller's).
var (
	ErrConnect = errors.New("connection failed")                   // the server is unreachable or hung up
	ErrTLS     = errors.New("TLS failed")                          // the TLS handshake or STARTTLS failed
	ErrLogin   = errors.New("login refused")                       // the server refused the login and password
	ErrFolder  = errors.New("folder cannot be selected")           // the folder does not exist or cannot be opened
	ErrFetch   = errors.New("fetching from the server failed")     // a command failed once the folder was open
	ErrCommit  = errors.New("committing a fetched message failed") // Commit returned an error
	ErrAfter   = errors.New("the action after commit failed")      // marking \Seen or moving failed (the message is committed)
)

// stepError is the cause of a failed step: its text has the password
// removed, and it unwraps to both the step's sentinel and the original cause.
type stepError struct {
	text  string
	step  error
	cause error
}

func (e *stepError) Error() string   { return e.text }
func (e *stepError) Unwrap() []error { return []error{e.step, e.cause} }

// fail builds the *core.Error of a failed step: message is shown to users,
// with the password removed; an error after ctx ended is ctx's error.
func fail(ctx context.Context, code core.Code, step error, message string, cause error, password string) error {
	if ctx != nil && ctx.Err() != nil {
		cause = ctx.Err()
		code = core.Unavailable
		message = "stopped: " + ctx.Err().Error()
	}
	message = redact(message, password)
	return &core.Error{Code: code, Message: message, Err: &stepError{text: causeText(message, step, cause, password), step: step, cause: cause}}
}

// causeText is the cause's text, or the step's when message already says
// it, so that the error reads once.
func causeText(message string, step, cause error, password string) string {
	if cause == nil {
		return step.Error()
	}
	text := redact(cause.Error(), password)
	if strings.Contains(message, text) {
		return step.Error()
	}
	return text
}

// redact removes secret from s.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// serverText is what the server said when it refused a command, or the
// error itself for anything else (a broken connection).
func serverText(err error) string {
	var ie *imap.Error
	if errors.As(err, &ie) {
		if ie.Text != "" {
			return ie.Text
		}
		return string(ie.Type)
	}
	return err.Error()
}
