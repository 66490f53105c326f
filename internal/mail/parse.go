package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
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
	parseInto(raw, out)
	return out
}

// newParser is enmime's parser set for mail from anyone: malformed parts are
// skipped with an error instead of failing the message, a corrupt base64 text
// keeps what was decoded, the declared charset is trusted (detection only when
// none is declared), a Content-Type is read leniently (see readMediaType) and
// a multipart without boundary is read as one part.
func newParser() *enmime.Parser {
	return enmime.NewParser(
		enmime.SetCustomParseMediaType(readMediaType),
		enmime.SkipMalformedParts(true),
		enmime.SetReadPartErrorPolicy(enmime.AllowCorruptTextPartErrorPolicy),
		enmime.DisableCharacterDetection(true),
		enmime.DisableTextConversion(true),
		enmime.MultipartWOBoundaryAsSinglePart(true),
		enmime.MaxStoredPartErrors(maxProblems),
	)
}

// parseInto fills out from raw.
func parseInto(raw []byte, out *Parsed) {
	root, err := newParser().ReadParts(bytes.NewReader(raw))
	if err != nil {
		out.problem(true, "the message's structure could not be read ("+err.Error()+"): its raw text is shown")
		var headerTrouble problemCollector
		h, herr := enmime.ReadHeader(bufio.NewReader(bytes.NewReader(raw)), &headerTrouble)
		if herr != nil || headerTrouble.severe {
			out.Text = clean(lfLines(string(raw)))
			return
		}
		readHeaders(h, out)
		out.Auto, out.AutoWhy = autoReasons(h, nil)
		out.Text = clean(lfLines(string(rawBody(raw))))
		return
	}
	readHeaders(root.Header, out)
	collectPartProblems(root, out)
	unreadableTypes(root, out)
	readBody(root, out)
	out.Bounce = findBounce(root, out)
	out.Auto, out.AutoWhy = autoReasons(root.Header, root)
	if out.Bounce != nil && !out.Auto {
		out.Auto, out.AutoWhy = true, "delivery failure report"
	}
	if bodyLost(root, raw, out) {
		out.problem(true, "nothing readable was found in the message: its raw text is shown")
		if headerTroubleIn(root) {
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
func bodyLost(root *enmime.Part, raw []byte, out *Parsed) bool {
	if !nothingReadable(out) {
		return false
	}
	if headerTroubleIn(root) {
		return true
	}
	return root.FirstChild == nil && len(bytes.TrimSpace(rawBody(raw))) > 0
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

// problemCollector gathers what enmime's header reader reports.
type problemCollector struct{ severe bool }

// AddError records a header line enmime had to drop.
func (c *problemCollector) AddError(string, string, ...any) { c.severe = true }

// AddWarning ignores what enmime could read anyway.
func (c *problemCollector) AddWarning(string, string, ...any) {}

// readMediaType parses a Content-Type as enmime does, dropping characters
// that cannot be in a media type ("text/plain>"); one it still cannot read
// gives no type, so the part is read as text (and reported by
// unreadableTypes) instead of failing the whole message. A text declared
// US-ASCII (the default of a message without MIME headers) or "utf8" is read
// as UTF-8 passed through unchanged: ASCII is a subset of it, undeclared
// 8-bit mail is mostly UTF-8, and other bytes are then detected or read as
// Windows-1252 and reported (see readBody), where enmime would silently read
// them as Windows-1252 or replacement characters.
func readMediaType(ctype string) (string, map[string]string, []string, error) {
	mtype, params, invalid, err := mediatype.ParseWithOptions(ctype,
		mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
	if err != nil {
		return "", map[string]string{}, nil, nil
	}
	if cs, ok := params["charset"]; ok {
		switch strings.ToLower(strings.Trim(strings.TrimSpace(cs), `"'`)) {
		case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "utf8", "utf-8":
			params["charset"] = "utf-8"
		}
	}
	return mtype, params, invalid, err
}
