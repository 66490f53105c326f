// Package password hashes and verifies agents' passwords with argon2id and
// enforces the password rules.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/rapport-crm/rapport/internal/core"
)

// The argon2id parameters of new hashes (OWASP's second recommended set).
const (
	memoryKiB = 19456
	passes    = 2
	threads   = 1
	saltLen   = 16
	keyLen    = 32
)

// MinLength and MaxLength bound a password's length in characters.
const (
	MinLength = 8
	MaxLength = 1024
)

// ErrMalformedHash is returned by Verify for a stored value that is not an
// argon2id PHC string.
var ErrMalformedHash = errors.New("malformed argon2id hash")

// Validate checks a new password against the rules; it returns a core Invalid
// error on the "password" field.
func Validate(pw string) error {
	f := core.Fields{}
	switch n := utf8.RuneCountInString(pw); {
	case n < MinLength:
		f.Add("password", core.Because("password_too_short", "min", MinLength))
	case n > MaxLength:
		f.Add("password", core.Because("password_too_long", "max", MaxLength))
	}
	return f.Err()
}

// Hash returns the argon2id PHC string of pw:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, both in unpadded base64.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memoryKiB, passes, threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, comparing in constant
// time. The parameters are read from the hash, so older hashes keep working
// when the defaults change.
func Verify(encoded, pw string) (bool, error) {
	p, err := parse(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.passes, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type params struct {
	memory, passes uint32
	threads        uint8
	salt, key      []byte
}

func parse(encoded string) (params, error) {
	var p params
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.passes, &p.threads); err != nil {
		return p, ErrMalformedHash
	}
	// Refuse absurd parameters so a tampered row cannot exhaust the server.
	if p.memory < 8 || p.memory > 1<<21 || p.passes < 1 || p.passes > 16 || p.threads < 1 {
		return p, ErrMalformedHash
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return p, ErrMalformedHash
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 128 {
		return p, ErrMalformedHash
	}
	return p, nil
}
