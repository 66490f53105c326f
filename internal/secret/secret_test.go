package secret_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/secret"
)

func TestSealOpenAndWrongKey(t *testing.T) {
	k, err := secret.New("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := k.Seal("imap-password")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "imap-password") {
		t.Fatalf("sealed value shows the secret: %s", sealed)
	}
	if got, err := k.Open(sealed); err != nil || got != "imap-password" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := secret.New("another key")
	if _, err := other.Open(sealed); !errors.Is(err, secret.ErrWrongKey) {
		t.Fatalf("Open with another key: %v, want ErrWrongKey", err)
	}
	if s, _ := k.Seal(""); s != "" {
		t.Fatalf("empty secret sealed to %q", s)
	}
}

func TestLoadGeneratesKeyFileOnce(t *testing.T) {
	dir := t.TempDir()
	k1, err := secret.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, secret.KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	sealed, _ := k1.Seal("x")
	k2, err := secret.Load("", dir) // a restart reads the same key
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k2.Open(sealed); err != nil || got != "x" {
		t.Fatalf("after restart Open = %q, %v", got, err)
	}
	if k1.String() != "secret.Key(hidden)" {
		t.Errorf("String shows %q", k1.String())
	}
}

func TestSignVerify(t *testing.T) {
	k, _ := secret.New("k")
	sig := k.Sign("msg-id", "request-id")
	if !k.Verify(sig, "msg-id", "request-id") || k.Verify(sig, "msg-id", "other") {
		t.Fatal("signature does not bind its parts")
	}
}
