package auth_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestSessionEndsAfter8HoursWithoutUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, _ := e.login(t)
		e.clock.Advance(auth.SessionIdleTimeout - time.Second)
		if _, err := e.auth.SessionActor(ctx, token); err != nil {
			t.Fatalf("session used just before the idle timeout: %v", err)
		}
		e.clock.Advance(auth.SessionIdleTimeout) // idle again for 8h since that use
		_, err := e.auth.SessionActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
	})
}

func TestSessionInUseStillEndsAfter7Days(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, _ := e.login(t)
		for elapsed := time.Duration(0); elapsed < auth.SessionMaxAge-time.Hour; elapsed += 4 * time.Hour {
			if _, err := e.auth.SessionActor(ctx, token); err != nil {
				t.Fatalf("session used every 4h failed after %s: %v", elapsed, err)
			}
			e.clock.Advance(4 * time.Hour)
		}
		_, err := e.auth.SessionActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
	})
}

func TestSessionLastSeenIsWrittenAtMostOnceAMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, _ := e.login(t)
		start := e.clock.Now()
		lastSeen := func() time.Time {
			var ms int64
			if err := d.QueryRow(ctx, "SELECT last_seen_at FROM sessions").Scan(&ms); err != nil {
				t.Fatal(err)
			}
			return core.FromMillis(ms)
		}
		e.clock.Advance(30 * time.Second)
		if _, err := e.auth.SessionActor(ctx, token); err != nil {
			t.Fatal(err)
		}
		if !lastSeen().Equal(start) {
			t.Fatal("last_seen_at written twice within a minute")
		}
		e.clock.Advance(30 * time.Second)
		if _, err := e.auth.SessionActor(ctx, token); err != nil {
			t.Fatal(err)
		}
		if !lastSeen().Equal(e.clock.Now()) {
			t.Fatalf("last_seen_at = %s, want %s", lastSeen(), e.clock.Now())
		}
	})
}

func TestUnknownSessionTokenIsUnauthorized(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, token := range []string{"", "made-up", "rpt_xyz"} {
			_, err := e.auth.SessionActor(ctx, token)
			wantCode(t, err, core.Unauthorized)
		}
	})
}

func TestLogoutEndsTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, _ := e.login(t)
		other, _ := e.login(t)
		if err := e.auth.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, err := e.auth.SessionActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
		if _, err := e.auth.SessionActor(ctx, other); err != nil {
			t.Fatalf("logging out one session ended another: %v", err)
		}
		if err := e.auth.Logout(ctx, token); err != nil {
			t.Fatalf("second logout: %v", err)
		}
	})
}

func TestPurgeSessionsDeletesOnlyExpiredOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.login(t)
		e.clock.Advance(auth.SessionIdleTimeout)
		fresh, _ := e.login(t)
		n, err := e.auth.PurgeSessions(ctx)
		if err != nil || n != 1 {
			t.Fatalf("PurgeSessions = %d, %v; want 1", n, err)
		}
		if _, err := e.auth.SessionActor(ctx, fresh); err != nil {
			t.Fatalf("fresh session purged: %v", err)
		}
	})
}

func TestDeactivatedAgentsSessionsAndTokensStopWorking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		session, _ := e.login(t)
		token, err := e.auth.CreateToken(ctx, e.admin, "telephony", "marie")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.auth.TokenActor(ctx, token); err != nil {
			t.Fatal(err)
		}
		e.deactivate(t, "marie")
		_, err = e.auth.SessionActor(ctx, session)
		wantCode(t, err, core.Unauthorized)
		_, err = e.auth.TokenActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
	})
}
