package auth

import "database/sql"

// cachedToken is what TokenActor needs of a valid token. The valid tokens
// TokenActor read are kept by digest (Service.tokens, a cache.Keyed on
// cache.Access), so an API request reads no token row
// (docs/performance.md, "Bank scale: quick search"). A revocation through
// this Service, or any change of the organisation through its org.Store
// (deactivating an agent revokes theirs), empties it when its transaction
// commits; one on another instance moves the version of cache.Access,
// which every instance reads at most once per cache.CheckEvery. Expiry is
// checked on each request; unknown tokens are not kept.
type cachedToken struct {
	id, agentID       string
	lastUsed, expires sql.NullInt64
}
