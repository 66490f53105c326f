package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
)

// NewRequest is a request an agent records (a phone call), an integration
// pushes (any channel, chat included) or the web form sends.
type NewRequest struct {
	UnitID        string
	Channel       string
	Subject       string
	Body          string // what the customer asked: the first inbound message
	CustomerName  string
	CustomerEmail string
	CustomerPhone string
	PartyID       string
	Priority      string
	Reason        string
	Files         []Upload
}

// Upload is a file sent with a message, before it is checked.
type Upload struct {
	Name        string
	ContentType string
	Inline      bool
	ContentID   string
	Data        []byte
}

// draft is a request about to be inserted, whatever its origin.
type draft struct {
	unitID, mailboxID, formID, channel string
	subject, name, email, phone        string
	partyID, priority, reason, flags   string
	previousID, createdBy              string
	at                                 time.Time
}

// Create records a request with its first message. Requires request.reply
// and the unit in scope; the party, when given, must be visible.
func (s *Store) Create(ctx context.Context, actor *core.Actor, in NewRequest) (Request, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Request{}, err
	}
	in.Subject, in.CustomerName = strings.TrimSpace(in.Subject), strings.TrimSpace(in.CustomerName)
	in.CustomerEmail = strings.ToLower(strings.TrimSpace(in.CustomerEmail))
	in.CustomerPhone = strings.TrimSpace(in.CustomerPhone)
	if in.UnitID == "" {
		in.UnitID = actor.UnitID
	}
	if in.Priority == "" {
		in.Priority = PriorityLow
	}
	f := core.Fields{}
	if !slices.Contains(Channels, in.Channel) {
		f.Add("channel", core.OneOf(Channels...))
	}
	if in.Subject == "" {
		f.Add("subject", core.Required())
	}
	core.CheckText(f, "subject", in.Subject, core.MaxSubject)
	core.CheckText(f, "body", in.Body, core.MaxBody)
	core.CheckText(f, "customer_name", in.CustomerName, core.MaxName)
	core.CheckText(f, "customer_email", in.CustomerEmail, core.MaxCoordinate)
	core.CheckText(f, "customer_phone", in.CustomerPhone, core.MaxCoordinate)
	if !slices.Contains(Priorities, in.Priority) {
		f.Add("priority", core.OneOf(Priorities...))
	}
	core.CheckText(f, "reason", in.Reason, core.MaxCode)
	files := checkUploads(f, "attachments", in.Files)
	if !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Request{}, err
	}
	if in.Reason != "" {
		if err := s.checkReason(ctx, in.UnitID, in.Reason); err != nil {
			return Request{}, err
		}
	}
	if in.PartyID != "" {
		if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
			return Request{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
		}
	}
	stored, err := s.putFiles(ctx, files)
	if err != nil {
		return Request{}, err
	}
	var out Request
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		d := draft{unitID: in.UnitID, channel: in.Channel, subject: in.Subject, name: in.CustomerName,
			email: in.CustomerEmail, phone: in.CustomerPhone, partyID: in.PartyID, priority: in.Priority,
			reason: in.Reason, createdBy: actor.AgentID, at: s.clock.Now()}
		if d.partyID == "" && d.email != "" {
			d.partyID, err = s.partyByEmail(ctx, tx, d.unitID, d.email)
			if err != nil {
				return err
			}
		}
		req, err := s.insertRequest(ctx, tx, d)
		if err != nil {
			return err
		}
		m := &Message{RequestID: req.ID, Kind: KindInbound, FromName: d.name, FromEmail: d.email,
			Subject: d.subject, Text: in.Body, CreatedAt: d.at, Files: stored}
		if in.Channel == ChannelPhone && actor.AgentID != "" {
			m.Agent = &Agent{ID: actor.AgentID} // who took the call
		}
		if err := s.insertMessage(ctx, tx, m, ""); err != nil {
			return err
		}
		if err := s.log.Record(ctx, tx, actor, "request.create", "request", req.ID, req.PartyID,
			map[string]any{"channel": req.Channel, "reference": req.Reference}); err != nil {
			return err
		}
		out = req
		return nil
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, actor, out.ID)
}

