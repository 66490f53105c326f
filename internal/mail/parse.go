package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Parsed is what an agent needs from a received message. Every string is
// valid UTF-8 without NUL.
type Parsed struct {
	MessageID             string   // without angle brackets; "" when absent
	InReplyTo, References []string // ids without brackets, in order
	Subject               string
	From                  Address
	ReplyTo, To, Cc       []Address
	Date                  time.Time // zero when absent or unreadable
	Text                  string    // the plain text (lines end with LF), made from the HTML when only HTML was sent
	HTML                  string    // the HTML as sent, not sanitised (the desk sanitises when showing it); "" if none
	Parts                 []Part    // attachments, inline images, forwarded messages (named "<subject>.eml")
	Auto                  bool      // an automatic message (auto-reply, bulk, report): it opens no request
	AutoWhy               string    // the headers that made it automatic
	Bounce                *Bounce   // the delivery failure it reports, nil when it is not a bounce
	Broken                bool      // some content may be missing or misread: Problems says why
	Problems              []string  // what the parser noticed, most important first
}

// Part is a file of a message: an attachment, an inline image (Inline, shown
// by the HTML through cid:ContentID) or a forwarded message.
type Part struct {
	FileName    string // as sent, else made from the subject (forwarded messages) or the part's position
	ContentType string // the media type; text parts are in UTF-8 and say so
	ContentID   string // without angle brackets; "" when none
	Inline      bool   // the HTML shows it through its Content-ID
	Data        []byte
}

// Bounce is a report that a message could not be delivered.
type Bounce struct {
	MessageIDs []string // the failed original's Message-ID(s), without brackets
	Recipient  string   // the address that failed
	Status     string   // the enhanced status code, e.g. 5.1.1; "" when not given
	Reason     string   // the server's diagnostic, else the report's human text
}

// maxProblems bounds the problems kept for one message.
const maxProblems = 20

// ContentHash returns the hex SHA-256 of a raw message: the key that dedupes
// messages without Message-ID (the same server gives the same bytes).
func ContentHash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Parse reads a received message. It never fails and never panics: what it
// could not read is in Problems, with Broken set when content may be missing
// or misread, and the raw text stands in for a body it could not find.
func Parse(raw []byte) (out *Parsed) {
	out = &Parsed{}
	defer func() {
		if r := recover(); r != nil {
			*out = Parsed{}
			out.problem(true, fmt.Sprintf("the message could not be read (%v): its raw text is shown", r))
			out.Text = clean(lfLines(string(raw)))
		}
	}()
	parseInto(raw, out, true)
	return out
}

// parseInto fills out from raw: the strict reader first (fast, for the
// well-formed mail that is most of it), the lenient one when the strict one
// meets anything it cannot read (or always, when strictFirst is false: the
// tests check both readers agree).
func parseInto(raw []byte, out *Parsed, strictFirst bool) {
	var root *node
	if strictFirst {
		root = readStrictly(raw)
	}
	headerTrouble := false
	if root == nil {
		var ok bool
		root, headerTrouble, ok = readLeniently(raw, out)
		if !ok {
			return
		}
	}
	readHeaders(root.header, out)
	readBody(root, out)
	out.Bounce = findBounce(root, out)
	out.Auto, out.AutoWhy = autoReasons(root.header, root)
	if out.Bounce != nil && !out.Auto {
		out.Auto, out.AutoWhy = true, "delivery failure report"
	}
	if bodyLost(root, headerTrouble, raw, out) {
		out.problem(true, "nothing readable was found in the message: its raw text is shown")
		if headerTrouble {
			out.Text = clean(lfLines(string(raw)))
		} else {
			out.Text = clean(lfLines(string(rawBody(raw))))
		}
	}
}

// problem records what went wrong; broken says content may be lost or misread.
func (p *Parsed) problem(broken bool, msg string) {
	if broken {
		p.Broken = true
	}
	if len(p.Problems) < maxProblems {
		p.Problems = append(p.Problems, clean(msg))
	}
}

// bodyLost says the body the raw message holds did not come out: its
// header block swallowed lines, or nothing readable came out of a non-empty
// body while no part was found in it (a boundary that never comes). A
// message whose parts are all empty lost nothing.
func bodyLost(root *node, headerTrouble bool, raw []byte, out *Parsed) bool {
	if !nothingReadable(out) {
		return false
	}
	return headerTrouble || len(root.children) == 0 && len(bytes.TrimSpace(rawBody(raw))) > 0
}

// nothingReadable says no text, HTML or file came out of the body.
func nothingReadable(p *Parsed) bool {
	return strings.TrimSpace(p.Text) == "" && strings.TrimSpace(p.HTML) == "" && len(p.Parts) == 0
}

// rawBody is what follows the header block of a raw message; nil when no
// blank line ends the header block (a message of headers only).
func rawBody(raw []byte) []byte {
	crlf := bytes.Index(raw, []byte("\r\n\r\n"))
	lf := bytes.Index(raw, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf < lf):
		return raw[crlf+4:]
	case lf >= 0:
		return raw[lf+2:]
	}
	return nil
}
