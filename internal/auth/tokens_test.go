package auth_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestAPITokenActsAsItsAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, err := e.auth.CreateToken(ctx, e.admin, "telephony", "Marie")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^rpt_[A-Za-z0-9_-]{43}$`).MatchString(token) {
			t.Fatalf("token %q is not rpt_ + 32 bytes base64url", token)
		}
		var stored string
		if err := d.QueryRow(ctx, "SELECT token_hash FROM api_tokens").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == token || len(stored) != 64 {
			t.Fatalf("api_tokens.token_hash = %q, want the SHA-256 hex", stored)
		}
		actor, err := e.auth.TokenActor(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if actor.Login != "marie" || actor.TokenID == "" || !actor.Can(core.PermPartyRead) {
			t.Fatalf("token actor = %+v", actor)
		}
		list, err := e.auth.ListTokens(ctx, e.admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != actor.TokenID || list[0].Name != "telephony" || list[0].AgentLogin != "marie" ||
			list[0].LastUsedAt == nil || list[0].RevokedAt != nil {
			t.Fatalf("tokens = %+v", list)
		}
		if len(auditEntries(t, d, "token.create")) != 1 {
			t.Fatal("token creation not audited")
		}
	})
}

func TestRevokedTokenStopsWorking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, err := e.auth.CreateToken(ctx, e.admin, "mail gateway", "marie")
		if err != nil {
			t.Fatal(err)
		}
		actor, err := e.auth.TokenActor(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.auth.RevokeToken(ctx, e.admin, actor.TokenID); err != nil {
			t.Fatal(err)
		}
		_, err = e.auth.TokenActor(ctx, token)
		wantCode(t, err, core.Unauthorized)
		if err := e.auth.RevokeToken(ctx, e.admin, actor.TokenID); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		wantCode(t, e.auth.RevokeToken(ctx, e.admin, core.NewID()), core.NotFound)
		list, _ := e.auth.ListTokens(ctx, e.admin)
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Fatalf("tokens = %+v", list)
		}
		if len(auditEntries(t, d, "token.revoke")) != 1 {
			t.Fatal("revocation not audited once")
		}
	})
}

func TestTokenLastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		token, _ := e.auth.CreateToken(ctx, e.admin, "sync", "marie")
		lastUsed := func() time.Time {
			var ms int64
			if err := d.QueryRow(ctx, "SELECT last_used_at FROM api_tokens").Scan(&ms); err != nil {
				t.Fatal(err)
			}
			return core.FromMillis(ms)
		}
		first := e.clock.Now()
		for _, step := range []time.Duration{0, 59 * time.Second} {
			e.clock.Advance(step)
			if _, err := e.auth.TokenActor(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		if !lastUsed().Equal(first) {
			t.Fatal("last_used_at written twice within a minute")
		}
		e.clock.Advance(time.Second)
		if _, err := e.auth.TokenActor(ctx, token); err != nil {
			t.Fatal(err)
		}
		if !lastUsed().Equal(e.clock.Now()) {
			t.Fatal("last_used_at not updated after a minute")
		}
	})
}

func TestOnlyAdministratorsManageTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, marie := e.login(t)
		_, err := e.auth.CreateToken(ctx, marie, "mine", "marie")
		wantCode(t, err, core.Forbidden)
		_, err = e.auth.ListTokens(ctx, marie)
		wantCode(t, err, core.Forbidden)
		wantCode(t, e.auth.RevokeToken(ctx, marie, core.NewID()), core.Forbidden)

		if _, err := e.orgs.CreateAgent(ctx, e.admin, org.AgentInput{Login: "boss", Name: "Boss", UnitCode: "BANK",
			Roles: []string{"admin"}}); err != nil {
			t.Fatal(err)
		}
		boss, err := e.orgs.AgentByLogin(ctx, "boss")
		if err != nil {
			t.Fatal(err)
		}
		bossActor, err := e.orgs.Actor(ctx, boss.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.auth.CreateToken(ctx, bossActor, "crm sync", "marie"); err != nil {
			t.Fatalf("admin agent creating a token: %v", err)
		}
	})
}

func TestTokenRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, tc := range []struct{ name, tokenName, login, field string }{
			{"name missing", " ", "marie", "name"},
			{"agent missing", "sync", "", "agent_login"},
			{"unknown agent", "sync", "nobody", "agent_login"},
			{"deactivated agent", "sync", "paul", "agent_login"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.auth.CreateToken(ctx, e.admin, tc.tokenName, tc.login)
				wantCode(t, err, core.Invalid)
				if e, ok := err.(*core.Error); !ok || e.Fields[tc.field].Code == "" {
					t.Fatalf("error = %v, want a reason on %s", err, tc.field)
				}
			})
		}
		for _, bad := range []string{"", "rpt_", "rpt_forged", "no-prefix"} {
			_, err := e.auth.TokenActor(ctx, bad)
			wantCode(t, err, core.Unauthorized)
		}
	})
}
