package auth

import (
	"context"
	"database/sql"
	"sync"

	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/db"
)

// cachedToken is what TokenActor needs of a valid token.
type cachedToken struct {
	id, agentID       string
	lastUsed, expires sql.NullInt64
}

// tokenCache keeps the valid tokens TokenActor read, by digest, so an API
// request reads no token row (docs/performance.md, "Bank scale: many
// agents at once"). A revocation through this Service empties it when its
// transaction commits; one on another instance, or the revocation of an
// agent's tokens when the agent is deactivated (org), moves the version of
// cache.APITokens, which every instance reads at most once per
// cache.CheckEvery. Expiry is checked on each request; unknown tokens are
// not kept.
type tokenCache struct {
	version  cache.Version
	mu       sync.Mutex
	byDigest map[string]cachedToken
}

// get returns the token of digest, after dropping them all if a token was
// revoked since they were read.
func (c *tokenCache) get(ctx context.Context, q db.Querier, digest string) (cachedToken, bool, error) {
	changed, err := c.version.Changed(ctx, q, cache.APITokens)
	if err != nil {
		return cachedToken{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if changed {
		c.byDigest = nil
	}
	t, ok := c.byDigest[digest]
	return t, ok, nil
}

// put keeps t under digest.
func (c *tokenCache) put(digest string, t cachedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byDigest == nil {
		c.byDigest = map[string]cachedToken{}
	}
	c.byDigest[digest] = t
}

// touched records the last use written for digest's token.
func (c *tokenCache) touched(digest string, ms int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.byDigest[digest]; ok {
		t.lastUsed = sql.NullInt64{Int64: ms, Valid: true}
		c.byDigest[digest] = t
	}
}

// clear drops every kept token.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byDigest = nil
}
