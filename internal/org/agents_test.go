package org_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestAgentRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		valid := org.AgentInput{Login: "marie.dupont", Name: "Marie Dupont", UnitCode: "PARIS1", Roles: []string{"advisor"}}
		for _, tc := range []struct {
			name  string
			edit  func(in *org.AgentInput)
			field string // "" when valid
		}{
			{"valid", func(in *org.AgentInput) {}, ""},
			{"login is lower-cased", func(in *org.AgentInput) { in.Login = "Jean.Martin" }, ""},
			{"login too short", func(in *org.AgentInput) { in.Login = "j" }, "login"},
			{"login with a space", func(in *org.AgentInput) { in.Login = "jean martin" }, "login"},
			{"login with an accent", func(in *org.AgentInput) { in.Login = "hélène" }, "login"},
			{"login too long", func(in *org.AgentInput) { in.Login = strings.Repeat("a", 65) }, "login"},
			{"name missing", func(in *org.AgentInput) { in.Name = "" }, "name"},
			{"bad email", func(in *org.AgentInput) { in.Email = "not-an-email" }, "email"},
			{"unit missing", func(in *org.AgentInput) { in.UnitCode = "" }, "unit_code"},
			{"unknown unit", func(in *org.AgentInput) { in.UnitCode = "NOPE" }, "unit_code"},
			{"unknown role", func(in *org.AgentInput) { in.Roles = []string{"advisor", "wizard"} }, "roles"},
			{"unknown scope unit", func(in *org.AgentInput) { in.ScopeUnitCodes = []string{"IDF", "NOPE"} }, "scope_unit_codes"},
			{"short password", func(in *org.AgentInput) { in.Password = "short" }, "password"},
			{"unknown locale", func(in *org.AgentInput) { in.Locale = "tlh" }, "locale"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := valid
				in.Login = strings.ReplaceAll(tc.name, " ", "-")
				tc.edit(&in)
				_, err := e.store.CreateAgent(ctx, e.admin, in)
				if tc.field == "" {
					if err != nil {
						t.Fatalf("CreateAgent: %v", err)
					}
					return
				}
				wantCode(t, err, core.Invalid)
				wantField(t, err, tc.field)
			})
		}
	})
}

func TestNewAgentGetsInitialsFromTheNameFrenchLocaleAndTheirOwnUnitAsScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		units := e.tree(t)
		a := e.agent(t, org.AgentInput{Login: "JP.Martin", Name: "Jean-Pierre Martin", Email: "jp.martin@example.com",
			UnitCode: "PARIS1", Roles: []string{"advisor", "advisor"}})
		if a.Login != "jp.martin" || a.Initials != "JPM" || a.Locale != "fr" || !a.Active || a.DeactivatedAt != nil {
			t.Fatalf("agent = %+v", a)
		}
		if a.UnitCode != "PARIS1" || a.UnitName != "Unit PARIS1" || a.UnitID != units["PARIS1"].ID {
			t.Fatalf("unit = %s %s %s", a.UnitID, a.UnitCode, a.UnitName)
		}
		if !slices.Equal(a.Roles, []string{"advisor"}) || len(a.ScopeUnitCodes) != 0 {
			t.Fatalf("roles %v scope %v", a.Roles, a.ScopeUnitCodes)
		}
		byID, err := e.store.AgentByID(ctx, a.ID)
		if err != nil || byID.Login != "jp.martin" {
			t.Fatalf("AgentByID = %+v, %v", byID, err)
		}
		if _, err := e.store.AgentByLogin(ctx, "JP.MARTIN"); err != nil {
			t.Fatalf("AgentByLogin ignores case: %v", err)
		}
		_, err = e.store.AgentByLogin(ctx, "nobody")
		wantCode(t, err, core.NotFound)
		_, err = e.store.AgentByID(ctx, core.NewID())
		wantCode(t, err, core.NotFound)
	})
}

func TestInitialsOf(t *testing.T) {
	for name, want := range map[string]string{
		"Marie Dupont":         "MD",
		"Jean-Pierre Martin":   "JPM",
		"élodie d'Arc":         "ÉDA",
		"  hélène   ":          "H",
		"Anne Marie Lou Zoé X": "AMLZ",
	} {
		if got := org.InitialsOf(name); got != want {
			t.Errorf("InitialsOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestDuplicateLoginIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		e.agent(t, org.AgentInput{Login: "marie", UnitCode: "PARIS1"})
		_, err := e.store.CreateAgent(ctx, e.admin, org.AgentInput{Login: "MARIE", Name: "Marie Bis", UnitCode: "PARIS2"})
		wantCode(t, err, core.Conflict)
		wantField(t, err, "login")
	})
}

func TestPasswordNeverAppearsInTheAuditLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		a := e.agent(t, org.AgentInput{Login: "marie", UnitCode: "PARIS1", Password: "first-secret-42"})
		if _, err := e.store.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{Password: ptr("second-secret-42")}); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := d.QueryRow(ctx, "SELECT password_hash FROM agents WHERE id = ?", a.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("stored password is not an argon2id hash: %q", hash)
		}
		entries := auditDetails(t, d)
		if !hasAction(entries, "agent.create") || !hasAction(entries, "agent.update") {
			t.Fatalf("agent changes not audited: %v", entries)
		}
		for _, entry := range entries {
			for _, secret := range []string{"first-secret-42", "second-secret-42", "$argon2id$", hash[len(hash)-20:]} {
				if strings.Contains(entry, secret) {
					t.Fatalf("audit entry %q contains %q", entry, secret)
				}
			}
		}
	})
}

