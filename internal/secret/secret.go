// Package secret keeps what Rapport must remember but never show: mailbox
// passwords are sealed with AES-256-GCM under one key before they reach the
// database, and the desk signs the thread tokens of the mail it sends with
// a key derived from the same one. The key comes from RAPPORT_SECRET_KEY or,
// when that is unset, from a key file generated once in the data directory.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeyFileName is the key file's name in the data directory.
const KeyFileName = "secret.key"

// sealedPrefix marks a sealed value and its format version.
const sealedPrefix = "v1:"

// Key seals and opens secrets and signs tokens. Its String never shows it.
type Key struct {
	aead cipher.AEAD
	sign []byte
}

// New derives a Key from material: 32 bytes given in hex or base64 are used
// as they are; any other text is hashed (SHA-256) into a key.
func New(material string) (*Key, error) {
	material = strings.TrimSpace(material)
	if material == "" {
		return nil, errors.New("secret key is empty")
	}
	raw := decodeKey(material)
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	mac := hmac.New(sha256.New, raw)
	mac.Write([]byte("rapport thread tokens"))
	return &Key{aead: aead, sign: mac.Sum(nil)}, nil
}

func decodeKey(s string) []byte {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b
	}
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// Load returns the key of envValue (RAPPORT_SECRET_KEY) when set, else the
// one in dataDir/secret.key, generating that file (mode 0600) the first
// time. Several instances sharing one database must share the key: set
// RAPPORT_SECRET_KEY on each.
func Load(envValue, dataDir string) (*Key, error) {
	if strings.TrimSpace(envValue) != "" {
		return New(envValue)
	}
	path := filepath.Join(dataDir, KeyFileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("secret key directory: %w", err)
		}
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		text := hex.EncodeToString(fresh) + "\n"
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) { // another process made it first
			return Load("", dataDir)
		}
		if err != nil {
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		if _, err := f.WriteString(text); err != nil {
			f.Close()
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		return New(text)
	}
	if err != nil {
		return nil, fmt.Errorf("secret key file: %w", err)
	}
	return New(string(b))
}

// String hides the key in logs and error messages.
func (k *Key) String() string { return "secret.Key(hidden)" }

// Seal encrypts plain; the empty string stays empty (no secret set).
func (k *Key) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrWrongKey says a sealed value was sealed under another key (the key
// file was lost or RAPPORT_SECRET_KEY changed): the secret must be typed
// again.
var ErrWrongKey = errors.New("the secret was sealed with another key: enter it again")

// Open decrypts a value Seal made.
func (k *Key) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	body, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", errors.New("not a sealed secret")
	}
	b, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("not a sealed secret")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", ErrWrongKey
	}
	return string(plain), nil
}

// Sign returns a short signature of parts (12 hex characters: 48 bits,
// enough for a token a forger gets one try per mail).
func (k *Key) Sign(parts ...string) string {
	mac := hmac.New(sha256.New, k.sign)
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil))[:12]
}

// Verify reports whether sig is Sign(parts...), in constant time.
func (k *Key) Verify(sig string, parts ...string) bool {
	return hmac.Equal([]byte(sig), []byte(k.Sign(parts...)))
}
