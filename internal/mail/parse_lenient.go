package mail

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// readLeniently reads a message the strict reader could not, with enmime:
// malformed parts are skipped with an error instead of failing the message,
// a corrupt base64 text keeps what was decoded, header lines are mended, the
// declared charset is trusted (detection only when none is declared), a
// Content-Type is read leniently (see readMediaType) and a multipart without
// boundary is read as one part. What enmime reports goes to Problems.
// headerTrouble says the header block may have swallowed body lines. When
// not even the structure can be read, ok is false and out holds the
// headers that could be read and the raw text.
func readLeniently(raw []byte, out *Parsed) (root *node, headerTrouble, ok bool) {
	parser := enmime.NewParser(
		enmime.SetCustomParseMediaType(readMediaType),
		enmime.SkipMalformedParts(true),
		enmime.SetReadPartErrorPolicy(enmime.AllowCorruptTextPartErrorPolicy),
		enmime.DisableCharacterDetection(true),
		enmime.DisableTextConversion(true),
		enmime.MultipartWOBoundaryAsSinglePart(true),
		enmime.MaxStoredPartErrors(maxProblems),
	)
	p, err := parser.ReadParts(bytes.NewReader(raw))
	if err != nil {
		out.problem(true, "the message's structure could not be read ("+err.Error()+"): its raw text is shown")
		var trouble problemCollector
		h, herr := enmime.ReadHeader(bufio.NewReader(bytes.NewReader(raw)), &trouble)
		if herr != nil || trouble.severe {
			out.Text = clean(lfLines(string(raw)))
			return nil, false, false
		}
		readHeaders(h, out)
		out.Auto, out.AutoWhy = autoReasons(h, nil)
		out.Text = clean(lfLines(string(rawBody(raw))))
		return nil, false, false
	}
	collectPartProblems(p, out)
	unreadableTypes(p, out)
	return fromEnmime(p), headerTroubleIn(p), true
}

// fromEnmime converts enmime's part tree, describing each part from its
// header as the strict reader does, and keeping enmime's reading where the
// header is unreadable.
func fromEnmime(p *enmime.Part) *node {
	n := &node{id: p.PartID, header: p.Header, content: p.Content}
	if !n.describe() {
		n.contentType, n.charset, n.disposition = p.ContentType, p.Charset, p.Disposition
		n.fileName, n.contentID = p.FileName, p.ContentID
	}
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		n.children = append(n.children, fromEnmime(c))
	}
	return n
}

// readMediaType parses a Content-Type for enmime as parseType does; one it
// cannot read gives no type, so the part is read as text (and reported by
// unreadableTypes) instead of failing the whole message. A text declared
// US-ASCII (the default of a message without MIME headers) or "utf8" is read
// as UTF-8 passed through unchanged: ASCII is a subset of it, undeclared
// 8-bit mail is mostly UTF-8, and other bytes are then detected or read as
// Windows-1252 and reported (see readText), where enmime would silently read
// them as Windows-1252 or replacement characters.
func readMediaType(ctype string) (string, map[string]string, []string, error) {
	mtype, params, _ := parseType(ctype)
	if isUTF8Compatible(params["charset"]) {
		params["charset"] = "utf-8"
	}
	return mtype, params, nil, nil
}

// problemCollector gathers what enmime's header reader reports.
type problemCollector struct{ severe bool }

// AddError records a header line enmime had to drop.
func (c *problemCollector) AddError(string, string, ...any) { c.severe = true }

// AddWarning ignores what enmime could read anyway.
func (c *problemCollector) AddWarning(string, string, ...any) {}

// isUTF8Compatible says whether a charset name is UTF-8 or ASCII, which
// UTF-8 passes through unchanged.
func isUTF8Compatible(name string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`)) {
	case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "utf8", "utf-8":
		return true
	}
	return false
}
