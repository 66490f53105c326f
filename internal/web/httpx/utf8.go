package httpx

import (
	"errors"
	"io"
	"unicode/utf8"
)

// ErrNotUTF8 is the read error of a request body that is not valid UTF-8,
// which JSON must be; the API answers it as a 400.
var ErrNotUTF8 = errors.New("the request body is not valid UTF-8")

// UTF8Body checks, as it is read, that a request body is valid UTF-8, and
// fails with ErrNotUTF8 otherwise, instead of letting the JSON decoder
// replace the bad bytes silently.
type UTF8Body struct {
	Body io.ReadCloser
	tail []byte // the start of a character cut by the end of the last read
	buf  []byte
}

// Read reads from the body and checks what it read.
func (b *UTF8Body) Read(p []byte) (int, error) {
	n, err := b.Body.Read(p)
	b.buf = append(append(b.buf[:0], b.tail...), p[:n]...)
	cut := len(b.buf)
	for i := len(b.buf) - 1; i >= 0 && i >= len(b.buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b.buf[i]) {
			if !utf8.FullRune(b.buf[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(b.buf[:cut]) {
		return n, ErrNotUTF8
	}
	b.tail = append(b.tail[:0], b.buf[cut:]...)
	if errors.Is(err, io.EOF) && len(b.tail) > 0 {
		return n, ErrNotUTF8
	}
	return n, err
}

// Close closes the body.
func (b *UTF8Body) Close() error { return b.Body.Close() }
