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
	var agentID string
	var expires, lastSeen int64
	err := s.db.QueryRow(ctx, "SELECT agent_id, expires_at, last_seen_at FROM sessions WHERE token_hash = ?", digestOf(token)).
		Scan(&agentID, &expires, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	now := s.clock.Now()
	if !now.Before(core.FromMillis(expires)) || !now.Before(core.FromMillis(lastSeen).Add(SessionIdleTimeout)) {
		return nil, errNoSession
	}
	return s.orgs.Actor(ctx, agentID)
}
