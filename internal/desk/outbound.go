package desk

import (
	"context"
	"html"
	"net/mail"
	"strings"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// NewOutbound is an email the bank writes first to a customer, such as
// the email a case's step generates: it opens a request whose first
// message is ours, so the customer's answer threads into it.
type NewOutbound struct {
	UnitID  string // the request's unit (the actor's when empty); its mailbox, or the nearest above, sends it
	PartyID string // the customer, when known
	Name    string // the customer's name, as the request shows it
	To      string // the customer's email address
	Subject string
	Body    string // plain text: paragraphs separated by empty lines
}

// OpenOutbound records an email request, waiting for the customer, whose
// first message is the outbound one, queued for the desk's send job like
// a reply. Requires request.reply and the unit in scope; the party, when
// given, must be visible.
func (s *Store) OpenOutbound(ctx context.Context, actor *core.Actor, in NewOutbound) (Request, error) {
	var out Request
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.OpenOutboundTx(ctx, tx, actor, in)
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, actor, out.ID)
}

// OpenOutboundTx is OpenOutbound within the caller's transaction, for a
// write that must commit with the email (a case's step and its element).
// The returned request is as inserted, not read back.
func (s *Store) OpenOutboundTx(ctx context.Context, tx *db.Tx, actor *core.Actor, in NewOutbound) (Request, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return Request{}, err
	}
	in.To = strings.ToLower(strings.TrimSpace(in.To))
	in.Subject, in.Name = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Name)
	if in.UnitID == "" {
		in.UnitID = actor.UnitID
	}
	f := core.Fields{}
	if in.To == "" {
		f.Add("to", core.Because("no_customer_email"))
	} else if a, err := mail.ParseAddress(in.To); err != nil || !strings.EqualFold(a.Address, in.To) {
		f.Add("to", core.Because("email"))
	}
	core.CheckText(f, "to", in.To, core.MaxCoordinate)
	if in.Subject == "" {
		f.Add("subject", core.RequiredUpTo(core.MaxSubject))
	}
	core.CheckText(f, "subject", in.Subject, core.MaxSubject)
	if strings.TrimSpace(in.Body) == "" {
		f.Add("body", core.Required())
	}
	core.CheckText(f, "body", in.Body, core.MaxBody)
	core.CheckText(f, "name", in.Name, core.MaxName)
	if !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Request{}, err
	}
	if in.PartyID != "" {
		if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
			return Request{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
		}
	}
	mb, err := s.mailboxForUnit(ctx, tx, "", in.UnitID)
	if err != nil {
		return Request{}, err
	}
	now := s.clock.Now()
	r, err := s.insertRequest(ctx, tx, draft{unitID: in.UnitID, mailboxID: mb.ID, channel: ChannelEmail, subject: in.Subject,
		name: in.Name, email: in.To, partyID: in.PartyID, createdBy: actor.AgentID, at: now})
	if err != nil {
		return Request{}, err
	}
	if _, err := s.queue(ctx, tx, outbound{req: r, mailbox: mb, to: in.To, subject: withTag(in.Subject, r.Reference),
		html: content.SafeOutgoingHTML(textHTML(in.Body)), agentID: actor.AgentID, at: now}); err != nil {
		return Request{}, err
	}
	// Ours is the first response; the request waits for the customer.
	if _, err := tx.Exec(ctx, "UPDATE desk_requests SET first_response_at = ?, assignee_id = ? WHERE id = ?",
		core.Millis(now), db.NullIfEmpty(actor.AgentID), r.ID); err != nil {
		return Request{}, err
	}
	if actor.AgentID != "" {
		if err := s.addEvent(ctx, tx, r.ID, actor.AgentID, now, "assign", "", actor.Login); err != nil {
			return Request{}, err
		}
	}
	if err := s.setStatus(ctx, tx, actor.AgentID, r, StatusWaiting, now); err != nil {
		return Request{}, err
	}
	r.Status = StatusWaiting
	if r.PartyID != "" {
		if err := s.queueHistory(ctx, tx, r.ID); err != nil {
			return Request{}, err
		}
	}
	return r, s.log.Record(ctx, tx, actor, "request.open_outbound", "request", r.ID, r.PartyID,
		map[string]any{"reference": r.Reference, "to": in.To})
}

// textHTML writes plain text as HTML paragraphs, line breaks kept.
func textHTML(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) == "" {
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	return b.String()
}
