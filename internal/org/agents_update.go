package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth/password"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// UpdateAgent changes the agent with login. Administrators change anything;
// an agent changes only their own locale and password (Forbidden otherwise).
// Deactivating an agent ends their sessions and revokes their API tokens at
// once; their name stays on everything they did. A password set by someone
// else also ends the agent's sessions.
func (s *Store) UpdateAgent(ctx context.Context, actor *core.Actor, login string, in AgentUpdate) (Agent, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	self := actor != nil && actor.AgentID != "" && actor.Login == login
	if !actor.Can(core.PermAdmin) {
		if !self {
			return Agent{}, core.Errorf(core.Forbidden, "permission %q required", core.PermAdmin)
		}
		if in.Name != nil || in.Initials != nil || in.Email != nil || in.UnitCode != nil ||
			in.Roles != nil || in.ScopeUnitCodes != nil || in.Active != nil {
			return Agent{}, core.Errorf(core.Forbidden, "agents may change only their own language and password")
		}
	}
	f := core.Fields{}
	if !checkCodes(f, deref(in.UnitCode), derefList(in.Roles), derefList(in.ScopeUnitCodes)) {
		return Agent{}, f.Err()
	}
	for field, v := range map[string]*string{"name": in.Name, "initials": in.Initials, "email": in.Email, "locale": in.Locale} {
		core.CheckText(f, field, deref(v), core.MaxName)
	}
	if in.Password != nil {
		core.CheckText(f, "password", *in.Password, core.MaxPassword)
	}
	if self && in.Active != nil && !*in.Active {
		f.Add("active", core.Because("self_deactivation"))
	}
	var hash string
	if in.Password != nil {
		if err := password.Validate(*in.Password); err != nil {
			addFields(f, err)
		} else if hash, err = password.Hash(*in.Password); err != nil {
			return Agent{}, fmt.Errorf("update agent %s: %w", login, err)
		}
	}
	var a Agent
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.actorsChanged(ctx, tx); err != nil {
			return err
		}
		old, err := agentWhere(ctx, tx, "a.login = ?", login)
		if err != nil {
			return err
		}
		a = old
		changes := map[string]audit.Change{}
		set := func(field string, dst *string, v *string, transform func(string) string) {
			if v == nil {
				return
			}
			nv := transform(*v)
			if nv != *dst {
				changes[field] = audit.Change{Old: *dst, New: nv}
				*dst = nv
			}
		}
		set("name", &a.Name, in.Name, strings.TrimSpace)
		set("initials", &a.Initials, in.Initials, func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) })
		set("email", &a.Email, in.Email, strings.TrimSpace)
		set("locale", &a.Locale, in.Locale, strings.TrimSpace)
		validateAgentFields(f, a.Name, a.Initials, a.Email, a.Locale)

		unitID := a.UnitID
		if in.UnitCode != nil && strings.TrimSpace(*in.UnitCode) != a.UnitCode {
			code := strings.TrimSpace(*in.UnitCode)
			if unitID, err = unitIDOfCode(ctx, tx, code); err != nil {
				return err
			}
			if unitID == "" {
				f.Add("unit_code", core.Because("unknown_unit"))
			}
			changes["unit_code"] = audit.Change{Old: a.UnitCode, New: code}
		}
		var roles, scope []string
		if in.Roles != nil {
			if roles, err = checkRoles(ctx, tx, f, *in.Roles); err != nil {
				return err
			}
			if !sameSet(roles, a.Roles) {
				changes["roles"] = audit.Change{Old: a.Roles, New: roles}
			}
		}
		if in.ScopeUnitCodes != nil {
			if scope, err = scopeUnitIDs(ctx, tx, f, *in.ScopeUnitCodes); err != nil {
				return err
			}
			if !sameSet(*in.ScopeUnitCodes, a.ScopeUnitCodes) {
				changes["scope_unit_codes"] = audit.Change{Old: a.ScopeUnitCodes, New: *in.ScopeUnitCodes}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}

		now := core.Millis(s.clock.Now())
		if _, err := tx.Exec(ctx, `UPDATE agents SET name = ?, initials = ?, email = ?, locale = ?, unit_id = ?, updated_at = ? WHERE id = ?`,
			a.Name, a.Initials, a.Email, a.Locale, unitID, now, a.ID); err != nil {
			return fmt.Errorf("update agent %s: %w", login, err)
		}
		if in.Roles != nil {
			if err := setRoles(ctx, tx, a.ID, roles); err != nil {
				return err
			}
		}
		if in.ScopeUnitCodes != nil {
			if err := setScope(ctx, tx, a.ID, scope); err != nil {
				return err
			}
		}
		if in.Password != nil {
			if _, err := tx.Exec(ctx, "UPDATE agents SET password_hash = ? WHERE id = ?", hash, a.ID); err != nil {
				return fmt.Errorf("set password of %s: %w", login, err)
			}
			changes["password"] = audit.Change{New: "changed"} // never the password nor its hash
			if !self {
				if err := endSessions(ctx, tx, a.ID); err != nil {
					return err
				}
			}
		}
		if len(changes) > 0 {
			if err := s.log.Record(ctx, tx, actor, "agent.update", "agent", a.ID, "", changes); err != nil {
				return err
			}
		}
		if in.Active != nil && *in.Active != old.Active {
			if err := s.setActive(ctx, tx, actor, a.ID, *in.Active, now); err != nil {
				return err
			}
		}
		a, err = agentWhere(ctx, tx, "a.id = ?", a.ID)
		return err
	})
	if err != nil {
		return Agent{}, err
	}
	return a, nil
}

// setActive deactivates or reactivates an agent. Deactivation ends their
// sessions and revokes their API tokens; reactivation gives neither back.
func (s *Store) setActive(ctx context.Context, tx *db.Tx, actor *core.Actor, agentID string, active bool, now int64) error {
	if active {
		if _, err := tx.Exec(ctx, "UPDATE agents SET active = ?, deactivated_at = NULL WHERE id = ?", true, agentID); err != nil {
			return fmt.Errorf("reactivate agent: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "agent.reactivate", "agent", agentID, "", nil)
	}
	if _, err := tx.Exec(ctx, "UPDATE agents SET active = ?, deactivated_at = ? WHERE id = ?", false, now, agentID); err != nil {
		return fmt.Errorf("deactivate agent: %w", err)
	}
	if err := endSessions(ctx, tx, agentID); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL", now, agentID)
	if err != nil {
		return fmt.Errorf("revoke tokens of deactivated agent: %w", err)
	}
	revoked, _ := res.RowsAffected()
	return s.log.Record(ctx, tx, actor, "agent.deactivate", "agent", agentID, "", map[string]any{"tokens_revoked": revoked})
}

// endSessions signs the agent out everywhere.
func endSessions(ctx context.Context, q db.Querier, agentID string) error {
	if _, err := q.Exec(ctx, "DELETE FROM sessions WHERE agent_id = ?", agentID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefList(s *[]string) []string {
	if s == nil {
		return nil
	}
	return *s
}
