package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/mail"
)

// jobSend sends one queued outbound message.
const jobSend = "desk.send"

// tokenPrefix starts the local part of the Message-IDs the desk makes:
// rapport.<message id>.<signature>@<mailbox domain>.
const tokenPrefix = "rapport."

// newMessageID returns the Message-ID of outbound message id, signed so a
// reply's In-Reply-To can be trusted to name it.
func (s *Store) newMessageID(id, address string) string {
	domain := s.Domain
	if _, d, ok := strings.Cut(address, "@"); ok && d != "" {
		domain = d
	}
	if domain == "" {
		domain = "rapport.invalid"
	}
	return tokenPrefix + id + "." + s.key.Sign(id) + "@" + domain
}

// tokenMessage returns the desk message id a Message-ID of ours names, ""
// when it is not ours or its signature does not hold.
func (s *Store) tokenMessage(messageID string) string {
	local, _, ok := strings.Cut(messageID, "@")
	if !ok || !strings.HasPrefix(local, tokenPrefix) {
		return ""
	}
	id, sig, ok := strings.Cut(strings.TrimPrefix(local, tokenPrefix), ".")
	if !ok || !core.ValidID(id) || !s.key.Verify(sig, id) {
		return ""
	}
	return id
}

// refTag is the subject tag that names a request: [#R-000123].
func refTag(reference string) string { return "[#" + reference + "]" }

// withTag adds the request's tag to a subject that lacks it.
func withTag(subject, reference string) string {
	tag := refTag(reference)
	if strings.Contains(subject, tag) {
		return subject
	}
	return strings.TrimSpace(subject + " " + tag)
}

// outbound is a message to compose and queue.
type outbound struct {
	req          Request
	mailbox      Mailbox
	solicitation string // the solicitation thread, "" for the customer's
	to           string
	subject      string
	html         string // sanitised
	files        []File
	uploads      []Upload
	agentID      string
	automatic    bool // an acknowledgement: Auto-Submitted, not a response
	at           time.Time
}

// queue composes o, stores its raw message and inserts it as queued with
// the job that sends it, all in tx: the reply and the request's change
// commit together or not at all.
func (s *Store) queue(ctx context.Context, tx *db.Tx, o outbound) (Message, error) {
	id := core.NewID()
	msgID := s.newMessageID(id, o.mailbox.Address)
	inReplyTo, refs, err := s.threadOf(ctx, tx, o.req.ID, o.solicitation)
	if err != nil {
		return Message{}, err
	}
	body := o.html
	if sig := strings.TrimSpace(o.mailbox.Signature); sig != "" && !o.automatic {
		body += `<p class="signature">` + content.SafeHTML(sig) + `</p>`
	}
	out := mail.Outgoing{MessageID: msgID, From: mail.Address{Name: o.mailbox.Name, Email: o.mailbox.Address},
		To: []mail.Address{{Email: o.to}}, Subject: o.subject, InReplyTo: inReplyTo, References: refs,
		HTML: body, Date: o.at, Automatic: o.automatic, Headers: map[string]string{"X-Rapport-Ref": o.req.Reference}}
	for i, u := range o.uploads {
		p := mail.Part{FileName: u.Name, ContentType: u.ContentType, ContentID: u.ContentID, Inline: u.Inline, Data: u.Data}
		if u.Inline && u.ContentID != "" && strings.Contains(body, "cid:"+u.ContentID) {
			out.Inline = append(out.Inline, p)
		} else {
			p.Inline = false
			o.files[i].Inline = false
			out.Attachments = append(out.Attachments, p)
		}
	}
	raw, err := mail.Compose(out)
	if err != nil {
		return Message{}, err
	}
	hash, err := s.putRaw(ctx, raw)
	if err != nil {
		return Message{}, err
	}
	m := Message{ID: id, RequestID: o.req.ID, SolicitationID: o.solicitation, Kind: KindOutbound, MessageID: msgID,
		FromName: o.mailbox.Name, FromEmail: o.mailbox.Address, To: []string{o.to}, Subject: o.subject,
		Text: mail.Parse(raw).Text, HTML: body, Status: SendQueued, RawHash: hash, Files: o.files, CreatedAt: o.at}
	if o.agentID != "" {
		m.Agent = &Agent{ID: o.agentID}
	}
	if o.automatic {
		m.Flags = append(m.Flags, FlagAutomatic)
	}
	if err := s.insertMessage(ctx, tx, &m, o.mailbox.ID); err != nil {
		return Message{}, err
	}
	if _, err := s.jobs.Insert(ctx, tx, jobs.NewJob{Kind: jobSend, Args: map[string]string{"message_id": id},
		UniqueKey: jobSend + ":" + id, MaxAttempts: 8}); err != nil {
		return Message{}, err
	}
	return m, nil
}

// threadOf returns what a new message of the thread answers (the last
// message with a Message-ID) and the thread's Message-IDs, oldest first.
func (s *Store) threadOf(ctx context.Context, q db.Querier, requestID, solicitationID string) (string, []string, error) {
	cond := " AND solicitation_id IS NULL"
	args := []any{requestID}
	if solicitationID != "" {
		cond, args = " AND solicitation_id = ?", append(args, solicitationID)
	}
	rows, err := q.Query(ctx, "SELECT message_id FROM desk_messages WHERE request_id = ? AND message_id <> ''"+cond+" ORDER BY created_at, id", args...)
	if err != nil {
		return "", nil, fmt.Errorf("thread of %s: %w", requestID, err)
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", nil, err
		}
		refs = append(refs, id)
	}
	if len(refs) == 0 {
		return "", nil, rows.Err()
	}
	if len(refs) > 20 { // keep the first and the last ones, as mail clients do
		refs = append(refs[:1], refs[len(refs)-19:]...)
	}
	return refs[len(refs)-1], refs, rows.Err()
}
