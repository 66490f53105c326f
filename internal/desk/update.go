package desk

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Patch changes a request's qualification; nil fields stay as they are.
// PartyID "" unlinks the party.
type Patch struct {
	Subject  *string
	Reason   *string
	Priority *string
	Status   *string
	PartyID  *string
}

// Update applies p to request id and records each change in the request's
// history and the audit log. Requires request.reply.
func (s *Store) Update(ctx context.Context, actor *core.Actor, id string, p Patch) (Request, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Request{}, err
	}
	old, err := s.Get(ctx, actor, id)
	if err != nil {
		return Request{}, err
	}
	f := core.Fields{}
	if p.Subject != nil {
		v := strings.TrimSpace(*p.Subject)
		p.Subject = &v
		if v == "" {
			f.Add("subject", core.Required())
		}
		core.CheckText(f, "subject", v, core.MaxSubject)
	}
	if p.Priority != nil && !slices.Contains(Priorities, *p.Priority) {
		f.Add("priority", core.OneOf(Priorities...))
	}
	if p.Status != nil && !slices.Contains(Statuses, *p.Status) {
		f.Add("status", core.OneOf(Statuses...))
	}
	if p.Reason != nil {
		core.CheckText(f, "reason", *p.Reason, core.MaxCode)
	}
	if p.PartyID != nil {
		core.CheckText(f, "party_id", *p.PartyID, core.MaxCode)
	}
	if err := f.Err(); err != nil {
		return Request{}, err
	}
	if p.Reason != nil && *p.Reason != "" && *p.Reason != old.Reason {
		if err := s.checkReason(ctx, old.UnitID, *p.Reason); err != nil {
			return Request{}, err
		}
	}
	if p.PartyID != nil && *p.PartyID != "" && *p.PartyID != old.PartyID {
		if err := s.parties.Visible(ctx, actor, *p.PartyID); err != nil {
			return Request{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
		}
	}
	now := s.clock.Now()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		changes := map[string][2]string{}
		set := func(col, kind, oldV string, v *string) error {
			if v == nil || *v == oldV {
				return nil
			}
			if _, err := tx.Exec(ctx, "UPDATE desk_requests SET "+col+" = ?, updated_at = ? WHERE id = ?", nullableIf(col == "party_id", *v), core.Millis(now), id); err != nil {
				return err
			}
			changes[kind] = [2]string{oldV, *v}
			return s.addEvent(ctx, tx, id, actor.AgentID, now, kind, oldV, *v)
		}
		for _, c := range []struct {
			col, kind, old string
			v              *string
		}{{"subject", "subject", old.Subject, p.Subject}, {"reason", "reason", old.Reason, p.Reason},
			{"priority", "priority", old.Priority, p.Priority}, {"party_id", "party", old.PartyID, p.PartyID}} {
			if err := set(c.col, c.kind, c.old, c.v); err != nil {
				return err
			}
		}
		if p.Status != nil && *p.Status != old.Status {
			if err := s.setStatus(ctx, tx, actor.AgentID, old, *p.Status, now); err != nil {
				return err
			}
			changes["status"] = [2]string{old.Status, *p.Status}
		}
		if len(changes) == 0 {
			return nil
		}
		if _, ok := changes["party"]; ok {
			if err := s.queueHistory(ctx, tx, id); err != nil {
				return err
			}
		}
		s.publish(ctx, tx, old.UnitID, "desk.request", map[string]string{"id": id, "change": "updated"})
		party := old.PartyID
		if p.PartyID != nil && *p.PartyID != "" {
			party = *p.PartyID
		}
		return s.log.Record(ctx, tx, actor, "request.update", "request", id, party, changes)
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, actor, id)
}

func nullableIf(null bool, v string) any {
	if null {
		return db.NullIfEmpty(v)
	}
	return v
}

// setStatus moves a request to status, keeping closed_at in step.
func (s *Store) setStatus(ctx context.Context, tx *db.Tx, agentID string, r Request, status string, now time.Time) error {
	var closed any
	if status == StatusClosed {
		closed = core.Millis(now)
	}
	if _, err := tx.Exec(ctx, "UPDATE desk_requests SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?",
		status, closed, core.Millis(now), r.ID); err != nil {
		return err
	}
	if status == StatusClosed && r.Status != StatusClosed {
		if err := s.tellClosed(ctx, tx, r, now); err != nil {
			return err
		}
	}
	return s.addEvent(ctx, tx, r.ID, agentID, now, "status", r.Status, status)
}

