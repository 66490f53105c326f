package surveys

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// surveySelect reads surveys as their party's readers see them: the score
// and comment columns hold only identified answers (an anonymous answer
// is never on the survey row).
const surveySelect = `SELECT s.id, s.campaign_id, c.name, s.party_id, s.interaction_id, s.request_id, s.agent_id,
	COALESCE(a.name, ''), s.channel, s.status, s.reason, s.due_at, s.sent_at, c.scale, s.score, s.comment, s.answered_at
	FROM surveys s JOIN survey_campaigns c ON c.id = s.campaign_id LEFT JOIN agents a ON a.id = s.agent_id`

// scanSurvey reads one row of surveySelect.
func scanSurvey(row interface{ Scan(...any) error }) (Survey, error) {
	var v Survey
	var interaction, request, agent, reason, comment sql.NullString
	var due int64
	var sent, answered sql.NullInt64
	var score sql.NullInt64
	var scale string
	if err := row.Scan(&v.ID, &v.CampaignID, &v.CampaignName, &v.PartyID, &interaction, &request, &agent, &v.AgentName,
		&v.Channel, &v.Status, &reason, &due, &sent, &scale, &score, &comment, &answered); err != nil {
		return Survey{}, err
	}
	v.InteractionID, v.RequestID, v.AgentID, v.Reason = strPtr(interaction), strPtr(request), strPtr(agent), strPtr(reason)
	v.DueAt, v.SentAt = core.FromMillis(due), millisPtr(sent)
	if v.Status == StatusAnswered && score.Valid && answered.Valid {
		v.Answer = &Answer{Scale: scale, Score: int(score.Int64), Comment: comment.String, Identified: true,
			AnsweredAt: core.FromMillis(answered.Int64)}
	}
	return v, nil
}

// PartySurveys lists a visible party's surveys, newest first: anonymous
// answers read as sent, with no score (party.read).
func (s *Store) PartySurveys(ctx context.Context, actor *core.Actor, partyID string) ([]Survey, error) {
	if err := s.parties.Visible(ctx, actor, partyID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, surveySelect+" WHERE s.party_id = ? ORDER BY s.due_at DESC, s.id DESC LIMIT 200", partyID)
	if err != nil {
		return nil, fmt.Errorf("surveys of %s: %w", partyID, err)
	}
	defer rows.Close()
	out := []Survey{}
	for rows.Next() {
		v, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// LatestIdentified returns the latest identified answer of a visible party
// (the 360° page's smiley), or nil.
func (s *Store) LatestIdentified(ctx context.Context, actor *core.Actor, partyID string) (*Survey, error) {
	if err := s.parties.Visible(ctx, actor, partyID); err != nil {
		return nil, err
	}
	v, err := scanSurvey(s.db.QueryRow(ctx, surveySelect+` WHERE s.party_id = ? AND s.status = 'answered'
		ORDER BY s.answered_at DESC, s.id DESC LIMIT 1`, partyID))
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest answer of %s: %w", partyID, err)
	}
	return &v, nil
}
