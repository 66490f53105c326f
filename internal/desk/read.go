package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// requestColumns are the columns scanRequest reads, from desk_requests r
// joined to the assignee (a), the unit (u) and the party (p).
const requestColumns = `r.id, r.reference, r.unit_id, u.name, COALESCE(r.mailbox_id, ''), COALESCE(r.form_id, ''),
	r.channel, r.status, r.priority, r.reason, r.subject, COALESCE(r.party_id, ''),
	COALESCE(CASE WHEN p.kind = 'organization' THEN p.name ELSE TRIM(p.first_name || ' ' || p.last_name) END, ''),
	r.customer_name, r.customer_email, r.customer_phone, COALESCE(a.id, ''), COALESCE(a.login, ''), COALESCE(a.name, ''),
	COALESCE(a.initials, ''), r.unread, r.flags, COALESCE(r.previous_id, ''), r.first_response_due, r.first_response_at,
	r.resolution_due, r.closed_at, r.created_at, r.last_message_at, r.updated_at`

// requestFrom is the FROM clause of requestColumns.
const requestFrom = ` FROM desk_requests r
	JOIN units u ON u.id = r.unit_id
	LEFT JOIN agents a ON a.id = r.assignee_id
	LEFT JOIN parties p ON p.id = r.party_id`

func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var aID, aLogin, aName, aInitials, flags string
	var firstDue, firstAt, resDue, closed sql.NullInt64
	var created, last, updated int64
	err := row.Scan(&r.ID, &r.Reference, &r.UnitID, &r.UnitName, &r.MailboxID, &r.FormID, &r.Channel, &r.Status,
		&r.Priority, &r.Reason, &r.Subject, &r.PartyID, &r.PartyName, &r.CustomerName, &r.CustomerEmail,
		&r.CustomerPhone, &aID, &aLogin, &aName, &aInitials, &r.Unread, &flags, &r.PreviousID, &firstDue, &firstAt,
		&resDue, &closed, &created, &last, &updated)
	if err != nil {
		return r, err
	}
	if aID != "" {
		r.Assignee = &Agent{ID: aID, Login: aLogin, Name: aName, Initials: aInitials}
	}
	r.Flags = flagsOf(flags)
	r.FirstResponseDue, r.FirstResponseAt = timePtr(firstDue), timePtr(firstAt)
	r.ResolutionDue, r.ClosedAt = timePtr(resDue), timePtr(closed)
	r.CreatedAt, r.LastMessageAt, r.UpdatedAt = core.FromMillis(created), core.FromMillis(last), core.FromMillis(updated)
	return r, nil
}

func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := core.FromMillis(v.Int64)
	return &t
}

// Get returns request id when the actor may read it (request.read and its
// unit in scope); NotFound otherwise, as for one that does not exist.
func (s *Store) Get(ctx context.Context, actor *core.Actor, id string) (Request, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return Request{}, err
	}
	return s.get(ctx, s.db, actor.Scope, id)
}

func (s *Store) get(ctx context.Context, q db.Querier, scope core.Scope, id string) (Request, error) {
	if !core.ValidID(id) {
		return Request{}, core.Errorf(core.NotFound, "request %s not found", id)
	}
	cond, args := scopeCond("r.unit_id", scope)
	r, err := scanRequest(q.QueryRow(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.id = ?"+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, core.Errorf(core.NotFound, "request %s not found", id)
	}
	if err != nil {
		return Request{}, fmt.Errorf("request %s: %w", id, err)
	}
	return r, nil
}

// GetByReference returns the request of a reference (R-000123), scoped as Get.
func (s *Store) GetByReference(ctx context.Context, actor *core.Actor, ref string) (Request, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return Request{}, err
	}
	var id string
	err := s.db.QueryRow(ctx, "SELECT id FROM desk_requests WHERE reference = ?", ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, core.Errorf(core.NotFound, "request %s not found", ref)
	}
	if err != nil {
		return Request{}, err
	}
	return s.get(ctx, s.db, actor.Scope, id)
}

// Thread is everything a request holds: its messages (notes and
// solicitation mail included) and its other changes, each oldest first,
// and its solicitations.
type Thread struct {
	Messages      []Message      `json:"messages"`
	Events        []Event        `json:"events"`
	Solicitations []Solicitation `json:"solicitations"`
}

// Thread returns request id's thread, scoped as Get. It is not audited:
// the page that shows it records the consultation (Viewed).
func (s *Store) Thread(ctx context.Context, actor *core.Actor, id string) (Thread, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return Thread{}, err
	}
	var t Thread
	var err error
	if t.Messages, err = s.messages(ctx, id); err != nil {
		return Thread{}, err
	}
	if t.Events, err = s.events(ctx, id); err != nil {
		return Thread{}, err
	}
	if t.Solicitations, err = s.solicitations(ctx, id); err != nil {
		return Thread{}, err
	}
	return t, nil
}

// Viewed records in the audit log that the actor opened request id.
func (s *Store) Viewed(ctx context.Context, actor *core.Actor, r Request) error {
	return s.log.Record(ctx, s.db.Traces(), actor, "request.view", "request", r.ID, r.PartyID, nil)
}

const messageColumns = `m.id, m.request_id, COALESCE(m.solicitation_id, ''), m.kind, m.message_id, m.from_name, m.from_email,
	m.to_emails, m.cc_emails, m.subject, m.body_text, m.body_html, COALESCE(a.id, ''), COALESCE(a.login, ''),
	COALESCE(a.name, ''), COALESCE(a.initials, ''), m.status, m.status_detail, m.flags, m.raw_hash, m.created_at, m.sent_at`

