package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestRightPasswordOpensASession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, actor, err := e.auth.Login(ctx, "  Marie ", goodPassword, ip)
		if err != nil {
			t.Fatal(err)
		}
		if actor.Login != "marie" || !actor.Can(core.PermPartyRead) || actor.Scope.All {
			t.Fatalf("actor = %+v", actor)
		}
		if len(token) != 43 || strings.ContainsAny(token, "+/=") {
			t.Fatalf("session token %q is not 32 random bytes in base64url", token)
		}
		var stored string
		if err := d.QueryRow(ctx, "SELECT token_hash FROM sessions").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == token || len(stored) != 64 {
			t.Fatalf("sessions.token_hash = %q, want the SHA-256 hex of the token", stored)
		}
		got, err := e.auth.SessionActor(ctx, token)
		if err != nil || got.AgentID != actor.AgentID {
			t.Fatalf("SessionActor = %+v, %v", got, err)
		}
		if len(auditEntries(t, d, "auth.login ")) != 1 {
			t.Fatal("successful sign-in not audited")
		}
	})
}

func TestEveryFailedSignInGetsTheSameMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, tc := range []struct{ name, login, password string }{
			{"unknown login", "nobody", goodPassword},
			{"wrong password", "marie", "wrong-password"},
			{"deactivated agent with the right password", "paul", goodPassword},
			{"agent without a password", "sso", ""},
			{"agent without a password, any password", "sso", goodPassword},
		} {
			t.Run(tc.name, func(t *testing.T) {
				token, actor, err := e.auth.Login(ctx, tc.login, tc.password, ip)
				wantCode(t, err, core.Unauthorized)
				if core.ErrorMessage(err) != "unknown login or wrong password" {
					t.Fatalf("message = %q", core.ErrorMessage(err))
				}
				if token != "" || actor != nil {
					t.Fatal("a failed sign-in returned a token or an actor")
				}
			})
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sessions").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d sessions after failed sign-ins (%v)", n, err)
		}
	})
}

func TestDeactivatedAgentCannotSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.login(t)
		e.deactivate(t, "marie")
		_, _, err := e.auth.Login(ctx, "marie", goodPassword, ip)
		wantCode(t, err, core.Unauthorized)
	})
}

func TestFailedSignInsAreAuditedWithoutThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, _, _ = e.auth.Login(ctx, "marie", "guess-Secret-123", ip)
		_, _, _ = e.auth.Login(ctx, "nobody", "guess-Secret-456", ip)
		e.login(t)
		failed := auditEntries(t, d, "auth.login_failed")
		if len(failed) != 2 || !strings.Contains(failed[0], `"login":"marie"`) || !strings.Contains(failed[0], ip) ||
			!strings.Contains(failed[1], `"login":"nobody"`) {
			t.Fatalf("failed sign-ins audited as %v", failed)
		}
		for _, entry := range auditEntries(t, d, "") {
			for _, secret := range []string{"guess-Secret", goodPassword, "argon2"} {
				if strings.Contains(entry, secret) {
					t.Fatalf("audit entry %q contains %q", entry, secret)
				}
			}
		}
	})
}

func TestThrottleSlowsABurstThenLetsTheRightPasswordThroughAfterTheDelay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for i := 0; i < 5; i++ {
			_, _, err := e.auth.Login(ctx, "marie", "wrong-password", ip)
			wantCode(t, err, core.Unauthorized)
		}
		// The sixth try, even with the right password, waits 1s after the fifth failure.
		_, _, err := e.auth.Login(ctx, "marie", goodPassword, ip)
		wantCode(t, err, core.TooManyTries)
		if !strings.Contains(core.ErrorMessage(err), "1 seconds") {
			t.Fatalf("message = %q, want the wait in seconds", core.ErrorMessage(err))
		}

		// Meanwhile the real user, from another address, is not locked out.
		if _, _, err := e.auth.Login(ctx, "marie", goodPassword, otherIP); err != nil {
			t.Fatalf("sign-in from another IP: %v", err)
		}

		e.clock.Advance(time.Second)
		_, _, err = e.auth.Login(ctx, "marie", "wrong-password", ip) // sixth failure: next wait 2s
		wantCode(t, err, core.Unauthorized)
		e.clock.Advance(time.Second)
		_, _, err = e.auth.Login(ctx, "marie", goodPassword, ip)
		wantCode(t, err, core.TooManyTries)
		e.clock.Advance(time.Second)
		if _, _, err := e.auth.Login(ctx, "marie", goodPassword, ip); err != nil {
			t.Fatalf("right password after the delay: %v", err)
		}

		// The success reset the count: five more failures are free again.
		for i := 0; i < 5; i++ {
			_, _, err := e.auth.Login(ctx, "marie", "wrong-password", ip)
			wantCode(t, err, core.Unauthorized)
		}
	})
}

func TestThrottleAlsoCoversUnknownLogins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for i := 0; i < 5; i++ {
			_, _, _ = e.auth.Login(ctx, "ghost", "guess", ip)
		}
		_, _, err := e.auth.Login(ctx, "ghost", "guess", ip)
		wantCode(t, err, core.TooManyTries)
	})
}
