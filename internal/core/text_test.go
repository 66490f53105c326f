package core

import (
	"strings"
	"testing"
)

func TestATextIsStorableWhenUTF8WithoutNULAndWithinItsLimit(t *testing.T) {
	for _, c := range []struct {
		value string
		max   int
		why   string
	}{
		{"Hélène Dupré", 12, ""},
		{"Hélène Dupré", 11, ReasonTooLong(11)}, // 12 characters, 14 bytes
		{strings.Repeat("é", 100), 100, ""},
		{"", 0, ""},
		{"a\x00b", 10, ReasonNUL},
		{"caf\xe9", 10, ReasonNotUTF8},
		{"\xed\xa0\x80", 10, ReasonNotUTF8}, // a lone surrogate
	} {
		f := Fields{}
		ok := CheckText(f, "name", c.value, c.max)
		if f["name"] != c.why || ok != (c.why == "") {
			t.Errorf("%q within %d: %v %q, want %q", c.value, c.max, ok, f["name"], c.why)
		}
	}
}

func TestANumberOutOfItsRangeNamesTheField(t *testing.T) {
	f := Fields{}
	if CheckRange(f, "duration_seconds", MaxSeconds+1, 0, MaxSeconds) || f["duration_seconds"] != ReasonOutOfRange(0, MaxSeconds) {
		t.Errorf("past int4: %v", f)
	}
	if !CheckRange(f, "limit", 5, 0, 10) {
		t.Error("5 within 0..10 refused")
	}
}