// Assign gives request id to the agent of login, or to nobody when login
// is "". Anyone who works requests may take one (assign it to themselves)
// or let it go; giving it to another agent requires request.assign, and
// that agent must work in a unit of the request's unit's tree.
func (s *Store) Assign(ctx context.Context, actor *core.Actor, id, login string) (Request, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Request{}, err
	}
	r, err := s.Get(ctx, actor, id)
	if err != nil {
		return Request{}, err
	}
	newID, newLogin := "", ""
	if login != "" {
		a, err := s.orgs.AgentByLogin(ctx, login)
		if err != nil || !a.Active {
			return Request{}, core.Fields{"agent": core.Because("unknown_agent")}.Err()
		}
		newID, newLogin = a.ID, a.Login
	}
	if newID != actor.AgentID && !(newID == "" && r.Assignee != nil && r.Assignee.ID == actor.AgentID) {
		if err := actor.Require(core.PermRequestAssign); err != nil {
			return Request{}, err
		}
	}
	if newID != "" {
		ok, err := s.agentServes(ctx, newID, r.UnitID)
		if err != nil {
			return Request{}, err
		}
		if !ok {
			return Request{}, core.Fields{"agent": core.Because("outside_scope")}.Err()
		}
	}
	oldLogin := ""
	if r.Assignee != nil {
		oldLogin = r.Assignee.Login
		if r.Assignee.ID == newID {
			return r, nil
		}
	} else if newID == "" {
		return r, nil
	}
	now := s.clock.Now()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE desk_requests SET assignee_id = ?, updated_at = ? WHERE id = ?", db.NullIfEmpty(newID), core.Millis(now), id); err != nil {
			return err
		}
		if r.Status == StatusNew && newID != "" {
			if err := s.setStatus(ctx, tx, actor.AgentID, r, StatusOpen, now); err != nil {
				return err
			}
		}
		if err := s.addEvent(ctx, tx, id, actor.AgentID, now, "assign", oldLogin, newLogin); err != nil {
			return err
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": id, "change": "assigned"})
		return s.log.Record(ctx, tx, actor, "request.assign", "request", id, r.PartyID, map[string]string{"from": oldLogin, "to": newLogin})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, actor, id)
}

// agentServes reports whether agent works in the unit's tree: the unit,
// one below it, or one above it up to the establishment.
func (s *Store) agentServes(ctx context.Context, agentID, unitID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM agents a JOIN units au ON au.id = a.unit_id JOIN units ru ON ru.id = ?
		WHERE a.id = ? AND (substr(au.path, 1, length(ru.path)) = ru.path OR substr(ru.path, 1, length(au.path)) = au.path)`,
		unitID, agentID).Scan(&n)
	return n > 0, err
}

// MarkRead marks the request's inbound messages read, once an agent has
// had it open and visible long enough (the page asks after 3 seconds).
// It answers whether anything was unread.
func (s *Store) MarkRead(ctx context.Context, actor *core.Actor, id string) (bool, error) {
	r, err := s.Get(ctx, actor, id)
	if err != nil {
		return false, err
	}
	if r.Unread == 0 {
		return false, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE desk_requests SET unread = 0 WHERE id = ?", id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT id, flags FROM desk_messages WHERE request_id = ? AND kind = 'inbound' AND flags LIKE '%unread%'", id)
		if err != nil {
			return err
		}
		type upd struct{ id, flags string }
		var ups []upd
		for rows.Next() {
			var u upd
			if err := rows.Scan(&u.id, &u.flags); err != nil {
				rows.Close()
				return err
			}
			ups = append(ups, u)
		}
		rows.Close()
		for _, u := range ups {
			if _, err := tx.Exec(ctx, "UPDATE desk_messages SET flags = ? WHERE id = ?", removeFlag(u.flags, FlagUnread), u.id); err != nil {
				return err
			}
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": id, "change": "read"})
		return s.log.Record(ctx, tx, actor, "request.read", "request", id, r.PartyID, nil)
	})
	return err == nil, err
}

func removeFlag(flags, f string) string {
	out := []string{}
	for _, x := range strings.Fields(flags) {
		if x != f {
			out = append(out, x)
		}
	}
	return strings.Join(out, " ")
}
