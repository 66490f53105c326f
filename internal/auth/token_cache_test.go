package auth_test

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

// Tokens are kept in memory between requests: a revocation applies at once
// on the instance that made it and within about a second on another
// instance, and a token revoked by deactivating its agent stays revoked when
// the agent comes back.
func TestKeptTokensFollowRevocations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		log := audit.New(d, e.clock)
		otherOrgs := org.NewStore(d, e.clock, log)
		other := auth.NewService(d, e.clock, otherOrgs, log) // a second instance
		gateway, err := e.auth.CreateToken(ctx, e.admin, "mail gateway", "marie")
		if err != nil {
			t.Fatal(err)
		}
		phone, err := e.auth.CreateToken(ctx, e.admin, "telephony", "marie")
		if err != nil {
			t.Fatal(err)
		}
		var gatewayID string
		for _, s := range []*auth.Service{e.auth, other} {
			for _, token := range []string{gateway, phone} {
				actor, err := s.TokenActor(ctx, token)
				if err != nil {
					t.Fatalf("before any revocation: %v", err)
				}
				if token == gateway {
					gatewayID = actor.TokenID
				}
			}
		}

		if err := e.auth.RevokeToken(ctx, e.admin, gatewayID); err != nil {
			t.Fatal(err)
		}
		_, err = e.auth.TokenActor(ctx, gateway)
		wantCode(t, err, core.Unauthorized)
		dbtest.Eventually(t, "the other instance refuses the revoked token", func() bool {
			_, err := other.TokenActor(ctx, gateway)
			return core.ErrorCode(err) == core.Unauthorized
		})
		if _, err := other.TokenActor(ctx, phone); err != nil {
			t.Fatalf("the token not revoked: %v", err)
		}

		// Deactivated on the other instance, then back at once on this one.
		off, on := false, true
		if _, err := otherOrgs.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		_, err = other.TokenActor(ctx, phone)
		wantCode(t, err, core.Unauthorized)
		if _, err := otherOrgs.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{Active: &on}); err != nil {
			t.Fatal(err)
		}
		_, err = other.TokenActor(ctx, phone)
		wantCode(t, err, core.Unauthorized)
		dbtest.Eventually(t, "this instance refuses the token revoked by the deactivation", func() bool {
			_, err := e.auth.TokenActor(ctx, phone)
			return core.ErrorCode(err) == core.Unauthorized
		})
	})
}
