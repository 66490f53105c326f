package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// insertMessage inserts m (its ID set when empty) with its files, moves
// the request's last message time and, for an unread inbound message,
// its unread count. mailboxID is the mailbox the mail went through.
func (s *Store) insertMessage(ctx context.Context, tx *db.Tx, m *Message, mailboxID string) error {
	if m.ID == "" {
		m.ID = core.NewID()
	}
	agentID := ""
	if m.Agent != nil {
		agentID = m.Agent.ID
	}
	unread := m.Kind == KindInbound && !hasFlag(m.Flags, FlagAutomatic)
	if unread {
		m.Flags = append(m.Flags, FlagUnread)
	}
	var sent any
	if m.SentAt != nil {
		sent = core.Millis(*m.SentAt)
	}
	_, err := tx.Exec(ctx, `INSERT INTO desk_messages (id, request_id, solicitation_id, mailbox_id, kind, message_id,
		in_reply_to, from_name, from_email, to_emails, cc_emails, subject, body_text, body_html, agent_id, status,
		status_detail, flags, raw_hash, created_at, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.RequestID, db.NullIfEmpty(m.SolicitationID), db.NullIfEmpty(mailboxID), m.Kind, m.MessageID, "",
		m.FromName, m.FromEmail, strings.Join(m.To, ","), strings.Join(m.Cc, ","), m.Subject, m.Text, m.HTML,
		db.NullIfEmpty(agentID), m.Status, m.StatusDetail, strings.Join(m.Flags, " "), m.RawHash,
		core.Millis(m.CreatedAt), sent)
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	for _, f := range m.Files {
		if f.ID == "" {
			f.ID = core.NewID()
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_message_files (id, message_id, file_name, content_type, content_id, inline, size, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, m.ID, f.Name, f.ContentType, f.ContentID, f.Inline, f.Size, f.Hash); err != nil {
			return fmt.Errorf("insert message file: %w", err)
		}
	}
	if m.Kind == KindNote {
		_, err = tx.Exec(ctx, "UPDATE desk_requests SET updated_at = ? WHERE id = ?", core.Millis(m.CreatedAt), m.RequestID)
	} else {
		inc := 0
		if unread {
			inc = 1
		}
		_, err = tx.Exec(ctx, `UPDATE desk_requests SET last_message_at = ?, updated_at = ?, unread = unread + ? WHERE id = ?`,
			core.Millis(m.CreatedAt), core.Millis(m.CreatedAt), inc, m.RequestID)
	}
	if err != nil {
		return fmt.Errorf("request after message: %w", err)
	}
	return nil
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}