func TestAgentsOfSupportUnitsShowAsSupportService(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		sup := e.agent(t, org.AgentInput{Login: "tech", Name: "Théo Tech", UnitCode: "SUPPORT"})
		adv := e.agent(t, org.AgentInput{Login: "marie", Name: "Marie Dupont", UnitCode: "PARIS1"})
		if !sup.Support || sup.DisplayName() != "Support service" {
			t.Fatalf("support agent shows as %q", sup.DisplayName())
		}
		if adv.Support || adv.DisplayName() != "Marie Dupont" {
			t.Fatalf("advisor shows as %q", adv.DisplayName())
		}
	})
}

func TestAgentsChangeOnlyTheirOwnLocaleAndPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		marie := e.agent(t, org.AgentInput{Login: "marie", UnitCode: "PARIS1", Roles: []string{"advisor"}})
		e.agent(t, org.AgentInput{Login: "paul", UnitCode: "PARIS1", Roles: []string{"advisor"}})
		me := e.actor(t, marie.ID)

		got, err := e.store.UpdateAgent(ctx, me, "marie", org.AgentUpdate{Locale: ptr("en"), Password: ptr("my-new-password")})
		if err != nil {
			t.Fatal(err)
		}
		if got.Locale != "en" {
			t.Fatalf("locale = %q", got.Locale)
		}
		_, err = e.store.UpdateAgent(ctx, me, "marie", org.AgentUpdate{Roles: &[]string{"admin"}})
		wantCode(t, err, core.Forbidden)
		_, err = e.store.UpdateAgent(ctx, me, "marie", org.AgentUpdate{Name: ptr("Queen Marie")})
		wantCode(t, err, core.Forbidden)
		_, err = e.store.UpdateAgent(ctx, me, "paul", org.AgentUpdate{Locale: ptr("en")})
		wantCode(t, err, core.Forbidden)
		_, err = e.store.UpdateAgent(ctx, me, "marie", org.AgentUpdate{Password: ptr("short")})
		wantField(t, err, "password")
	})
}

func TestAdministratorUpdatesAnAgentsUnitRolesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		e.agent(t, org.AgentInput{Login: "marie", Name: "Marie Dupont", UnitCode: "PARIS1", Roles: []string{"advisor"}})
		got, err := e.store.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{
			Name: ptr("Marie Durand"), Initials: ptr("mdu"), UnitCode: ptr("MARS"),
			Roles: &[]string{"manager", "viewer"}, ScopeUnitCodes: &[]string{"SUD", "IDF"}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Marie Durand" || got.Initials != "MDU" || got.UnitCode != "MARS" ||
			!slices.Equal(got.Roles, []string{"manager", "viewer"}) || !slices.Equal(got.ScopeUnitCodes, []string{"IDF", "SUD"}) {
			t.Fatalf("agent after update = %+v", got)
		}
		_, err = e.store.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{UnitCode: ptr("NOPE")})
		wantField(t, err, "unit_code")
		_, err = e.store.UpdateAgent(ctx, e.admin, "nobody", org.AgentUpdate{Name: ptr("X")})
		wantCode(t, err, core.NotFound)
	})
}

