package surveys

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/outbox"
)

// sendBatch is how many due surveys one run of SendDue sends at most; the
// next minute's run takes the rest.
const sendBatch = 500

// SendDue sends the invitations of the surveys due now and expires the
// links past their date; it returns how many invitations it queued. Each
// survey is sent in its own transaction: the invitation is queued in the
// outbox and the survey marked sent together, or neither. Consent and
// address are checked again, as they may have changed since scheduling.
func (s *Store) SendDue(ctx context.Context) (int, error) {
	now := s.clock.Now()
	rows, err := s.db.Query(ctx, `SELECT id FROM surveys WHERE status = 'scheduled' AND due_at <= ?
		ORDER BY due_at, id LIMIT ?`, core.Millis(now), sendBatch)
	if err != nil {
		return 0, fmt.Errorf("due surveys: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		ok, err := s.sendOne(ctx, id, now)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	if _, err := s.db.Exec(ctx, `UPDATE surveys SET status = 'expired', updated_at = ?
		WHERE status = 'sent' AND expires_at <= ?`, core.Millis(now), core.Millis(now)); err != nil {
		return sent, fmt.Errorf("expire surveys: %w", err)
	}
	return sent, nil
}

// sendOne sends one due survey; false when it was skipped at the last
// moment or another run took it.
func (s *Store) sendOne(ctx context.Context, id string, now time.Time) (bool, error) {
	sent := false
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		sent = false
		var campaignID, partyID string
		err := tx.QueryRow(ctx, "SELECT campaign_id, party_id FROM surveys WHERE id = ? AND status = 'scheduled'", id).
			Scan(&campaignID, &partyID)
		if db.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		c, err := campaignByID(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		to, reason, err := s.recipientOf(ctx, tx, c, partyID)
		if err != nil {
			return err
		}
		if reason != "" {
			_, err := tx.Exec(ctx, `UPDATE surveys SET status = 'skipped', reason = ?, updated_at = ?
				WHERE id = ? AND status = 'scheduled'`, reason, core.Millis(now), id)
			return err
		}
		expires := now.AddDate(0, 0, c.LinkDays)
		res, err := tx.Exec(ctx, `UPDATE surveys SET status = 'sent', sent_at = ?, expires_at = ?, updated_at = ?
			WHERE id = ? AND status = 'scheduled'`, core.Millis(now), core.Millis(expires), core.Millis(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := s.outbox.Enqueue(ctx, tx, s.invitation(c, id, to, expires)); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("send survey %s: %w", id, err)
	}
	return sent, nil
}

// textsFor picks the campaign's texts in lang, else French, else English.
func textsFor(c Campaign, lang string) (string, Texts) {
	for _, l := range []string{lang, "fr", "en"} {
		if t, ok := c.Texts[l]; ok {
			return l, t
		}
	}
	return lang, Texts{}
}

// invitation composes the message inviting the customer to answer.
func (s *Store) invitation(c Campaign, id string, to recipient, expires time.Time) outbox.Message {
	_, t := textsFor(c, to.language)
	link := s.LinkURL(id, expires)
	key := "survey:" + id
	if c.Channel == ChannelSMS {
		return outbox.Message{Key: key, SMS: &outbox.SMS{To: to.address, Text: strings.TrimSpace(t.SMS) + " " + link,
			Establishment: c.EstablishmentID}}
	}
	text := strings.TrimSpace(t.Intro + "\n\n" + t.Question + "\n\n" + link)
	var b strings.Builder
	for _, p := range []string{t.Intro, t.Question} {
		if strings.TrimSpace(p) != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>\n")
		}
	}
	b.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>\n")
	return outbox.Message{Key: key, Email: &outbox.Email{From: s.from, To: []string{to.address}, Subject: t.Subject,
		Text: text, HTML: b.String()}}
}
