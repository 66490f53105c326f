// Package auth signs agents in: passwords with brute-force throttling,
// server-side sessions for the browser, and API tokens for integrations. It
// turns a session cookie or a bearer token into the core.Actor every request
// runs as.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth/password"
	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
)

// Service signs agents in and out and authenticates their requests.
type Service struct {
	db       *db.DB
	clock    core.Clock
	orgs     *org.Store
	log      *audit.Log
	throttle *throttle                         // per login and client IP
	perIP    *throttle                         // per client IP, across logins
	tokens   *cache.Keyed[string, cachedToken] // valid API tokens by digest (token_cache.go)

	dummyOnce sync.Once
	dummyHash string
}

// NewService returns a Service on d, reading agents from orgs, with times
// from clock, auditing into log.
func NewService(d *db.DB, clock core.Clock, orgs *org.Store, log *audit.Log) *Service {
	s := &Service{db: d, clock: clock, orgs: orgs, log: log, throttle: newThrottle(clock),
		perIP: newIPThrottle(clock), tokens: cache.NewKeyed[string, cachedToken](cache.Access)}
	orgs.OnChange(s.tokens.Clear) // deactivating an agent revokes their tokens
	return s
}

// newSecret returns a random 32-byte value in base64url after prefix, and
// the SHA-256 hex digest that is stored in its place.
func newSecret(prefix string) (secret, digest string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, digestOf(secret), nil
}

// digestOf returns the SHA-256 hex digest of a session or API token.
func digestOf(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// burnTime spends as long as verifying a real password, so that an unknown
// login answers as slowly as a wrong password.
func (s *Service) burnTime(pw string) {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = password.Hash("rapport dummy password")
	})
	_, _ = password.Verify(s.dummyHash, pw)
}