func TestDeactivatingAnAgentEndsTheirSessionsAndRevokesTheirTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		marie := e.agent(t, org.AgentInput{Login: "marie", Name: "Marie Dupont", UnitCode: "PARIS1", Roles: []string{"advisor"}})
		paul := e.agent(t, org.AgentInput{Login: "paul", UnitCode: "PARIS1", Roles: []string{"advisor"}})
		now := core.Millis(e.clock.Now())
		for _, a := range []org.Agent{marie, paul} {
			if _, err := d.Exec(ctx, "INSERT INTO sessions (token_hash, agent_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
				"h-"+a.Login, a.ID, now, now+3600_000, now); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Exec(ctx, "INSERT INTO api_tokens (id, name, agent_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
				core.NewID(), "crm sync", a.ID, "t-"+a.Login, now); err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.store.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{Active: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Active || got.DeactivatedAt == nil || !got.DeactivatedAt.Equal(e.clock.Now()) {
			t.Fatalf("agent after deactivation = %+v", got)
		}
		if got.Name != "Marie Dupont" {
			t.Fatal("a departed agent keeps their name")
		}
		count := func(q string, args ...any) int {
			var n int
			if err := d.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("SELECT COUNT(*) FROM sessions WHERE agent_id = ?", marie.ID); n != 0 {
			t.Fatalf("%d sessions left for the deactivated agent", n)
		}
		if n := count("SELECT COUNT(*) FROM api_tokens WHERE agent_id = ? AND revoked_at IS NULL", marie.ID); n != 0 {
			t.Fatalf("%d live tokens left for the deactivated agent", n)
		}
		if count("SELECT COUNT(*) FROM sessions WHERE agent_id = ?", paul.ID) != 1 ||
			count("SELECT COUNT(*) FROM api_tokens WHERE agent_id = ? AND revoked_at IS NULL", paul.ID) != 1 {
			t.Fatal("another agent's sessions or tokens were touched")
		}
		_, err = e.store.Actor(ctx, marie.ID)
		wantCode(t, err, core.Unauthorized)
		if !hasAction(auditDetails(t, d), "agent.deactivate") {
			t.Fatal("deactivation not audited")
		}

		back, err := e.store.UpdateAgent(ctx, e.admin, "marie", org.AgentUpdate{Active: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if !back.Active || back.DeactivatedAt != nil {
			t.Fatalf("agent after reactivation = %+v", back)
		}
		if count("SELECT COUNT(*) FROM api_tokens WHERE agent_id = ? AND revoked_at IS NULL", marie.ID) != 0 {
			t.Fatal("reactivation brought revoked tokens back")
		}
	})
}

func TestAgentCannotDeactivateThemselves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		boss := e.agent(t, org.AgentInput{Login: "boss", UnitCode: "BANK", Roles: []string{"admin"}})
		_, err := e.store.UpdateAgent(ctx, e.actor(t, boss.ID), "boss", org.AgentUpdate{Active: ptr(false)})
		wantField(t, err, "active")
	})
}

func TestListAgentsIsOrderedByNameAndPagesWithACursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.tree(t)
		for _, a := range []struct{ login, name, unit string }{
			{"zoe", "Zoé Zèbre", "PARIS1"},
			{"alice", "alice Martin", "PARIS1"},
			{"bruno", "Bruno Petit", "PARIS2"},
			{"claire", "Claire Roux", "MARS"},
			{"david", "David Noir", "INSAG"},
			{"emile", "Émile Blanc", "PARIS1"},
			{"bruno2", "Bruno Petit", "CC"},
		} {
			e.agent(t, org.AgentInput{Login: a.login, Name: a.name, UnitCode: a.unit})
		}
		if _, err := e.store.UpdateAgent(ctx, e.admin, "david", org.AgentUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		viewer := &core.Actor{AgentID: core.NewID(), Login: "viewer"}
		logins := func(f org.AgentFilter) []string {
			t.Helper()
			var out []string
			for pages := 0; ; pages++ {
				page, next, err := e.store.ListAgents(ctx, viewer, f)
				if err != nil {
					t.Fatal(err)
				}
				if f.Limit > 0 && len(page) > f.Limit {
					t.Fatalf("page of %d agents, limit %d", len(page), f.Limit)
				}
				for _, a := range page {
					out = append(out, a.Login)
				}
				if next == "" || pages > 10 {
					return out
				}
				f.Cursor = next
			}
		}
		all := logins(org.AgentFilter{})
		if len(all) != 6 || all[0] != "alice" || all[1] != "bruno" && all[1] != "bruno2" || all[3] != "claire" || all[4] != "zoe" && all[4] != "emile" {
			t.Fatalf("active agents by name = %v", all)
		}
		if paged := logins(org.AgentFilter{Limit: 2}); !slices.Equal(paged, all) {
			t.Fatalf("pages of 2 = %v, want %v", paged, all)
		}
		if got := logins(org.AgentFilter{IncludeInactive: true, Limit: 3}); len(got) != 7 || !slices.Contains(got, "david") {
			t.Fatalf("with inactive = %v", got)
		}
		if got := logins(org.AgentFilter{UnitCode: "IDF"}); !sameElements(got, []string{"alice", "bruno", "emile", "zoe"}) {
			t.Fatalf("agents of IDF and below = %v", got)
		}
		if got := logins(org.AgentFilter{Query: "PETIT"}); !sameElements(got, []string{"bruno", "bruno2"}) {
			t.Fatalf("query petit = %v", got)
		}
		if got := logins(org.AgentFilter{Query: "50%"}); len(got) != 0 {
			t.Fatalf("a LIKE wildcard in the query matched %v", got)
		}
		_, _, err := e.store.ListAgents(ctx, viewer, org.AgentFilter{Cursor: "garbage!"})
		wantCode(t, err, core.BadRequest)
		_, _, err = e.store.ListAgents(ctx, viewer, org.AgentFilter{UnitCode: "NOPE"})
		wantCode(t, err, core.NotFound)
	})
}

func sameElements(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
