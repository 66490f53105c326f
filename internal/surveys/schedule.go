package surveys

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// exchange is what a survey follows: an interaction or a desk request of
// a party, with the unit and agent it counts for.
type exchange struct {
	campaign      Campaign
	partyID       string
	unitID        string
	agentID       string
	interactionID string
	requestID     string
	at            time.Time
}

// existingSurvey reads the survey of an interaction or a request, if any.
func existingSurvey(ctx context.Context, q db.Querier, interactionID, requestID string) (Scheduled, bool, error) {
	col, id := "interaction_id", interactionID
	if requestID != "" {
		col, id = "request_id", requestID
	}
	var sc Scheduled
	var reason sql.NullString
	err := q.QueryRow(ctx, "SELECT id, status, reason FROM surveys WHERE "+col+" = ?", id).Scan(&sc.ID, &sc.Status, &reason)
	if db.IsNoRows(err) {
		return Scheduled{}, false, nil
	}
	if err != nil {
		return Scheduled{}, false, fmt.Errorf("survey of %s: %w", id, err)
	}
	sc.Reason = strPtr(reason)
	if sc.Status == StatusAnswered {
		// The caller learns no more than "sent" of an answer.
		sc.Status = StatusSent
	}
	return sc, true, nil
}

// scheduleTx stores the survey of ex within tx: scheduled at the
// exchange plus the campaign's delay, or skipped with its reason. The
// same exchange again returns its survey. The three-month rule is checked
// while holding the row of the establishment and party in
// survey_windows, so two exchanges at once take turns.
func (s *Store) scheduleTx(ctx context.Context, tx *db.Tx, ex exchange) (Scheduled, error) {
	if sc, ok, err := existingSurvey(ctx, tx, ex.interactionID, ex.requestID); err != nil || ok {
		return sc, err
	}
	c := ex.campaign
	due := ex.at.Add(time.Duration(c.DelayMinutes) * time.Minute)
	now := s.clock.Now()
	if due.Before(now) {
		due = now
	}
	reason, err := s.channelProblem(ctx, tx, c, ex.partyID)
	if err != nil {
		return Scheduled{}, err
	}
	if reason == "" {
		if reason, err = s.recentProblem(ctx, tx, c.EstablishmentID, ex.partyID, due); err != nil {
			return Scheduled{}, err
		}
	}
	status := StatusScheduled
	if reason != "" {
		status = StatusSkipped
	}
	id := core.NewID()
	if _, err := tx.Exec(ctx, `INSERT INTO surveys (id, campaign_id, establishment_id, unit_id, party_id, interaction_id,
		request_id, agent_id, channel, status, reason, exchange_at, due_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.ID, c.EstablishmentID, ex.unitID, ex.partyID,
		db.NullIfEmpty(ex.interactionID), db.NullIfEmpty(ex.requestID), db.NullIfEmpty(ex.agentID), c.Channel, status, db.NullIfEmpty(reason),
		core.Millis(ex.at), core.Millis(due), core.Millis(now), core.Millis(now)); err != nil {
		return Scheduled{}, fmt.Errorf("insert survey: %w", err)
	}
	sc := Scheduled{ID: id, Status: status, Created: true}
	if reason != "" {
		sc.Reason = &reason
	}
	return sc, nil
}

// recentProblem takes the window row of the establishment and party and
// says SkipRecentSurvey when a survey was sent or scheduled less than
// WindowMonths calendar months before due.
func (s *Store) recentProblem(ctx context.Context, tx *db.Tx, est, partyID string, due time.Time) (string, error) {
	key := est + ":" + partyID
	if _, err := tx.Exec(ctx, `INSERT INTO survey_windows (lock_key, updated_at) VALUES (?, ?)
		ON CONFLICT (lock_key) DO UPDATE SET updated_at = excluded.updated_at`, key, core.Millis(s.clock.Now())); err != nil {
		return "", fmt.Errorf("survey window of %s: %w", key, err)
	}
	if err := db.LockRows(ctx, tx, "survey_windows", "lock_key", []string{key}); err != nil {
		return "", err
	}
	cutoff := due.AddDate(0, -WindowMonths, 0)
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM surveys WHERE establishment_id = ? AND party_id = ?
		AND status IN ('scheduled', 'sent', 'answered', 'expired') AND due_at > ? LIMIT 1`,
		est, partyID, core.Millis(cutoff)).Scan(&one)
	if db.IsNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("recent surveys of %s: %w", partyID, err)
	}
	return SkipRecentSurvey, nil
}

// recipient is where a survey's invitation goes.
type recipient struct {
	address  string // an email address or an E.164 mobile number
	language string
}

// channelProblem says why the campaign's invitation cannot reach the
// party: an erased prospect, no consent on the channel, no address, no
// SMS gateway; "" when it can.
func (s *Store) channelProblem(ctx context.Context, q db.Querier, c Campaign, partyID string) (string, error) {
	_, reason, err := s.recipientOf(ctx, q, c, partyID)
	return reason, err
}

// recipientOf finds where the campaign's invitation to the party goes, or
// the reason it cannot be sent.
func (s *Store) recipientOf(ctx context.Context, q db.Querier, c Campaign, partyID string) (recipient, string, error) {
	var status string
	var consentEmail, consentSMS bool
	var erased sql.NullInt64
	err := q.QueryRow(ctx, `SELECT status, consent_email, consent_sms, erasure_requested_at FROM parties WHERE id = ?`,
		partyID).Scan(&status, &consentEmail, &consentSMS, &erased)
	if err != nil {
		return recipient{}, "", fmt.Errorf("party %s: %w", partyID, err)
	}
	if erased.Valid && status == "prospect" {
		return recipient{}, SkipErased, nil
	}
	r := recipient{language: "fr"}
	switch c.Channel {
	case ChannelEmail:
		if !consentEmail {
			return recipient{}, SkipNoConsent, nil
		}
		err = q.QueryRow(ctx, `SELECT address FROM party_emails WHERE party_id = ?
			ORDER BY favorite DESC, kind, address LIMIT 1`, partyID).Scan(&r.address)
	case ChannelSMS:
		if !consentSMS {
			return recipient{}, SkipNoConsent, nil
		}
		err = q.QueryRow(ctx, `SELECT number FROM party_phones WHERE party_id = ? AND kind = 'mobile'
			ORDER BY number LIMIT 1`, partyID).Scan(&r.address)
	}
	if db.IsNoRows(err) {
		return recipient{}, SkipNoAddress, nil
	}
	if err != nil {
		return recipient{}, "", fmt.Errorf("address of %s: %w", partyID, err)
	}
	if c.Channel == ChannelSMS {
		var active bool
		err := q.QueryRow(ctx, "SELECT active FROM sms_gateways WHERE establishment_id = ?", c.EstablishmentID).Scan(&active)
		if err != nil && !db.IsNoRows(err) {
			return recipient{}, "", fmt.Errorf("SMS gateway of %s: %w", c.EstablishmentID, err)
		}
		if !active {
			return recipient{}, SkipNoGateway, nil
		}
	}
	return r, "", nil
}
