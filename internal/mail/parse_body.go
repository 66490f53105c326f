package mail

import (
	"bufio"
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"github.com/inbucket/html2text"
	"github.com/jhillyerd/enmime/v2"
)

// body gathers what the walk of the part tree finds.
type body struct {
	text, html   []string // cleaned
	files        []*node
	flaws        textFlaws // what cleaning the text and HTML changed
	detected     []string  // charsets detected for parts not in their declared one
	unstructured bool      // a multipart without parts was shown as text
}

// alternatives remembers which body an enclosing multipart/alternative has
// already given: the first text and the first HTML are the body, any other
// version is kept as a file so nothing is lost.
type alternatives struct{ text, html bool }

// readBody fills Text, HTML and Parts: text/plain and text/html parts that
// are not files (no attachment disposition, no file name) are the body, the
// other leaves are Parts. Text is made from the HTML when only HTML was sent.
func readBody(root *node, out *Parsed) {
	var b body
	b.walk(root, nil)
	if b.unstructured {
		out.problem(true, "a multipart part has no readable boundary: its raw content is shown as text")
	}
	if len(b.detected) > 0 {
		out.problem(false, "the body is not in its declared charset: read as "+strings.Join(b.detected, ", "))
	}
	if b.flaws.invalid {
		out.problem(true, "the body holds bytes that are not in its declared charset: read as Windows-1252")
	}
	if b.flaws.nul {
		out.problem(true, "the body holds NUL bytes: removed")
	}
	text := lfLines(strings.Join(b.text, "\n\n"))
	html := strings.Join(b.html, "\n")
	out.HTML = html
	out.Text = text
	if strings.TrimSpace(text) == "" && strings.TrimSpace(html) != "" {
		derived, err := html2text.FromString(html)
		if err != nil {
			out.problem(false, "no text could be made from the HTML: "+err.Error())
		}
		out.Text = clean(lfLines(derived))
	}
	out.Parts = make([]Part, 0, len(b.files))
	for _, p := range b.files {
		out.Parts = append(out.Parts, filePart(p, out.HTML))
	}
	if len(out.Parts) == 0 {
		out.Parts = nil
	}
}

// walk visits the part tree depth first, in the order of the message.
func (b *body) walk(p *node, alt *alternatives) {
	if len(p.children) > 0 {
		if p.contentType == "multipart/alternative" {
			alt = &alternatives{}
		}
		for _, c := range p.children {
			b.walk(c, alt)
		}
		return
	}
	switch {
	case strings.HasPrefix(p.contentType, "multipart/"):
		// A multipart that holds no part: its content, if any, was not
		// structured (no boundary): show it as text.
		if len(bytes.TrimSpace(p.content)) > 0 {
			b.text = append(b.text, b.readText(p, false))
			b.unstructured = true
		}
		return
	case isBody(p, "text/plain") && (alt == nil || !alt.text):
		b.text = append(b.text, b.readText(p, false))
		if alt != nil {
			alt.text = true
		}
		return
	case isBody(p, "text/html") && (alt == nil || !alt.html):
		b.html = append(b.html, b.readText(p, true))
		if alt != nil {
			alt.html = true
		}
		return
	}
	b.files = append(b.files, p)
}

// isBody says whether p is a body part of the given type (a part without
// type is text): one that is neither an attachment nor named as a file.
func isBody(p *node, mediaType string) bool {
	ct := p.contentType
	if ct == "" {
		ct = "text/plain"
	}
	return ct == mediaType && p.disposition != "attachment" && p.fileName == ""
}

