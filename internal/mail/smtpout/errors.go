package smtpout

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/mail/mailconn"
)

// The steps that can fail, for errors.Is; every error this package returns
// is a *core.Error whose message names the step, carries the server's reply
// and never holds the password.
var (
	ErrConnect = errors.New("connection failed") // the server is unreachable or hung up
	ErrTLS     = errors.New("TLS failed")        // the TLS handshake failed or STARTTLS is not offered
	ErrLogin   = errors.New("login refused")     // AUTH failed or is not offered
	ErrRefused = errors.New("message refused")   // the server refused the sender, a recipient or the message
	ErrSend    = errors.New("sending failed")    // the connection failed while sending
)

// fail builds the *core.Error of a failed step: a 5xx reply is Invalid
// (retrying will not help), anything else Unavailable; after ctx ended it
// is ctx's error.
func fail(ctx context.Context, step error, message string, cause error, password string) error {
	code := core.Unavailable
	if Permanent(cause) {
		code = core.Invalid
	}
	return mailconn.Fail(ctx, code, step, message, cause, password)
}

// Permanent reports whether err carries a 5xx reply from the server (an
// unknown recipient, a refused login, a message too big): sending the same
// message again will not help.
func Permanent(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500 && se.Code < 600
}

// reply writes the server's reply as it was sent ("550 5.1.1 user
// unknown"), or the error itself when there was no reply.
func reply(err error) string {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return err.Error()
	}
	s := strconv.Itoa(se.Code)
	if e := se.EnhancedCode; e != smtp.EnhancedCodeNotSet && e != smtp.NoEnhancedCode {
		s += fmt.Sprintf(" %d.%d.%d", e[0], e[1], e[2])
	}
	if se.Message != "" {
		s += " " + strings.ReplaceAll(se.Message, "\n", " ")
	}
	return s
}

// redact removes secret from s.
func redact(s, secret string) string { return mailconn.Redact(s, secret) }
