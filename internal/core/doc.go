// Package core holds the kinds every domain package shares: coded errors,
// application-generated IDs, the injected clock, the acting agent with their
// permissions and geographic scope, and opaque pagination cursors.
package core
