package password_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/auth/password"
	"github.com/rapport-crm/rapport/internal/core"
)

func TestHashIsAnArgon2idPHCStringThatVerifies(t *testing.T) {
	h, err := password.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not the expected PHC string", h)
	}
	ok, err := password.Verify(h, "correct horse")
	if err != nil || !ok {
		t.Fatalf("Verify(right password) = %v, %v", ok, err)
	}
	ok, err = password.Verify(h, "correct horsE")
	if err != nil || ok {
		t.Fatalf("Verify(wrong password) = %v, %v", ok, err)
	}
}

func TestSamePasswordHashesDifferentlyEachTime(t *testing.T) {
	a, _ := password.Hash("same password")
	b, _ := password.Hash("same password")
	if a == b {
		t.Fatal("two hashes of the same password are equal: salt missing")
	}
}

func TestMalformedHashIsAnErrorNotAMatch(t *testing.T) {
	good, _ := password.Hash("whatever1")
	for _, enc := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5a2V5a2V5a2V5a2V5a2V5",
		strings.TrimSuffix(good, good[len(good)-44:]),
	} {
		ok, err := password.Verify(enc, "whatever1")
		if ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want false and an error", enc, ok, err)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw    string
		valid bool
	}{
		{"", false},
		{"seven77", false},
		{"eight888", true},
		{"éééééééé", true}, // counted in characters, not bytes
		{"ééé", false},
		{strings.Repeat("x", 1025), false},
	} {
		err := password.Validate(tc.pw)
		if tc.valid && err != nil {
			t.Errorf("Validate(%q) = %v, want nil", tc.pw, err)
		}
		if !tc.valid {
			var e *core.Error
			if core.ErrorCode(err) != core.Invalid || !errors.As(err, &e) || e.Fields["password"].Code == "" {
				t.Errorf("Validate(%q) = %v, want Invalid on field password", tc.pw, err)
			}
		}
	}
}
