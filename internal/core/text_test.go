package core

import (
	"strings"
	"testing"
)

func TestATextIsStorableWhenUTF8WithoutNULAndWithinItsLimit(t *testing.T) {
	for _, c := range []struct {
		value string
		max   int
		why   string // the reason's English
	}{
		{"Hélène Dupré", 12, ""},
		{"Hélène Dupré", 11, "at most 11 characters"}, // 12 characters, 14 bytes
		{strings.Repeat("é", 100), 100, ""},
		{"", 0, ""},
		{"a\x00b", 10, "must not contain a NUL character"},
		{"caf\xe9", 10, "must be valid UTF-8 text"},
		{"\xed\xa0\x80", 10, "must be valid UTF-8 text"}, // a lone surrogate
	} {
		f := Fields{}
		ok := CheckText(f, "name", c.value, c.max)
		got := ""
		if why, refused := f["name"]; refused {
			got = why.English()
		}
		if got != c.why || ok != (c.why == "") {
			t.Errorf("%q within %d: %v %q, want %q", c.value, c.max, ok, got, c.why)
		}
	}
}

func TestANumberOutOfItsRangeNamesTheField(t *testing.T) {
	f := Fields{}
	if CheckRange(f, "duration_seconds", MaxSeconds+1, 0, MaxSeconds) || f["duration_seconds"].Code != "out_of_range" {
		t.Errorf("past int4: %v", f)
	}
	if !CheckRange(f, "limit", 5, 0, 10) {
		t.Error("5 within 0..10 refused")
	}
}
