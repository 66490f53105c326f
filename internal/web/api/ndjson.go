package api

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lines reads an NDJSON body line by line. A line longer than max is not
// kept: it is read through to its end and reported as too long, so the
// lines after it are read as usual.
type lines struct {
	r       *bufio.Reader
	max     int
	n       int    // the number of the line last read
	line    []byte // its text, unless too long
	tooLong bool
	err     error
}

func newLines(r io.Reader, max int) *lines {
	return &lines{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next reads the next line; false at the end of the body or on a read error
// (see err).
func (l *lines) next() bool {
	l.line, l.tooLong = l.line[:0], false
	read := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !l.tooLong {
			if len(l.line)+len(chunk) > l.max+1 { // +1: the newline
				l.tooLong, l.line = true, l.line[:0]
			} else {
				l.line = append(l.line, chunk...)
			}
		}
		switch {
		case err == nil:
			l.n++
			return true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if read {
				l.n++
				return true
			}
			return false
		default:
			l.err = err
			return false
		}
	}
}

// text returns the line without surrounding blanks.
func (l *lines) text() []byte { return bytes.TrimSpace(l.line) }
