package surveys

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// linked is a survey as its answer link reaches it.
type linked struct {
	id, unitID, partyID, agentID, agentName, status string
	used                                            bool
	expiresAt                                       time.Time
	campaign                                        Campaign
}

// openLink checks token and reads its survey: NotFound for a forged token
// or a survey never sent, Conflict once answered, Expired past its date.
func (s *Store) openLink(ctx context.Context, q db.Querier, token string) (linked, error) {
	id, expires, err := s.parseToken(token)
	if err != nil {
		return linked{}, err
	}
	l := linked{id: id, expiresAt: expires}
	var agent, agentName sql.NullString
	var campaignID string
	err = q.QueryRow(ctx, `SELECT s.unit_id, s.party_id, s.agent_id, a.name, s.status, s.used, s.campaign_id
		FROM surveys s LEFT JOIN agents a ON a.id = s.agent_id WHERE s.id = ?`, id).
		Scan(&l.unitID, &l.partyID, &agent, &agentName, &l.status, &l.used, &campaignID)
	if db.IsNoRows(err) || err == nil && (l.status == StatusScheduled || l.status == StatusSkipped) {
		return linked{}, core.Errorf(core.NotFound, "survey not found")
	}
	if err != nil {
		return linked{}, fmt.Errorf("survey %s: %w", id, err)
	}
	l.agentID, l.agentName = agent.String, agentName.String
	if l.used || l.status == StatusAnswered {
		return linked{}, core.Errorf(core.Conflict, "this survey has already been answered")
	}
	if l.status == StatusExpired || !s.clock.Now().Before(expires) {
		return linked{}, core.Errorf(core.Expired, "this survey's link has expired")
	}
	if l.campaign, err = campaignByID(ctx, q, campaignID); err != nil {
		return linked{}, err
	}
	return l, nil
}

// Invitation checks an answer link's token: a forged token is NotFound, an
// expired link Expired (core code "expired"), an answered one Answered
// (core code "conflict"). No actor: the customer is not signed in.
func (s *Store) Invitation(ctx context.Context, token string) (Invitation, error) {
	l, err := s.openLink(ctx, s.db, token)
	if err != nil {
		return Invitation{}, err
	}
	lang, t := textsFor(l.campaign, "fr")
	return Invitation{SurveyID: l.id, Language: lang, Texts: t, Scale: l.campaign.Scale,
		AskComment: l.campaign.AskComment, AskIdentify: l.campaign.AskIdentify, AgentName: firstName(l.agentName),
		ExpiresAt: l.expiresAt}, nil
}

// scoreRange is the lowest and highest score of a scale.
func scoreRange(scale string) (int, int) {
	if scale == Scale10 {
		return 0, 10
	}
	return 1, 5
}

// AnswerSurvey records the customer's answer once; a second answer is a
// Conflict and changes nothing. An anonymous answer is stored without the
// party; an identified one names it and is written to its timeline.
func (s *Store) AnswerSurvey(ctx context.Context, token string, in AnswerInput) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		l, err := s.openLink(ctx, tx, token)
		if err != nil {
			return err
		}
		c := l.campaign
		f := core.Fields{}
		lo, hi := scoreRange(c.Scale)
		core.CheckRange(f, "score", int64(in.Score), int64(lo), int64(hi))
		in.Comment = strings.TrimSpace(in.Comment)
		core.CheckText(f, "comment", in.Comment, core.MaxComment)
		if err := f.Err(); err != nil {
			return err
		}
		if !c.AskComment {
			in.Comment = ""
		}
		identified := in.Identify && c.AskIdentify
		now := s.clock.Now()
		res, err := tx.Exec(ctx, "UPDATE surveys SET used = ? WHERE id = ? AND used = ?", true, l.id, false)
		if err != nil {
			return fmt.Errorf("mark survey %s used: %w", l.id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.Errorf(core.Conflict, "this survey has already been answered")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO survey_answers (id, campaign_id, unit_id, agent_id, scale, score, comment,
			identified, answered_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, randomID(), c.ID, l.unitID, db.NullIfEmpty(l.agentID),
			c.Scale, in.Score, in.Comment, identified, now.UTC().Format(time.DateOnly)); err != nil {
			return fmt.Errorf("store answer: %w", err)
		}
		if !identified {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE surveys SET status = 'answered', score = ?, comment = ?, answered_at = ?,
			updated_at = ? WHERE id = ?`, in.Score, in.Comment, core.Millis(now), core.Millis(now), l.id); err != nil {
			return fmt.Errorf("answer survey %s: %w", l.id, err)
		}
		return s.toTimeline(ctx, tx, l, in, now)
	})
}

// toTimeline writes an identified answer in its customer's timeline: an
// inbound interaction of channel and source "survey", the score in its
// subject and the comment as its body.
func (s *Store) toTimeline(ctx context.Context, tx *db.Tx, l linked, in AnswerInput, now time.Time) error {
	if s.history == nil {
		return nil
	}
	actor := core.System()
	actor.UnitID = l.unitID
	_, hi := scoreRange(l.campaign.Scale)
	_, err := s.history.Record(ctx, tx, actor, history.Item{Source: history.SourceSurvey, ExternalID: l.id,
		Channel: history.ChannelSurvey, Direction: "inbound", OccurredAt: now.UTC().Format(time.RFC3339Nano),
		PartyID: l.partyID, Subject: l.campaign.Name + " · " + strconv.Itoa(in.Score) + "/" + strconv.Itoa(hi),
		Body: in.Comment})
	return err
}

// randomID is an answer's id: random, unlike the time-ordered ids, so it
// tells nothing of when the answer came.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