// readText is a body part's text in clean UTF-8, converted from its
// declared charset by the reader. When bytes that are not UTF-8 remain (a
// wrong or missing declaration), the charset is detected (chardet on 100
// bytes or more: 85% confidence, as enmime asks, or 50% for the Latin-1
// family, which the fallback would choose anyway), else the bytes are read
// as Windows-1252 and the message is broken.
func (b *body) readText(p *node, html bool) string {
	if utf8.Valid(p.content) {
		s, f := cleanText(string(p.content))
		b.flaws.nul = b.flaws.nul || f.nul
		return s
	}
	if s, name, ok := detectCharset(p.content, html); ok {
		b.detected = append(b.detected, name)
		s, f := cleanText(s)
		b.flaws.nul = b.flaws.nul || f.nul
		return s
	}
	s, f := cleanText(string(p.content))
	b.flaws.nul = b.flaws.nul || f.nul
	b.flaws.invalid = b.flaws.invalid || f.invalid
	return s
}

// detectCharset guesses the charset of a text that is not UTF-8 and
// converts it, when the guess is confident.
func detectCharset(data []byte, html bool) (string, string, bool) {
	if len(data) < 100 {
		return "", "", false
	}
	detector := chardet.NewTextDetector()
	if html {
		detector = chardet.NewHtmlDetector()
	}
	r, err := detector.DetectBest(data)
	if err != nil || r == nil || strings.HasPrefix(strings.ToLower(r.Charset), "utf-8") {
		return "", "", false
	}
	switch strings.ToLower(r.Charset) {
	case "iso-8859-1", "iso-8859-15", "windows-1252":
		if r.Confidence < 50 {
			return "", "", false
		}
	default:
		if r.Confidence < 85 {
			return "", "", false
		}
	}
	enc, ok := charsetEncoding(r.Charset)
	if !ok {
		return "", "", false
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", false
	}
	return string(out), r.Charset, true
}

// filePart turns a leaf into a Part. A text file is in UTF-8 once enmime
// converted it, and its type says so.
func filePart(p *node, html string) Part {
	ct := p.contentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	if strings.HasPrefix(ct, "text/") {
		if utf8.Valid(p.content) {
			ct += "; charset=utf-8"
		} else if cs := strings.TrimSpace(p.charset); cs != "" && !strings.ContainsAny(cs, "\";\\ ") {
			ct += "; charset=" + strings.ToLower(clean(cs))
		}
	}
	part := Part{
		FileName:    oneLine(clean(p.fileName)),
		ContentType: clean(ct),
		ContentID:   strings.TrimSpace(clean(p.contentID)),
		Data:        p.content,
	}
	if part.FileName == "" {
		part.FileName = defaultFileName(p, ct)
	}
	part.Inline = part.ContentID != "" && strings.Contains(html, "cid:"+part.ContentID)
	return part
}

// defaultFileName names a part sent without a name: a forwarded message by
// its subject, any other by its position in the message and its type.
func defaultFileName(p *node, ct string) string {
	if isMessage(ct) {
		subject := ""
		var c problemCollector
		if h, err := enmime.ReadHeader(bufio.NewReader(bytes.NewReader(p.content)), &c); err == nil {
			subject, _ = decodeHeader(h.Get("Subject"))
		}
		name := safeFileName(oneLine(clean(subject)))
		if name == "" {
			name = "message"
		}
		return name + ".eml"
	}
	return "part-" + safeFileName(p.id) + extensionOf(ct)
}

// isMessage says whether a media type is a whole message.
func isMessage(ct string) bool {
	return strings.HasPrefix(ct, "message/rfc822") || strings.HasPrefix(ct, "message/global")
}

// safeFileName makes a subject usable as a file name: no path separators,
// reserved or control characters, at most 100 characters.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < ' ' || r == 0x7f:
			return -1
		case strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, s)
	return strings.Trim(firstRunes(s, 100), " .")
}

// extensionOf is the usual file extension of a media type, ".bin" when
// unknown (a fixed list: the system's MIME table differs between machines).
func extensionOf(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "text/plain", "message/delivery-status", "message/global-delivery-status",
		"text/rfc822-headers", "message/disposition-notification":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/calendar":
		return ".ics"
	case "text/csv":
		return ".csv"
	case "image/png":
		return ".png"
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	case "application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature":
		return ".sig"
	}
	return ".bin"
}
