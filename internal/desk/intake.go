package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// What became of a fetched message (desk_mail_keys.disposition).
const (
	DispositionRequest   = "request"   // it opened a request
	DispositionReply     = "reply"     // it joined a request's thread
	DispositionAutomatic = "automatic" // an automatic message answering nothing of ours: kept raw only
	DispositionBounce    = "bounce"    // a delivery failure: the message it reports is marked bounced
	DispositionFailed    = "failed"    // it could not be filed: kept raw, the mailbox shows the error
)

// Intake stores one message fetched from mailbox mailboxID and advances
// the mailbox's UID mark in the same transaction (it is the imapin.Commit
// of the mailbox's watcher). The raw message goes to the file store first.
// A message already stored — fetched again after a crash, by another
// instance, or after a UIDVALIDITY change — is recognised by its
// Message-ID (or content hash) and only moves the mark.
func (s *Store) Intake(ctx context.Context, mailboxID string, m imapin.Message) error {
	p := mail.Parse(m.Raw)
	hash, err := s.putRaw(ctx, m.Raw)
	if err != nil {
		return err
	}
	key := "hash:" + mail.ContentHash(m.Raw)
	switch {
	case len(p.MessageID) > maxMessageID: // beyond what an index holds
		key = "idhash:" + mail.ContentHash([]byte(p.MessageID))
		p.MessageID = ""
	case p.MessageID != "":
		key = "id:" + p.MessageID
	}
	files, err := s.putParts(ctx, p.Parts)
	if err != nil {
		return err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := db.LockRows(ctx, tx, "desk_mailboxes", "id", []string{mailboxID}); err != nil {
			return err
		}
		mb, err := s.mailbox(ctx, tx, mailboxID)
		if err != nil {
			return err
		}
		if int64(m.UIDValidity) == mb.uidValidity && int64(m.UID) <= mb.lastUID {
			return nil // committed already
		}
		advance := func() error {
			_, err := tx.Exec(ctx, `UPDATE desk_mailboxes SET uid_validity = ?, last_uid = ?, synced_at = ?, sync_error = '' WHERE id = ?`,
				int64(m.UIDValidity), int64(m.UID), core.Millis(s.clock.Now()), mailboxID)
			return err
		}
		var seen string
		err = tx.QueryRow(ctx, "SELECT disposition FROM desk_mail_keys WHERE mailbox_id = ? AND message_key = ?", mailboxID, key).Scan(&seen)
		if err == nil {
			return advance() // a duplicate: stored once already
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		disposition, messageID, err := s.file(ctx, tx, mb, p, hash, files)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_mail_keys (mailbox_id, message_key, disposition, desk_message_id, raw_hash, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?)`, mailboxID, key, disposition, db.NullIfEmpty(messageID), hash, core.Millis(s.clock.Now())); err != nil {
			return fmt.Errorf("remember fetched message: %w", err)
		}
		return advance()
	})
	if err == nil || ctx.Err() != nil || db.IsUnavailable(err) {
		return err
	}
	// The message cannot be filed (a bug, a value the database refuses):
	// rather than stopping the mailbox on it forever, it is kept raw as
	// "failed", the mark moves on and the mailbox shows the error.
	s.logger.Error("desk intake: message kept raw, not filed", "mailbox", mailboxID, "uid", m.UID, "err", err)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO desk_mail_keys (mailbox_id, message_key, disposition, raw_hash, fetched_at)
			VALUES (?, ?, 'failed', ?, ?) ON CONFLICT DO NOTHING`, mailboxID, key, hash, core.Millis(s.clock.Now())); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE desk_mailboxes SET uid_validity = ?, last_uid = ?, sync_error = ?
			WHERE id = ? AND (uid_validity <> ? OR last_uid < ?)`,
			int64(m.UIDValidity), int64(m.UID), truncate(fmt.Sprintf("message %d kept raw, not filed: %v", m.UID, err), core.MaxLongText),
			mailboxID, int64(m.UIDValidity), int64(m.UID))
		return err
	})
}

// maxMessageID is the longest Message-ID kept as it is (longer ones are
// hashed for deduplication and not used for threading).
const maxMessageID = 500

// putParts writes a message's parts to the file store. Nothing a customer
// attached is dropped: files are kept whatever their type (downloads are
// served as attachments, never shown inline unless images).
func (s *Store) putParts(ctx context.Context, parts []mail.Part) ([]File, error) {
	ups := make([]Upload, len(parts))
	for i, p := range parts {
		name := content.CleanName(p.FileName)
		if name == "" {
			name = fmt.Sprintf("part-%d", i+1)
		}
		ct := p.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		ups[i] = Upload{Name: name, ContentType: ct, ContentID: p.ContentID, Inline: p.Inline, Data: p.Data}
	}
	return s.putFiles(ctx, ups)
}

// file decides what a parsed message is and records it: a bounce marks
// the message it reports; an automatic message joins a thread quietly or
// is kept raw only; any other message joins its thread or opens a request.
func (s *Store) file(ctx context.Context, tx *db.Tx, mb Mailbox, p *mail.Parsed, hash string, files []File) (string, string, error) {
	now := s.clock.Now()
	if p.Bounce != nil {
		return DispositionBounce, "", s.bounced(ctx, tx, mb, p, now)
	}
	pl, err := s.placeOf(ctx, tx, mb.ID, p)
	if err != nil {
		return "", "", err
	}
	msg := &Message{Kind: KindInbound, MessageID: p.MessageID, FromName: p.From.Name, FromEmail: strings.ToLower(p.From.Email),
		To: addresses(p.To), Cc: addresses(p.Cc), Subject: p.Subject, Text: p.Text, HTML: content.SafeHTML(p.HTML),
		RawHash: hash, Files: files, CreatedAt: now}
	if p.Broken {
		msg.Flags = append(msg.Flags, FlagUnparsed)
	}
	if p.Auto {
		if !pl.found {
			return DispositionAutomatic, "", nil
		}
		msg.Flags = append(msg.Flags, FlagAutomatic)
	}
	if pl.found {
		r, err := s.get(ctx, tx, core.Scope{All: true}, pl.requestID)
		if err != nil {
			return "", "", err
		}
		if r.Status == StatusClosed && pl.solicitationID == "" && !p.Auto {
			t, err := s.TargetsOf(ctx, tx, r.UnitID)
			if err != nil {
				return "", "", err
			}
			if r.ClosedAt != nil && now.Sub(*r.ClosedAt) > time.Duration(t.ReopenDays)*24*time.Hour {
				id, err := s.openRequest(ctx, tx, mb, p, msg, r)
				return DispositionRequest, id, err
			}
			if err := s.setStatus(ctx, tx, "", r, StatusOpen, now); err != nil {
				return "", "", err
			}
			if err := s.addEvent(ctx, tx, r.ID, "", now, "reopened", "", msg.FromEmail); err != nil {
				return "", "", err
			}
		} else if r.Status == StatusWaiting && !p.Auto {
			if err := s.setStatus(ctx, tx, "", r, StatusOpen, now); err != nil {
				return "", "", err
			}
		}
		if !s.expectedSender(ctx, tx, r, pl.solicitationID, msg.FromEmail) {
			msg.Flags = append(msg.Flags, FlagUnexpectedSender)
		}
		msg.RequestID, msg.SolicitationID = r.ID, pl.solicitationID
		if err := s.insertMessage(ctx, tx, msg, mb.ID); err != nil {
			return "", "", err
		}
		if r.PartyID != "" && pl.solicitationID == "" {
			if err := s.queueHistory(ctx, tx, r.ID); err != nil {
				return "", "", err
			}
		}
		s.publish(ctx, tx, r.UnitID, "desk.request", map[string]string{"id": r.ID, "change": "message"})
		return DispositionReply, msg.ID, nil
	}
	id, err := s.openRequest(ctx, tx, mb, p, msg, Request{})
	return DispositionRequest, id, err
}

// openRequest opens a request for an inbound message; previous is the
// closed request it follows, when it came too late to reopen it.
func (s *Store) openRequest(ctx context.Context, tx *db.Tx, mb Mailbox, p *mail.Parsed, msg *Message, previous Request) (string, error) {
	subject := strings.TrimSpace(tagPattern.ReplaceAllString(p.Subject, ""))
	if subject == "" {
		subject = "(sans objet)"
	}
	d := draft{unitID: mb.UnitID, mailboxID: mb.ID, channel: ChannelEmail, subject: truncate(subject, core.MaxSubject),
		name: truncate(p.From.Name, core.MaxName), email: truncate(strings.ToLower(p.From.Email), core.MaxCoordinate),
		previousID: previous.ID, at: msg.CreatedAt}
	if p.Broken {
		d.flags = FlagUnparsed
	}
	var err error
	if previous.PartyID != "" {
		d.partyID = previous.PartyID
	} else if d.partyID, err = s.partyByEmail(ctx, tx, mb.UnitID, d.email); err != nil {
		return "", err
	}
	r, err := s.insertRequest(ctx, tx, d)
	if err != nil {
		return "", err
	}
	if previous.ID != "" {
		if err := s.addEvent(ctx, tx, r.ID, "", msg.CreatedAt, "followed_up", previous.Reference, r.Reference); err != nil {
			return "", err
		}
	}
	msg.RequestID, msg.SolicitationID = r.ID, ""
	if err := s.insertMessage(ctx, tx, msg, mb.ID); err != nil {
		return "", err
	}
	if r.PartyID != "" {
		if err := s.queueHistory(ctx, tx, r.ID); err != nil {
			return "", err
		}
	}
	return msg.ID, nil
}

// expectedSender reports whether from may write in the thread: the
// request's customer, or the solicited recipient of its solicitation (any
// solicited recipient of the request for the customer's thread).
func (s *Store) expectedSender(ctx context.Context, q db.Querier, r Request, solicitationID, from string) bool {
	if solicitationID == "" && from != "" && from == r.CustomerEmail {
		return true
	}
	if solicitationID == "" && r.PartyID != "" {
		var n int
		if q.QueryRow(ctx, "SELECT COUNT(*) FROM party_emails WHERE party_id = ? AND address = ?", r.PartyID, from).Scan(&n) == nil && n > 0 {
			return true
		}
	}
	var n int
	query, args := "SELECT COUNT(*) FROM desk_solicitations WHERE request_id = ? AND recipient = ?", []any{r.ID, from}
	if solicitationID != "" {
		query, args = "SELECT COUNT(*) FROM desk_solicitations WHERE id = ? AND recipient = ?", []any{solicitationID, from}
	}
	return q.QueryRow(ctx, query, args...).Scan(&n) == nil && n > 0
}

// bounced marks the outbound message a bounce reports as bounced, with
// the server's reason, and notes it on its request.
func (s *Store) bounced(ctx context.Context, tx *db.Tx, mb Mailbox, p *mail.Parsed, now time.Time) error {
	reason := strings.TrimSpace(strings.Join(nonEmpty(p.Bounce.Status, p.Bounce.Reason), " "))
	if p.Bounce.Recipient != "" {
		reason = strings.TrimSpace(p.Bounce.Recipient + ": " + reason)
	}
	for _, id := range p.Bounce.MessageIDs {
		var msgID, requestID string
		err := tx.QueryRow(ctx, "SELECT id, request_id FROM desk_messages WHERE message_id = ? AND kind = 'outbound' ORDER BY created_at DESC LIMIT 1", id).
			Scan(&msgID, &requestID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.setSendStatus(ctx, tx, msgID, requestID, SendBounced, truncate(reason, core.MaxLongText)); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, requestID, "", now, "bounced", "", truncate(reason, core.MaxLongText))
	}
	return nil // a bounce of nothing we sent: kept raw only
}

func nonEmpty(v ...string) []string {
	var out []string
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func addresses(as []mail.Address) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		if a.Email != "" {
			out = append(out, strings.ToLower(a.Email))
		}
	}
	return out
}
