package httpx

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestARequestBodyMustBeUTF8EvenCutAcrossReads(t *testing.T) {
	for body, valid := range map[string]bool{
		`{"name": "Zoé Lefèvre — 😀"}`:  true,
		"":                             true,
		"{\"name\": \"caf\xe9\"}":      false,
		"{\"name\": \"\xf0\x9f\x98\"}": false,
		"ok\xc3":                       false,
	} {
		// One byte per read: every character is cut somewhere.
		r := &UTF8Body{Body: io.NopCloser(iotest.OneByteReader(strings.NewReader(body)))}
		_, err := io.ReadAll(r)
		if valid && err != nil || !valid && !errors.Is(err, ErrNotUTF8) {
			t.Errorf("%q: %v", body, err)
		}
	}
}
