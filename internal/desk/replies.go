package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Draft is what an agent writes: a reply, a note, a solicitation.
type Draft struct {
	Body    string   // HTML allowed (sanitised) or plain text
	Subject string   // a solicitation's or a reply's; defaults from the request or thread
	To      string   // a solicitation's recipient
	Files   []Upload // attachments; Inline ones with a ContentID the body shows as cid:
	// SeenLast is the id of the last message the agent had seen when they
	// started writing; a reply another agent sent since is a Conflict
	// unless Force.
	SeenLast string
	Force    bool
}

// check validates a draft's texts and files, naming the fields.
func (d *Draft) check(f core.Fields) []Upload {
	d.Subject, d.To = strings.TrimSpace(d.Subject), strings.ToLower(strings.TrimSpace(d.To))
	if strings.TrimSpace(d.Body) == "" && len(d.Files) == 0 {
		f.Add("body", core.Required())
	}
	core.CheckText(f, "body", d.Body, core.MaxBody)
	core.CheckText(f, "subject", d.Subject, core.MaxSubject)
	core.CheckText(f, "to", d.To, core.MaxCoordinate)
	core.CheckText(f, "seen_last", d.SeenLast, core.MaxCode)
	return checkUploads(f, "attachments", d.Files)
}

// Reply queues an email to the request's customer in the transaction that
// records it; a job sends it. A new request becomes open, and the first
// reply meets the first-response target. Requires request.reply.
func (s *Store) Reply(ctx context.Context, actor *core.Actor, requestID string, d Draft) (Message, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Message{}, err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return Message{}, err
	}
	f := core.Fields{}
	ups := d.check(f)
	if r.CustomerEmail == "" {
		f.Add("to", core.Because("no_customer_email"))
	}
	if err := f.Err(); err != nil {
		return Message{}, err
	}
	if err := s.checkCollision(ctx, actor, r.ID, "", d); err != nil {
		return Message{}, err
	}
	mb, err := s.mailboxForUnit(ctx, s.db, r.MailboxID, r.UnitID)
	if err != nil {
		return Message{}, err
	}
	files, err := s.putFiles(ctx, ups)
	if err != nil {
		return Message{}, err
	}
	subject := d.Subject
	if subject == "" {
		subject = "Re: " + r.Subject
	}
	now := s.clock.Now()
	var m Message
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		m, err = s.queue(ctx, tx, outbound{req: r, mailbox: mb, to: r.CustomerEmail, subject: withTag(subject, r.Reference),
			html: content.SafeOutgoingHTML(d.Body), files: files, uploads: ups, agentID: actor.AgentID, at: now})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE desk_requests SET first_response_at = COALESCE(first_response_at, ?) WHERE id = ?",
			core.Millis(now), r.ID); err != nil {
			return err
		}
		if r.Status == StatusNew {
			if err := s.setStatus(ctx, tx, actor.AgentID, r, StatusOpen, now); err != nil {
				return err
			}
		}
		if r.PartyID != "" {
			if err := s.queueHistory(ctx, tx, r.ID); err != nil {
				return err
			}
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "replied", "agent": actor.AgentID})
		return s.log.Record(ctx, tx, actor, "request.reply", "request", r.ID, r.PartyID, map[string]any{"message": m.ID, "files": len(files)})
	})
	return m, err
}

// checkCollision refuses a reply when another agent replied in the thread
// after the last message the agent had seen.
func (s *Store) checkCollision(ctx context.Context, actor *core.Actor, requestID, solicitationID string, d Draft) error {
	if d.Force || d.SeenLast == "" {
		return nil
	}
	cond, args := " AND solicitation_id IS NULL", []any{requestID, d.SeenLast, db.NullIfEmpty(actor.AgentID)}
	if solicitationID != "" {
		cond, args = " AND solicitation_id = ?", append(args, solicitationID)
	}
	var who string
	err := s.db.QueryRow(ctx, `SELECT a.name FROM desk_messages m JOIN agents a ON a.id = m.agent_id
		WHERE m.request_id = ? AND m.kind = 'outbound' AND m.id > ? AND m.agent_id <> COALESCE(?, '')`+cond+` ORDER BY m.id DESC LIMIT 1`,
		args...).Scan(&who)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return core.Errorf(core.Conflict, "%s replied since you opened this request: read the reply before sending yours", who)
}

// Note adds an internal note: agents see it in the request's history; it
// is never sent. Requires request.reply.
func (s *Store) Note(ctx context.Context, actor *core.Actor, requestID string, d Draft) (Message, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Message{}, err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return Message{}, err
	}
	f := core.Fields{}
	ups := d.check(f)
	if err := f.Err(); err != nil {
		return Message{}, err
	}
	files, err := s.putFiles(ctx, ups)
	if err != nil {
		return Message{}, err
	}
	m := Message{RequestID: r.ID, Kind: KindNote, HTML: content.SafeHTML(d.Body), Text: d.Body,
		Agent: &Agent{ID: actor.AgentID}, Files: files, CreatedAt: s.clock.Now()}
	if actor.AgentID == "" {
		m.Agent = nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.insertMessage(ctx, tx, &m, ""); err != nil {
			return err
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "note"})
		return s.log.Record(ctx, tx, actor, "request.note", "request", r.ID, r.PartyID, map[string]any{"message": m.ID})
	})
	return m, err
}

