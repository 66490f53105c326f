package auth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestATokenStopsWorkingWhenItExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		until, err := auth.ParseExpiry("90d", e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := e.auth.CreateTokenUntil(ctx, e.admin, "telephony", "marie", until)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.auth.TokenActor(ctx, token); err != nil {
			t.Fatalf("a fresh token: %v", err)
		}
		list, _ := e.auth.ListTokens(ctx, e.admin)
		if len(list) != 1 || list[0].ExpiresAt == nil || !list[0].ExpiresAt.Equal(e.clock.Now().AddDate(0, 0, 90)) ||
			list[0].LastUsedAt == nil {
			t.Fatalf("tokens = %+v, want expiry in 90 days and a last use", list)
		}
		e.clock.Advance(90*24*time.Hour - time.Second)
		if _, err := e.auth.TokenActor(ctx, token); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		e.clock.Advance(time.Second)
		_, err = e.auth.TokenActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
		if list, _ := e.auth.ListTokens(ctx, e.admin); !list[0].Expired(e.clock.Now()) {
			t.Error("the list does not say the token expired")
		}
		_, _, err = e.auth.CreateTokenUntil(ctx, e.admin, "old", "marie", e.clock.Now().Add(-time.Hour))
		wantCode(t, err, core.Invalid)
	})
}

func TestTokenLifetimesAreReadInDaysDurationsOrDates(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":           {},
		"90d":        now.AddDate(0, 0, 90),
		"12h":        now.Add(12 * time.Hour),
		"2027-03-01": time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := auth.ParseExpiry(in, now); err != nil || !got.Equal(want) {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-3d", "0d", "-1h", "3x"} {
		if _, err := auth.ParseExpiry(in, now); core.ErrorCode(err) != core.Invalid {
			t.Errorf("ParseExpiry(%q) = %v, want invalid", in, err)
		}
	}
}

func TestSprayingManyLoginsFromOneAddressIsSlowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		throttled := 0
		for i := 0; i < 30; i++ {
			_, _, err := e.auth.Login(ctx, fmt.Sprintf("agent%d", i), "Password1!", ip)
			if core.ErrorCode(err) == core.TooManyTries {
				throttled++
			}
		}
		if throttled == 0 {
			t.Fatal("30 logins tried from one address, none slowed")
		}
		// Another address is not held back, and marie still signs in from hers.
		if _, _, err := e.auth.Login(ctx, "marie", goodPassword, otherIP); err != nil {
			t.Fatalf("from another address: %v", err)
		}
	})
}

func TestAnOutageAtSignInIsNotABadPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, err := e.auth.CreateToken(ctx, e.admin, "telephony", "marie")
		if err != nil {
			t.Fatal(err)
		}
		session, _ := e.login(t)
		d.Close()
		for name, err := range map[string]error{
			"login":   errOfLogin(e.auth.Login(ctx, "marie", goodPassword, ip)),
			"token":   errOfActor(e.auth.TokenActor(ctx, token)),
			"session": errOfActor(e.auth.SessionActor(ctx, session)),
		} {
			if err == nil || core.ErrorCode(err) == core.Unauthorized || !db.IsUnavailable(err) {
				t.Errorf("%s with the database closed: %v, want an outage", name, err)
			}
		}
	})
}

func errOfLogin(_ string, _ *core.Actor, err error) error { return err }
func errOfActor(_ *core.Actor, err error) error           { return err }
