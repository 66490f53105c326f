package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Session lifetimes: a session ends after SessionIdleTimeout without use, and
// in any case SessionMaxAge after sign-in.
const (
	SessionIdleTimeout = 8 * time.Hour
	SessionMaxAge      = 7 * 24 * time.Hour
	touchInterval      = time.Minute // last_seen_at / last_used_at are written at most this often
)

var errNoSession = core.Errorf(core.Unauthorized, "session expired: please sign in again")

// openSession stores a new session for agentID and returns its token; only
// the token's digest is stored.
func (s *Service) openSession(ctx context.Context, q db.Querier, agentID string) (string, error) {
	token, digest, err := newSecret("")
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	if _, err := q.Exec(ctx, `INSERT INTO sessions (token_hash, agent_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
		digest, agentID, core.Millis(now), core.Millis(now.Add(SessionMaxAge)), core.Millis(now)); err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	return token, nil
}

// SessionActor returns the actor of a session token. It is Unauthorized when
// the session is unknown, idle for SessionIdleTimeout, older than
// SessionMaxAge, or its agent deactivated. Each use extends the idle timeout.
func (s *Service) SessionActor(ctx context.Context, token string) (*core.Actor, error) {
	if token == "" {
		return nil, errNoSession
	}
	digest := digestOf(token)
	agentID, open, lastSeen, err := s.readSessionSeen(ctx, digest)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if !open {
		if _, err := s.db.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", digest); err != nil {
			return nil, fmt.Errorf("end expired session: %w", err)
		}
		return nil, errNoSession
	}
	actor, err := s.orgs.Actor(ctx, agentID)
	if err != nil {
		return nil, err
	}
	if now.Sub(core.FromMillis(lastSeen)) >= touchInterval {
		if _, err := s.db.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", core.Millis(now), digest); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return actor, nil
}

// Logout ends the session of token; an unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	digest := digestOf(token)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var agentID string
		err := tx.QueryRow(ctx, "SELECT agent_id FROM sessions WHERE token_hash = ?", digest).Scan(&agentID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read session: %w", err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", digest); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		return s.log.Record(ctx, tx, &core.Actor{AgentID: agentID}, "auth.logout", "agent", agentID, "", nil)
	})
}

// PurgeSessions deletes the sessions that have expired, for a periodic job,
// and returns how many it deleted.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.clock.Now()
	res, err := s.db.Exec(ctx, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
		core.Millis(now), core.Millis(now.Add(-SessionIdleTimeout)))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return n, nil
}
