package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
)

// SessionStillOpen returns the actor of a session token like SessionActor,
// without counting as a use: it does not extend the idle timeout. Open
// live streams check their session with it, so a page left open does not
// keep its session alive.
func (s *Service) SessionStillOpen(ctx context.Context, token string) (*core.Actor, error) {
	if token == "" {
		return nil, errNoSession
	}
	agentID, open, err := s.readSession(ctx, digestOf(token))
	if err != nil {
		return nil, err
	}
	if !open {
		return nil, errNoSession
	}
	return s.orgs.Actor(ctx, agentID)
}

// readSession reads the session of a token's digest: its agent, whether
// it is still open (neither past its maximum age nor idle too long) and
// when it was last used; errNoSession when there is none.
func (s *Service) readSession(ctx context.Context, digest string) (agentID string, open bool, err error) {
	agentID, open, _, err = s.readSessionSeen(ctx, digest)
	return agentID, open, err
}

func (s *Service) readSessionSeen(ctx context.Context, digest string) (agentID string, open bool, lastSeen int64, err error) {
	var expires int64
	err = s.db.QueryRow(ctx, "SELECT agent_id, expires_at, last_seen_at FROM sessions WHERE token_hash = ?", digest).
		Scan(&agentID, &expires, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, 0, errNoSession
	}
	if err != nil {
		return "", false, 0, fmt.Errorf("read session: %w", err)
	}
	now := s.clock.Now()
	open = now.Before(core.FromMillis(expires)) && now.Before(core.FromMillis(lastSeen).Add(SessionIdleTimeout))
	return agentID, open, lastSeen, nil
}
