package mail

import (
	"net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/core"
)

// composedHeaders are the headers Compose writes itself; Headers may not set
// them.
var composedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Reply-To": true, "Sender": true,
	"Subject": true, "Date": true, "Message-Id": true, "In-Reply-To": true, "References": true,
	"Mime-Version": true, "Auto-Submitted": true, "Content-Type": true,
	"Content-Transfer-Encoding": true, "Content-Disposition": true, "Content-Id": true,
}

// check refuses what would make a wrong or unsafe message: a missing date,
// id or recipient, an invalid address, an id that is not one, a header name
// that is not a token or a value that would break the header.
func (o Outgoing) check() error {
	if o.Date.IsZero() {
		return core.Errorf(core.Invalid, "the message has no date")
	}
	if !isMessageID(o.MessageID) {
		return core.Errorf(core.Invalid, "the Message-ID %q is not an id", o.MessageID)
	}
	if o.InReplyTo != "" && !isMessageID(o.InReplyTo) {
		return core.Errorf(core.Invalid, "the In-Reply-To %q is not an id", o.InReplyTo)
	}
	for _, id := range o.References {
		if !isMessageID(id) {
			return core.Errorf(core.Invalid, "the reference %q is not an id", id)
		}
	}
	if len(o.To)+len(o.Cc) == 0 {
		return core.Errorf(core.Invalid, "the message has no recipient")
	}
	for _, a := range append(append([]Address{o.From}, o.To...), o.Cc...) {
		if err := checkAddress(a); err != nil {
			return err
		}
	}
	if !safeHeaderValue(o.Subject) {
		return core.Errorf(core.Invalid, "the subject holds a NUL byte or is not UTF-8")
	}
	for name, value := range o.Headers {
		canonical := canonicalName(name)
		if !isToken(name) || composedHeaders[canonical] {
			return core.Errorf(core.Invalid, "the header %q cannot be set", name)
		}
		if !safeHeaderValue(value) || strings.ContainsAny(value, "\r\n") {
			return core.Errorf(core.Invalid, "the header %s has a value that would break the message", canonical)
		}
	}
	for _, p := range o.Inline {
		if !isMessageID(p.ContentID) {
			return core.Errorf(core.Invalid, "the inline part %q needs a Content-ID without spaces or brackets", p.FileName)
		}
	}
	return nil
}

// checkAddress refuses an address a server would refuse or misread.
func checkAddress(a Address) error {
	email := strings.TrimSpace(a.Email)
	parsed, err := mail.ParseAddress(email)
	if email == "" || err != nil || parsed.Address != email {
		return core.Errorf(core.Invalid, "%q is not an email address", a.Email)
	}
	if !safeHeaderValue(a.Name) {
		return core.Errorf(core.Invalid, "the name of %s holds a NUL byte or is not UTF-8", email)
	}
	return nil
}

// isMessageID accepts a message id without brackets: printable ASCII, no
// spaces, brackets or quotes.
func isMessageID(id string) bool {
	if id == "" || len(id) > 900 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}

// isToken accepts a header name (RFC 5322 field name: printable ASCII but
// the colon).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// safeHeaderValue accepts valid UTF-8 without NUL (line breaks are folded
// into spaces by oneLine where allowed).
func safeHeaderValue(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// canonicalName is a header name in its usual case.
func canonicalName(name string) string {
	return textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
}
