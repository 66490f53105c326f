package auth

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/rapport-crm/rapport/internal/auth/password"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// errBadCredentials is the one answer to every failed sign-in, so nobody can
// learn which logins exist or which agents have left.
var errBadCredentials = core.Errorf(core.Unauthorized, "unknown login or wrong password")

// Login checks a password and opens a session, returning the session token
// for the cookie and the agent's actor. An unknown login, a wrong password,
// a deactivated agent and an agent without a password all get the same
// Unauthorized error; repeated failures from one client IP for one login,
// and many failures from one client IP whatever the logins, are throttled
// with TooManyTries.
func (s *Service) Login(ctx context.Context, login, pw, clientIP string) (string, *core.Actor, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	key := throttleKey(login, clientIP)
	wait := s.throttle.attempt(key)
	if wait == 0 {
		wait = s.perIP.attempt(clientIP)
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		return "", nil, core.Errorf(core.TooManyTries, "too many failed sign-in attempts: try again in %d seconds", secs)
	}
	cred, err := s.orgs.Credentials(ctx, login)
	if err != nil && core.ErrorCode(err) != core.NotFound {
		// Not a failed guess (the database did not answer): not counted.
		s.throttle.forgetOne(key)
		s.perIP.forgetOne(clientIP)
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	ok := false
	if err == nil && cred.PasswordHash != "" {
		// A malformed stored hash counts as a wrong password.
		ok, _ = password.Verify(cred.PasswordHash, pw)
	} else {
		s.burnTime(pw)
	}
	if !ok || !cred.Active {
		if err := s.log.Record(ctx, s.db, nil, "auth.login_failed", "agent", cred.AgentID, "",
			map[string]string{"login": truncate(login, 100), "ip": clientIP}); err != nil {
			return "", nil, err
		}
		return "", nil, errBadCredentials
	}
	actor, err := s.orgs.Actor(ctx, cred.AgentID)
	if err != nil {
		return "", nil, err
	}
	var token string
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if token, err = s.openSession(ctx, tx, actor.AgentID); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "auth.login", "agent", actor.AgentID, "", map[string]string{"ip": clientIP})
	})
	if err != nil {
		return "", nil, err
	}
	s.throttle.succeed(key)
	s.perIP.forgetOne(clientIP)
	return token, actor, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