// Solicit writes to an outside person or service about the request: a
// new solicitation thread whose replies come back to the request. The
// subject defaults to the request's. Requires request.reply.
func (s *Store) Solicit(ctx context.Context, actor *core.Actor, requestID string, d Draft) (Solicitation, Message, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Solicitation{}, Message{}, err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return Solicitation{}, Message{}, err
	}
	f := core.Fields{}
	ups := d.check(f)
	if a, err := mail.ParseAddress(d.To); d.To == "" || err != nil || !strings.EqualFold(a.Address, d.To) {
		f.Add("to", core.Because("email"))
	}
	if err := f.Err(); err != nil {
		return Solicitation{}, Message{}, err
	}
	if d.Subject == "" {
		d.Subject = r.Subject
	}
	mb, err := s.mailboxForUnit(ctx, s.db, r.MailboxID, r.UnitID)
	if err != nil {
		return Solicitation{}, Message{}, err
	}
	files, err := s.putFiles(ctx, ups)
	if err != nil {
		return Solicitation{}, Message{}, err
	}
	now := s.clock.Now()
	so := Solicitation{ID: core.NewID(), RequestID: r.ID, Recipient: d.To, Subject: d.Subject, CreatedAt: now}
	var m Message
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO desk_solicitations (id, request_id, recipient, subject, unit_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, so.ID, r.ID, so.Recipient, so.Subject, r.UnitID, db.NullIfEmpty(actor.AgentID), core.Millis(now)); err != nil {
			return fmt.Errorf("insert solicitation: %w", err)
		}
		m, err = s.queue(ctx, tx, outbound{req: r, mailbox: mb, solicitation: so.ID, to: so.Recipient,
			subject: withTag(so.Subject, r.Reference), html: content.SafeOutgoingHTML(d.Body), files: files, uploads: ups,
			agentID: actor.AgentID, at: now})
		if err != nil {
			return err
		}
		if err := s.addEvent(ctx, tx, r.ID, actor.AgentID, now, "solicited", "", so.Recipient); err != nil {
			return err
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "solicited"})
		return s.log.Record(ctx, tx, actor, "request.solicit", "request", r.ID, r.PartyID, map[string]any{"solicitation": so.ID, "to": so.Recipient})
	})
	return so, m, err
}

// ReplySolicitation writes again in a solicitation thread, to its
// recipient (which cannot change); the subject defaults to the thread's
// last message's. Requires request.reply.
func (s *Store) ReplySolicitation(ctx context.Context, actor *core.Actor, requestID, solicitationID string, d Draft) (Message, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Message{}, err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return Message{}, err
	}
	var so Solicitation
	err = s.db.QueryRow(ctx, "SELECT id, recipient, subject FROM desk_solicitations WHERE id = ? AND request_id = ?", solicitationID, r.ID).
		Scan(&so.ID, &so.Recipient, &so.Subject)
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, core.Errorf(core.NotFound, "solicitation %s not found", solicitationID)
	}
	if err != nil {
		return Message{}, err
	}
	d.To = "" // locked: the thread's recipient
	f := core.Fields{}
	ups := d.check(f)
	if err := f.Err(); err != nil {
		return Message{}, err
	}
	if err := s.checkCollision(ctx, actor, r.ID, so.ID, d); err != nil {
		return Message{}, err
	}
	if d.Subject == "" {
		d.Subject = s.lastSubject(ctx, so.ID, so.Subject)
	}
	mb, err := s.mailboxForUnit(ctx, s.db, r.MailboxID, r.UnitID)
	if err != nil {
		return Message{}, err
	}
	files, err := s.putFiles(ctx, ups)
	if err != nil {
		return Message{}, err
	}
	now := s.clock.Now()
	var m Message
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		m, err = s.queue(ctx, tx, outbound{req: r, mailbox: mb, solicitation: so.ID, to: so.Recipient,
			subject: withTag(d.Subject, r.Reference), html: content.SafeOutgoingHTML(d.Body), files: files, uploads: ups,
			agentID: actor.AgentID, at: now})
		if err != nil {
			return err
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "solicited"})
		return s.log.Record(ctx, tx, actor, "request.solicitation_reply", "request", r.ID, r.PartyID, map[string]any{"solicitation": so.ID})
	})
	return m, err
}

// LastSubject returns the subject a reply in a solicitation thread starts
// from: "Re: " and the last message's subject.
func (s *Store) lastSubject(ctx context.Context, solicitationID, fallback string) string {
	var subj string
	err := s.db.QueryRow(ctx, "SELECT subject FROM desk_messages WHERE solicitation_id = ? ORDER BY created_at DESC, id DESC LIMIT 1", solicitationID).Scan(&subj)
	if err != nil || subj == "" {
		subj = fallback
	}
	if !strings.HasPrefix(strings.ToLower(subj), "re:") {
		subj = "Re: " + subj
	}
	return subj
}

// Recipient is an address already solicited and how many times.
type Recipient struct {
	Email string `json:"email"`
	Count int    `json:"count"`
}

// Recipients suggests the addresses already solicited from the units in
// the actor's scope that start with (or contain, after the start's) q,
// most solicited first. Requires request.reply.
func (s *Store) Recipients(ctx context.Context, actor *core.Actor, q string, limit int) ([]Recipient, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return nil, err
	}
	q = strings.ToLower(strings.TrimSpace(q))
	f := core.Fields{}
	core.CheckText(f, "q", q, core.MaxQuery)
	if err := f.Err(); err != nil {
		return nil, err
	}
	limit = core.PageLimit(limit, 10, 50)
	cond, args := scopeCond("unit_id", actor.Scope)
	like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
	rows, err := s.db.Query(ctx, `SELECT recipient, COUNT(*) AS n FROM desk_solicitations WHERE recipient LIKE ?`+cond+`
		GROUP BY recipient ORDER BY n DESC, recipient LIMIT ?`, append(append([]any{like}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("solicited recipients: %w", err)
	}
	defer rows.Close()
	out := []Recipient{}
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.Email, &r.Count); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
