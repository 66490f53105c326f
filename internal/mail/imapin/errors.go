package imapin

import (
	"context"
	"errors"

	"github.com/emersion/go-imap/v2"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/mail/mailconn"
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

// fail builds the *core.Error of a failed step (mailconn.Fail).
func fail(ctx context.Context, code core.Code, step error, message string, cause error, password string) error {
	return mailconn.Fail(ctx, code, step, message, cause, password)
}

// redact removes secret from s.
func redact(s, secret string) string { return mailconn.Redact(s, secret) }

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
