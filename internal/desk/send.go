package desk

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/mail/smtpout"
)

// interrupted is the detail of a message found "sending" by a job: an
// earlier attempt stopped between handing it to the server and recording
// the answer, so it may have left. It is not resent on its own.
const interrupted = "interrupted while sending: it may have left; check with the recipient before retrying"

// runSend sends a queued message: marks it sending (committed), hands it
// to the mailbox's SMTP server, then records sent or failed. A message
// already sending is failed as interrupted rather than sent again.
func (s *Store) runSend(ctx context.Context, j jobs.Job) error {
	var args struct {
		MessageID string `json:"message_id"`
	}
	if err := json.Unmarshal(j.Args, &args); err != nil {
		return fmt.Errorf("desk.send args: %w", err)
	}
	var status, mailboxID, raw, to, requestID string
	proceed := false
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		q := tx.Rebind(`SELECT status, COALESCE(mailbox_id, ''), raw_hash, to_emails, request_id FROM desk_messages WHERE id = ?`)
		if tx.Dialect() == db.Postgres {
			q += " FOR UPDATE"
		}
		err := tx.QueryRow(ctx, q, args.MessageID).Scan(&status, &mailboxID, &raw, &to, &requestID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		switch status {
		case SendQueued:
			proceed = true
			return s.setSendStatus(ctx, tx, args.MessageID, requestID, SendSending, "")
		case SendSending:
			return s.setSendStatus(ctx, tx, args.MessageID, requestID, SendFailed, interrupted)
		}
		return nil
	})
	if err != nil || !proceed {
		return err
	}
	fail := func(detail string) error {
		return s.db.WithTx(ctx, func(tx *db.Tx) error {
			return s.setSendStatus(ctx, tx, args.MessageID, requestID, SendFailed, detail)
		})
	}
	mb, err := s.mailbox(ctx, s.db, mailboxID)
	if err != nil {
		return fail("no mailbox to send from")
	}
	cfg, err := s.smtpConfig(mb)
	if err != nil {
		return fail(err.Error())
	}
	body, err := s.readFile(ctx, raw)
	if err != nil {
		return fail("the composed message is missing from the file store")
	}
	sendErr := smtpout.Send(ctx, cfg, mb.Address, splitList(to), body)
	if sendErr == nil {
		return s.db.WithTx(ctx, func(tx *db.Tx) error {
			now := s.clock.Now()
			if _, err := tx.Exec(ctx, "UPDATE desk_messages SET sent_at = ? WHERE id = ?", core.Millis(now), args.MessageID); err != nil {
				return err
			}
			if err := s.setSendStatus(ctx, tx, args.MessageID, requestID, SendSent, ""); err != nil {
				return err
			}
			return s.tellReplySent(ctx, tx, args.MessageID, now)
		})
	}
	detail := core.ErrorMessage(sendErr)
	if smtpout.Permanent(sendErr) || j.LastAttempt() {
		return fail(detail)
	}
	// A temporary failure: queued again, with the reason, for the next attempt.
	if err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		return s.setSendStatus(ctx, tx, args.MessageID, requestID, SendQueued, "retrying: "+detail)
	}); err != nil {
		return err
	}
	return sendErr
}

// setSendStatus records an outbound message's delivery status and tells
// the request's live pages.
func (s *Store) setSendStatus(ctx context.Context, tx *db.Tx, id, requestID, status, detail string) error {
	if _, err := tx.Exec(ctx, "UPDATE desk_messages SET status = ?, status_detail = ? WHERE id = ?", status, detail, id); err != nil {
		return fmt.Errorf("message status: %w", err)
	}
	var unitID string
	if err := tx.QueryRow(ctx, "SELECT unit_id FROM desk_requests WHERE id = ?", requestID).Scan(&unitID); err == nil {
		s.publish(ctx, tx, unitID, "desk.message", map[string]string{"id": requestID, "message": id, "status": status})
	}
	return nil
}

// RetrySend queues a failed or bounced outbound message again. Requires
// request.reply.
func (s *Store) RetrySend(ctx context.Context, actor *core.Actor, messageID string) error {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return err
	}
	var requestID, status string
	err := s.db.QueryRow(ctx, "SELECT request_id, status FROM desk_messages WHERE id = ? AND kind = 'outbound'", messageID).Scan(&requestID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Errorf(core.NotFound, "message %s not found", messageID)
	}
	if err != nil {
		return err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return core.Errorf(core.NotFound, "message %s not found", messageID)
	}
	if status != SendFailed && status != SendBounced {
		return core.Errorf(core.Conflict, "only a failed or bounced message can be sent again (this one is %s)", status)
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.setSendStatus(ctx, tx, messageID, requestID, SendQueued, ""); err != nil {
			return err
		}
		if _, err := s.jobs.Insert(ctx, tx, jobs.NewJob{Kind: jobSend, Args: map[string]string{"message_id": messageID},
			UniqueKey: jobSend + ":" + messageID + ":" + core.NewID(), MaxAttempts: 8}); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "request.retry_send", "request", requestID, r.PartyID, map[string]string{"message": messageID})
	})
}