func scanMessage(row interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var to, cc, flags, aID, aLogin, aName, aInitials string
	var created int64
	var sent sql.NullInt64
	err := row.Scan(&m.ID, &m.RequestID, &m.SolicitationID, &m.Kind, &m.MessageID, &m.FromName, &m.FromEmail, &to, &cc,
		&m.Subject, &m.Text, &m.HTML, &aID, &aLogin, &aName, &aInitials, &m.Status, &m.StatusDetail, &flags, &m.RawHash,
		&created, &sent)
	if err != nil {
		return m, err
	}
	if aID != "" {
		m.Agent = &Agent{ID: aID, Login: aLogin, Name: aName, Initials: aInitials}
	}
	m.To, m.Cc, m.Flags = splitList(to), splitList(cc), flagsOf(flags)
	m.CreatedAt, m.SentAt, m.Files = core.FromMillis(created), timePtr(sent), []File{}
	return m, nil
}

func (s *Store) messages(ctx context.Context, requestID string) ([]Message, error) {
	rows, err := s.db.Query(ctx, "SELECT "+messageColumns+` FROM desk_messages m LEFT JOIN agents a ON a.id = m.agent_id
		WHERE m.request_id = ? ORDER BY m.created_at, m.id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", requestID, err)
	}
	defer rows.Close()
	out := []Message{}
	index := map[string]int{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frows, err := s.db.Query(ctx, `SELECT f.message_id, f.id, f.file_name, f.content_type, f.content_id, f.inline, f.size, f.hash
		FROM desk_message_files f JOIN desk_messages m ON m.id = f.message_id WHERE m.request_id = ? ORDER BY f.id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", requestID, err)
	}
	defer frows.Close()
	for frows.Next() {
		var mid string
		var f File
		if err := frows.Scan(&mid, &f.ID, &f.Name, &f.ContentType, &f.ContentID, &f.Inline, &f.Size, &f.Hash); err != nil {
			return nil, err
		}
		if i, ok := index[mid]; ok {
			out[i].Files = append(out[i].Files, f)
		}
	}
	return out, frows.Err()
}

func (s *Store) events(ctx context.Context, requestID string) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT e.id, e.at, COALESCE(a.id, ''), COALESCE(a.login, ''), COALESCE(a.name, ''),
		COALESCE(a.initials, ''), e.kind, e.old_value, e.new_value
		FROM desk_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.request_id = ? ORDER BY e.at, e.id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", requestID, err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at int64
		var aID, aLogin, aName, aInitials string
		if err := rows.Scan(&e.ID, &at, &aID, &aLogin, &aName, &aInitials, &e.Kind, &e.Old, &e.New); err != nil {
			return nil, err
		}
		e.At = core.FromMillis(at)
		if aID != "" {
			e.Agent = &Agent{ID: aID, Login: aLogin, Name: aName, Initials: aInitials}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Store) solicitations(ctx context.Context, requestID string) ([]Solicitation, error) {
	rows, err := s.db.Query(ctx, `SELECT so.id, so.request_id, so.recipient, so.subject, COALESCE(a.id, ''), COALESCE(a.login, ''),
		COALESCE(a.name, ''), COALESCE(a.initials, ''), so.created_at
		FROM desk_solicitations so LEFT JOIN agents a ON a.id = so.created_by WHERE so.request_id = ? ORDER BY so.created_at, so.id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("solicitations of %s: %w", requestID, err)
	}
	defer rows.Close()
	out := []Solicitation{}
	for rows.Next() {
		var so Solicitation
		var at int64
		var aID, aLogin, aName, aInitials string
		if err := rows.Scan(&so.ID, &so.RequestID, &so.Recipient, &so.Subject, &aID, &aLogin, &aName, &aInitials, &at); err != nil {
			return nil, err
		}
		so.CreatedAt = core.FromMillis(at)
		if aID != "" {
			so.CreatedBy = &Agent{ID: aID, Login: aLogin, Name: aName, Initials: aInitials}
		}
		out = append(out, so)
	}
	return out, rows.Err()
}

// File returns a file of a message of request id with its content reader
// opener, scoped as Get and audited as a download.
func (s *Store) File(ctx context.Context, actor *core.Actor, fileID string) (File, []byte, error) {
	if err := actor.Require(core.PermRequestRead); err != nil {
		return File{}, nil, err
	}
	var f File
	var requestID, partyID string
	err := s.db.QueryRow(ctx, `SELECT f.id, f.file_name, f.content_type, f.content_id, f.inline, f.size, f.hash, m.request_id
		FROM desk_message_files f JOIN desk_messages m ON m.id = f.message_id WHERE f.id = ?`, fileID).
		Scan(&f.ID, &f.Name, &f.ContentType, &f.ContentID, &f.Inline, &f.Size, &f.Hash, &requestID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !core.ValidID(fileID)) {
		return File{}, nil, core.Errorf(core.NotFound, "file %s not found", fileID)
	}
	if err != nil {
		return File{}, nil, err
	}
	r, err := s.get(ctx, s.db, actor.Scope, requestID)
	if err != nil {
		return File{}, nil, core.Errorf(core.NotFound, "file %s not found", fileID)
	}
	partyID = r.PartyID
	data, err := s.readFile(ctx, f.Hash)
	if err != nil {
		return File{}, nil, err
	}
	if err := s.log.Record(ctx, s.db.Traces(), actor, "request.file_download", "request", requestID, partyID, map[string]any{"file": f.Name}); err != nil {
		return File{}, nil, err
	}
	return f, data, nil
}
