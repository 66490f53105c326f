package mail

import (
	"strings"

	"github.com/jhillyerd/enmime/v2/mediatype"
)

// header is what Parse reads of a header block: the first value of a field,
// unfolded (net/textproto's MIMEHeader and go-message's Header both are).
type header interface{ Get(key string) string }

// node is one part of a message as Parse reads it, whichever reader read it.
type node struct {
	id          string // "0" for the message, then "1", "1.2"… in order (enmime's numbering)
	header      header
	contentType string // lower-case media type; "" when absent or unreadable (read as text)
	charset     string // the declared charset, "" when none
	disposition string // "attachment", "inline" or ""
	fileName    string // decoded; "" when none
	contentID   string // without brackets
	content     []byte // transfer-decoded; a text is in UTF-8 when its charset was known
	children    []*node
}

// find returns the first node, depth first, that matches.
func (n *node) find(match func(*node) bool) *node {
	if match(n) {
		return n
	}
	for _, c := range n.children {
		if found := c.find(match); found != nil {
			return found
		}
	}
	return nil
}

// childID numbers the i-th child (from 1) of a part as enmime does.
func childID(parent string, i int) string {
	if parent == "0" {
		return itoa(i)
	}
	return parent + "." + itoa(i)
}

// itoa writes a small positive number.
func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// parseType reads a Content-Type or Content-Disposition as enmime does,
// dropping characters that cannot be in a media type ("text/plain>"). ok is
// false when it cannot be read or has malformed parameters.
func parseType(v string) (string, map[string]string, bool) {
	mtype, params, invalid, err := mediatype.ParseWithOptions(v,
		mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
	if err != nil {
		return "", map[string]string{}, false
	}
	return strings.ToLower(mtype), params, len(invalid) == 0
}

// describe fills a node's type, charset, disposition, file name and
// Content-ID from its header, as enmime does: the file name from the
// disposition's filename, else the type's name, else its file parameter,
// RFC 2047 words decoded (RFC 2231 is decoded by the media type parser).
// ok is false when a header is present but unreadable.
func (n *node) describe() bool {
	ct := n.header.Get("Content-Type")
	mtype, params, ok := parseType(ct)
	if (!ok || mtype == "") && strings.TrimSpace(ct) != "" {
		return false
	}
	n.contentType, n.charset = mtype, params["charset"]
	cd := n.header.Get("Content-Disposition")
	disposition, dparams, ok := parseType(cd)
	if !ok && strings.TrimSpace(cd) != "" {
		return false
	}
	n.disposition = disposition
	for _, name := range []string{dparams["filename"], params["name"], params["file"]} {
		if name != "" {
			n.fileName, _ = decodeHeader(name)
			break
		}
	}
	if id := strings.TrimSpace(n.header.Get("Content-Id")); id != "" {
		n.contentID = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	}
	return true
}