// insertRequest allocates the next reference, computes the due times and
// inserts the request with its "created" event; it tells live pages.
func (s *Store) insertRequest(ctx context.Context, tx *db.Tx, d draft) (Request, error) {
	var n int64
	if err := tx.QueryRow(ctx, "UPDATE desk_counters SET value = value + 1 WHERE name = 'request' RETURNING value").Scan(&n); err != nil {
		return Request{}, fmt.Errorf("next request reference: %w", err)
	}
	first, resolution, err := s.dueTimes(ctx, tx, d.unitID, d.at)
	if err != nil {
		return Request{}, err
	}
	if d.priority == "" {
		d.priority = PriorityLow
	}
	at := core.Millis(d.at)
	r := Request{ID: core.NewID(), Reference: fmt.Sprintf("R-%06d", n), UnitID: d.unitID, MailboxID: d.mailboxID,
		FormID: d.formID, Channel: d.channel, Status: StatusNew, Priority: d.priority, Reason: d.reason,
		Subject: d.subject, PartyID: d.partyID, CustomerName: d.name, CustomerEmail: d.email,
		CustomerPhone: d.phone, Flags: flagsOf(d.flags), PreviousID: d.previousID, CreatedAt: d.at, LastMessageAt: d.at}
	_, err = tx.Exec(ctx, `INSERT INTO desk_requests (id, reference, unit_id, mailbox_id, form_id, channel, status,
		priority, reason, subject, party_id, customer_name, customer_email, customer_phone, flags, previous_id,
		first_response_due, resolution_due, created_by, created_at, last_message_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Reference, r.UnitID, db.NullIfEmpty(r.MailboxID), db.NullIfEmpty(r.FormID), r.Channel, r.Status,
		r.Priority, r.Reason, r.Subject, db.NullIfEmpty(r.PartyID), r.CustomerName, r.CustomerEmail, r.CustomerPhone,
		d.flags, db.NullIfEmpty(r.PreviousID), first, resolution, db.NullIfEmpty(d.createdBy), at, at, at)
	if err != nil {
		return Request{}, fmt.Errorf("insert request: %w", err)
	}
	if err := s.addEvent(ctx, tx, r.ID, d.createdBy, d.at, "created", "", r.Channel); err != nil {
		return Request{}, err
	}
	s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "created"})
	return r, nil
}

// addEvent records a change of a request.
func (s *Store) addEvent(ctx context.Context, q db.Querier, requestID, agentID string, at time.Time, kind, old, new string) error {
	_, err := q.Exec(ctx, `INSERT INTO desk_events (id, request_id, at, agent_id, kind, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		core.NewID(), requestID, core.Millis(at), db.NullIfEmpty(agentID), kind, old, new)
	if err != nil {
		return fmt.Errorf("request event: %w", err)
	}
	return nil
}

// publish tells the live pages of the unit's agents, once tx commits.
// Live pages are a convenience: a failure is logged, never returned.
func (s *Store) publish(ctx context.Context, tx *db.Tx, unitID, topic string, data any) {
	if s.bus == nil {
		return
	}
	e, err := newEvent(unitID, topic, data)
	if err != nil {
		s.logger.Warn("desk event", "err", err)
		return
	}
	if err := s.bus.PublishTx(ctx, tx, e); err != nil {
		s.logger.Warn("desk event", "topic", topic, "err", err)
	}
}

func newEvent(unitID, topic string, data any) (events.Event, error) {
	b, err := jsonMarshal(data)
	if err != nil {
		return events.Event{}, err
	}
	return events.Event{Topic: topic, Audience: []string{events.Unit(unitID)}, Data: b}, nil
}

// partyByEmail returns the one party of the unit's establishment holding
// email, or "" when none or several do (the agent then links by hand).
func (s *Store) partyByEmail(ctx context.Context, q db.Querier, unitID, email string) (string, error) {
	if email == "" {
		return "", nil
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT p.id FROM party_emails e
		JOIN parties p ON p.id = e.party_id
		JOIN units a ON a.id = p.agency_id
		JOIN units u ON u.id = ?
		WHERE e.address = ? AND substr(a.path, 1, length(u.path)) = u.path
		LIMIT 2`, establishmentUnit(ctx, q, unitID), email)
	if err != nil {
		return "", fmt.Errorf("party of %s: %w", email, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	return "", nil
}

// establishmentUnit returns the establishment at the head of unitID's
// path (unitID itself when it cannot be read).
func establishmentUnit(ctx context.Context, q db.Querier, unitID string) string {
	var path string
	if err := q.QueryRow(ctx, "SELECT path FROM units WHERE id = ?", unitID).Scan(&path); err != nil {
		return unitID
	}
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root
}

// checkReason refuses a reason not in the establishment's catalogue.
func (s *Store) checkReason(ctx context.Context, unitID, code string) error {
	book, err := s.books.ForUnit(ctx, s.db, unitID)
	if err != nil {
		return err
	}
	if !book.IsActive(reasonsKind, code) {
		return core.Fields{"reason": core.Because("unknown_reason")}.Err()
	}
	return nil
}
