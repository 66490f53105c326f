package core

import "testing"

func TestAReasonIsWrittenInEnglishFromItsCode(t *testing.T) {
	for _, c := range []struct {
		r    Reason
		want string
	}{
		{TooLong(200), "at most 200 characters"},
		{OutOfRange(0, 2147483647), "must be between 0 and 2147483647"},
		{OneOf("inbound", "outbound"), "one of inbound, outbound"},
		{NulByte(), "must not contain a NUL character"},
		{Because("unknown_role", "role", "pilot"), "unknown role pilot"},
		{Because("no_such_code"), "no_such_code"},
	} {
		if got := c.r.English(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.r, got, c.want)
		}
	}
}

func TestRefusalsNameEachFieldWithItsReason(t *testing.T) {
	f := Fields{}
	f.Add("name", RequiredUpTo(100))
	f.Add("name", TooLong(5)) // the first reason for a field wins
	err := f.Err()
	if got := err.(*Error).Message; got != "name: required, up to 100 characters" {
		t.Errorf("one field: %q", got)
	}
	f.Add("code", Because("role_code"))
	if got := Summary(f.Err()); got != "code: required: 2 to 32 lower-case letters, digits, - or _; name: required, up to 100 characters" {
		t.Errorf("summary: %q", got)
	}
	if (Fields{}).Err() != nil {
		t.Error("no field, no error")
	}
}
