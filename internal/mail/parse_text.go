package mail

import (
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// textFlaws says what cleanText had to change.
type textFlaws struct {
	nul     bool // NUL bytes removed
	invalid bool // bytes that are not UTF-8, read as Windows-1252
}

// cleanText returns s as valid UTF-8 without NUL: each byte that is not part
// of a UTF-8 sequence is read as Windows-1252 (a superset of Latin-1, the
// usual charset of mail that does not say its own), NULs are dropped.
func cleanText(s string) (string, textFlaws) {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s, textFlaws{}
	}
	var f textFlaws
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0 {
			f.nul = true
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			f.invalid = true
			b.WriteRune(charmap.Windows1252.DecodeByte(c))
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String(), f
}

// clean is cleanText when what changed does not matter (names, ids).
func clean(s string) string {
	out, _ := cleanText(s)
	return out
}

// charsetEncoding finds a charset by its MIME or WHATWG name.
func charsetEncoding(name string) (encoding.Encoding, bool) {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, true
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, true
	}
	return nil, false
}

// decodeCharset converts data from a named charset to UTF-8; UTF-8 and
// ASCII pass unchanged, so bytes that are not UTF-8 reach readText.
func decodeCharset(name string, data []byte) ([]byte, error) {
	if isUTF8Compatible(name) {
		return data, nil
	}
	e, ok := charsetEncoding(name)
	if !ok {
		return nil, errUnknownCharset(name)
	}
	return e.NewDecoder().Bytes(data)
}

// charsetReader converts from a named charset for mime.WordDecoder.
func charsetReader(name string, r io.Reader) (io.Reader, error) {
	e, ok := charsetEncoding(name)
	if !ok {
		return nil, errUnknownCharset(name)
	}
	return e.NewDecoder().Reader(r), nil
}

// errUnknownCharset is the error of a charset nobody knows.
type errUnknownCharset string

func (e errUnknownCharset) Error() string { return "unknown charset " + string(e) }

// decodeHeader decodes a header value's RFC 2047 encoded words, in any charset
// x/text knows; a value it cannot
// decode (an unknown charset) is returned as it is, with ok false.
func decodeHeader(v string) (string, bool) {
	if !strings.Contains(v, "=?") {
		return v, true
	}
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	d, err := dec.DecodeHeader(v)
	if err != nil {
		return v, false
	}
	return d, true
}

// oneLine turns the line breaks and tabs a header value may hold into spaces
// and trims it.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// firstRunes cuts s to at most n runes.
func firstRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// lfLines ends lines with LF alone: Text is the same whatever the line ends
// of the message (IMAP gives CRLF, files often LF).
func lfLines(s string) string {
	if strings.Contains(s, "\r\n") {
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}
