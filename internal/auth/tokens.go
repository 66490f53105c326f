package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// TokenPrefix starts every API token, so leaked tokens are easy to spot.
const TokenPrefix = "rpt_"

// Token describes an API token; the secret itself is shown once, at creation.
type Token struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	AgentLogin string     `json:"agent_login"` // the agent whose rights the token carries
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"` // written at most once a minute
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`   // none: the token does not expire
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Expired reports whether the token has expired at now.
func (t Token) Expired(now time.Time) bool { return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) }

var errBadToken = core.Errorf(core.Unauthorized, "invalid, expired or revoked API token")

// CreateToken issues an API token that does not expire; see
// CreateTokenUntil.
func (s *Service) CreateToken(ctx context.Context, actor *core.Actor, name, agentLogin string) (string, error) {
	secret, _, err := s.CreateTokenUntil(ctx, actor, name, agentLogin, time.Time{})
	return secret, err
}

// ExpiryIn returns when a token created now with lifetime ("90d", "12h",
// a date; see ParseExpiry) expires.
func (s *Service) ExpiryIn(lifetime string) (time.Time, error) {
	return ParseExpiry(lifetime, s.clock.Now())
}

// CreateTokenUntil issues an API token acting as the agent agentLogin, for
// an integration named name, valid until expiresAt (never when zero), and
// returns the secret, which is not stored, with the token's description.
// Requires the admin permission (the system actor of the CLI has it).
func (s *Service) CreateTokenUntil(ctx context.Context, actor *core.Actor, name, agentLogin string, expiresAt time.Time) (string, Token, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return "", Token{}, err
	}
	name = strings.TrimSpace(name)
	f := core.Fields{}
	var expires any
	if !expiresAt.IsZero() {
		if !expiresAt.After(s.clock.Now()) {
			f.Add("expires_at", ReasonExpiryPast())
		}
		expires = core.Millis(expiresAt)
	}
	core.CheckText(f, "name", name, core.MaxName)
	core.CheckText(f, "agent_login", agentLogin, core.MaxCode)
	if name == "" || len(name) > 100 {
		f.Add("name", core.RequiredUpTo(100))
	}
	var agentID string
	if strings.TrimSpace(agentLogin) == "" {
		f.Add("agent_login", core.Required())
	} else if _, bad := f["agent_login"]; !bad {
		agent, err := s.orgs.AgentByLogin(ctx, agentLogin)
		switch {
		case core.ErrorCode(err) == core.NotFound:
			f.Add("agent_login", core.Because("unknown_agent"))
		case err != nil:
			return "", Token{}, err
		case !agent.Active:
			f.Add("agent_login", core.Because("agent_deactivated"))
		default:
			agentID, agentLogin = agent.ID, agent.Login
		}
	}
	if err := f.Err(); err != nil {
		return "", Token{}, err
	}
	secret, digest, err := newSecret(TokenPrefix)
	if err != nil {
		return "", Token{}, err
	}
	id, now := core.NewID(), s.clock.Now()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO api_tokens (id, name, agent_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, name, agentID, digest, core.Millis(now), expires); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		detail := map[string]string{"name": name, "agent_login": agentLogin}
		if !expiresAt.IsZero() {
			detail["expires_at"] = expiresAt.UTC().Format(time.RFC3339)
		}
		return s.log.Record(ctx, tx, actor, "token.create", "api_token", id, "", detail)
	})
	if err != nil {
		return "", Token{}, err
	}
	t := Token{ID: id, Name: name, AgentLogin: agentLogin, CreatedAt: core.FromMillis(core.Millis(now))}
	if !expiresAt.IsZero() {
		t.ExpiresAt = &expiresAt
	}
	return secret, t, nil
}

// TokenActor returns the actor of a bearer token, with TokenID set. It is
// Unauthorized when the token is unknown, expired or revoked, or its agent
// deactivated. Known tokens are kept in memory (token_cache.go) until one is
// revoked; the last use is written at most once a minute, not on every
// request.
func (s *Service) TokenActor(ctx context.Context, token string) (*core.Actor, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, errBadToken
	}
	digest := digestOf(token)
	t, ok, err := s.tokens.Get(ctx, s.db, digest)
	if err != nil {
		return nil, err
	}
	if !ok {
		var lastUsed, expires, revoked sql.NullInt64
		err := s.db.QueryRow(ctx, "SELECT id, agent_id, last_used_at, expires_at, revoked_at FROM api_tokens WHERE token_hash = ?", digest).
			Scan(&t.id, &t.agentID, &lastUsed, &expires, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
			return nil, errBadToken
		}
		if err != nil {
			return nil, fmt.Errorf("read token: %w", err)
		}
		t.lastUsed, t.expires = lastUsed, expires
		s.tokens.Put(digest, t)
	}
	now := s.clock.Now()
	if t.expires.Valid && !now.Before(core.FromMillis(t.expires.Int64)) {
		return nil, errBadToken
	}
	actor, err := s.orgs.Actor(ctx, t.agentID)
	if err != nil {
		return nil, err
	}
	actor.TokenID = t.id
	if !t.lastUsed.Valid || now.Sub(core.FromMillis(t.lastUsed.Int64)) >= touchInterval {
		if _, err := s.db.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", core.Millis(now), t.id); err != nil {
			return nil, fmt.Errorf("touch token: %w", err)
		}
		s.tokens.Update(digest, func(t cachedToken) cachedToken {
			t.lastUsed = sql.NullInt64{Int64: core.Millis(now), Valid: true}
			return t
		})
	}
	return actor, nil
}

// ListTokens returns every API token, newest first. Requires admin.
func (s *Service) ListTokens(ctx context.Context, actor *core.Actor) ([]Token, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT t.id, t.name, a.login, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
		FROM api_tokens t JOIN agents a ON a.id = t.agent_id ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	tokens := []Token{}
	for rows.Next() {
		var t Token
		var created int64
		var lastUsed, expires, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.AgentLogin, &created, &lastUsed, &expires, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = core.FromMillis(created), timePtr(lastUsed), timePtr(revoked)
		t.ExpiresAt = timePtr(expires)
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken stops the token id from working, for good: at once on this
// instance, within cache.CheckEvery on the others (token_cache.go). Revoking a
// revoked token changes nothing. Requires admin.
func (s *Service) RevokeToken(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermAdmin); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var revoked sql.NullInt64
		err := tx.QueryRow(ctx, "SELECT revoked_at FROM api_tokens WHERE id = ?", id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return core.Errorf(core.NotFound, "API token %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("read token %s: %w", id, err)
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", core.Millis(s.clock.Now()), id); err != nil {
			return fmt.Errorf("revoke token %s: %w", id, err)
		}
		if err := cache.Bump(ctx, tx, cache.Access); err != nil {
			return err
		}
		tx.AfterCommit(s.tokens.Clear)
		return s.log.Record(ctx, tx, actor, "token.revoke", "api_token", id, "", nil)
	})
}

func timePtr(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := core.FromMillis(ms.Int64)
	return &t
}
