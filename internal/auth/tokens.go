package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

var errBadToken = core.Errorf(core.Unauthorized, "invalid or revoked API token")

// CreateToken issues an API token acting as the agent agentLogin, for an
// integration named name, and returns the secret, which is not stored.
// Requires the admin permission (the system actor of the CLI has it).
func (s *Service) CreateToken(ctx context.Context, actor *core.Actor, name, agentLogin string) (string, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	f := core.Fields{}
	core.CheckText(f, "name", name, core.MaxName)
	core.CheckText(f, "agent_login", agentLogin, core.MaxCode)
	if name == "" || len(name) > 100 {
		f.Add("name", "required, up to 100 characters")
	}
	var agentID string
	if strings.TrimSpace(agentLogin) == "" {
		f.Add("agent_login", "required")
	} else if _, bad := f["agent_login"]; !bad {
		agent, err := s.orgs.AgentByLogin(ctx, agentLogin)
		switch {
		case core.ErrorCode(err) == core.NotFound:
			f.Add("agent_login", "no agent has this login")
		case err != nil:
			return "", err
		case !agent.Active:
			f.Add("agent_login", "this agent is deactivated")
		default:
			agentID, agentLogin = agent.ID, agent.Login
		}
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	secret, digest, err := newSecret(TokenPrefix)
	if err != nil {
		return "", err
	}
	id := core.NewID()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO api_tokens (id, name, agent_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			id, name, agentID, digest, core.Millis(s.clock.Now())); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "token.create", "api_token", id, "",
			map[string]string{"name": name, "agent_login": agentLogin})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// TokenActor returns the actor of a bearer token, with TokenID set. It is
// Unauthorized when the token is unknown or revoked, or its agent
// deactivated.
func (s *Service) TokenActor(ctx context.Context, token string) (*core.Actor, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, errBadToken
	}
	digest := digestOf(token)
	var id, agentID string
	var lastUsed, revoked sql.NullInt64
	err := s.db.QueryRow(ctx, "SELECT id, agent_id, last_used_at, revoked_at FROM api_tokens WHERE token_hash = ?", digest).
		Scan(&id, &agentID, &lastUsed, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	actor, err := s.orgs.Actor(ctx, agentID)
	if err != nil {
		return nil, err
	}
	actor.TokenID = id
	now := s.clock.Now()
	if !lastUsed.Valid || now.Sub(core.FromMillis(lastUsed.Int64)) >= touchInterval {
		if _, err := s.db.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", core.Millis(now), id); err != nil {
			return nil, fmt.Errorf("touch token: %w", err)
		}
	}
	return actor, nil
}

// ListTokens returns every API token, newest first. Requires admin.
func (s *Service) ListTokens(ctx context.Context, actor *core.Actor) ([]Token, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT t.id, t.name, a.login, t.created_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN agents a ON a.id = t.agent_id ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	tokens := []Token{}
	for rows.Next() {
		var t Token
		var created int64
		var lastUsed, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.AgentLogin, &created, &lastUsed, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = core.FromMillis(created), timePtr(lastUsed), timePtr(revoked)
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken stops the token id from working, at once and for good.
// Revoking a revoked token changes nothing. Requires admin.
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
