package desk

import (
	"context"
	"html"
	"net/mail"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Submission is what a customer sends through a web form.
type Submission struct {
	Name, Email, Phone, Subject, Message string
	Files                                []Upload
	Lang                                 string // the page's language (fr, en): the acknowledgement's
}

// webFormActor records submissions in the audit log: nobody signed in.
var webFormActor = &core.Actor{Login: "web_form", Name: "Web form"}

// check validates a submission against its form, naming each field.
func (sub *Submission) check(form Form) ([]Upload, error) {
	sub.Name, sub.Subject = strings.TrimSpace(sub.Name), strings.TrimSpace(sub.Subject)
	sub.Email, sub.Phone = strings.ToLower(strings.TrimSpace(sub.Email)), strings.TrimSpace(sub.Phone)
	f := core.Fields{}
	for _, t := range []struct {
		field, v string
		max      int
		required bool
	}{{"name", sub.Name, core.MaxName, true}, {"email", sub.Email, core.MaxCoordinate, true},
		{"phone", sub.Phone, core.MaxCoordinate, false}, {"subject", sub.Subject, core.MaxSubject, true},
		{"message", sub.Message, MaxFormMessage, true}} {
		if t.required && strings.TrimSpace(t.v) == "" {
			f.Add(t.field, core.RequiredUpTo(t.max))
		}
		core.CheckText(f, t.field, t.v, t.max)
	}
	if _, ok := f["email"]; !ok {
		if a, err := mail.ParseAddress(sub.Email); err != nil || a.Address != sub.Email {
			f.Add("email", core.Because("email"))
		}
	}
	var ups []Upload
	if len(sub.Files) > 0 && !form.Has(FieldAttachments) {
		f.Add("attachments", core.TooMany(0))
	} else {
		ups = checkUploads(f, "attachments", sub.Files)
	}
	return ups, f.Err()
}

// Submit records a web form's submission as a request of the form's unit
// (channel web_form), linked to the one party of the establishment with
// that email, and queues an acknowledgement to the customer through the
// unit's mailbox (Auto-Submitted, flagged automatic; not a response, so
// the first-response target still runs). Without a mailbox the request is
// recorded unacknowledged. Public: no actor.
func (s *Store) Submit(ctx context.Context, code string, sub Submission) (Request, error) {
	form, err := s.FormByCode(ctx, code)
	if err != nil {
		return Request{}, err
	}
	ups, err := sub.check(form)
	if err != nil {
		return Request{}, err
	}
	files, err := s.putFiles(ctx, ups)
	if err != nil {
		return Request{}, err
	}
	now := s.clock.Now()
	var req Request
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		d := draft{unitID: form.UnitID, formID: form.ID, channel: ChannelWebForm, subject: sub.Subject, name: sub.Name,
			email: sub.Email, phone: sub.Phone, at: now}
		if d.partyID, err = s.partyByEmail(ctx, tx, d.unitID, d.email); err != nil {
			return err
		}
		if req, err = s.insertRequest(ctx, tx, d); err != nil {
			return err
		}
		m := &Message{RequestID: req.ID, Kind: KindInbound, FromName: d.name, FromEmail: d.email, Subject: d.subject,
			Text: sub.Message, CreatedAt: now, Files: files}
		if err := s.insertMessage(ctx, tx, m, ""); err != nil {
			return err
		}
		acked, err := s.acknowledge(ctx, tx, req, form, sub.Lang)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, webFormActor, "request.create", "request", req.ID, req.PartyID,
			map[string]any{"channel": req.Channel, "reference": req.Reference, "form": form.Code, "acknowledged": acked})
	})
	if err != nil {
		return Request{}, err
	}
	return req, nil
}

// acknowledge queues the acknowledgement of a web form's request through
// the unit's mailbox; false, without error, when the unit has none.
func (s *Store) acknowledge(ctx context.Context, tx *db.Tx, req Request, form Form, lang string) (bool, error) {
	mb, err := s.mailboxForUnit(ctx, tx, "", req.UnitID)
	if core.ErrorCode(err) == core.Invalid {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, err = s.queue(ctx, tx, outbound{req: req, mailbox: mb, to: req.CustomerEmail,
		subject: withTag(req.Subject, req.Reference), html: acknowledgementHTML(form.Confirmation, req.Reference, lang),
		automatic: true, at: req.CreatedAt})
	return err == nil, err
}

// acknowledgementHTML is the body of an acknowledgement: the form's
// confirmation text, paragraph by paragraph, and the request's reference.
func acknowledgementHTML(confirmation, reference, lang string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(confirmation, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	label := "Référence de votre demande : "
	if lang == "en" {
		label = "Your request's reference: "
	}
	b.WriteString("<p>" + label + html.EscapeString(reference) + "</p>")
	return b.String()
}
