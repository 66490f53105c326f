package demo

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/secret"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// SurveysDeps are what SeedSurveys needs of the application. Key must be
// the application's secret key: it signs the answer links the demo uses.
type SurveysDeps struct {
	DB      *db.DB
	Orgs    *org.Store
	Parties *party.Store
	History *history.Store
	Key     *secret.Key
}

// SurveysSummary counts what SeedSurveys created.
type SurveysSummary struct {
	Campaigns, Surveys, Sent, Skipped, SkippedRecent, Answered, Identified int
}

// surveysPerDemo is how many exchanges the demo surveys at most.
const surveysPerDemo = 400

// surveyMonths is how far back the demo's surveys go.
const surveyMonths = 4

// demoComments are the customers' comments, by mood.
var demoComments = map[string][]string{
	"happy": {"Conseiller très à l'écoute, merci !", "Réponse rapide et claire.", "Toujours aussi bien accueillie en agence.",
		"Problème réglé en un appel, parfait.", "Merci pour votre disponibilité."},
	"neutral": {"Correct, mais un peu d'attente au téléphone.", "Bonne réponse, il a fallu rappeler une fois.",
		"Rendez-vous utile, documents à renvoyer par courrier : dommage."},
	"unhappy": {"Trop d'attente avant d'avoir quelqu'un.", "On m'a renvoyé d'un service à l'autre.",
		"Toujours pas de réponse à ma demande de crédit.", "Frais non expliqués, je suis déçu."},
}

// SeedSurveys fills the demo bank's satisfaction surveys as of now: two
// campaigns (a 1–5 email survey after calls and meetings, a 0–10 NPS
// after closed desk requests), then the surveys of up to n exchanges (0:
// 400) of the last four months, scheduled through the surveys store at
// the moment of each exchange, so the three-month rule and the consents
// skip as they would; the invitations are recorded as sent (not queued:
// the demo's mail server would receive months of them), about 30% are
// answered, some signed with a comment in French, the rest expire.
func SeedSurveys(ctx context.Context, deps SurveysDeps, now time.Time, n int) (SurveysSummary, error) {
	if n <= 0 {
		n = surveysPerDemo
	}
	clock := &movableClock{t: now.UTC()}
	store := surveys.NewStore(surveys.Deps{DB: deps.DB, Clock: clock, Audit: audit.New(deps.DB, clock), Orgs: deps.Orgs,
		Parties: deps.Parties, Key: deps.Key, History: deps.History, BaseURL: "http://demo.invalid",
		Logger: slog.New(slog.DiscardHandler)})
	sum := SurveysSummary{}
	sys := core.System()
	for _, c := range demoCampaigns() {
		if _, err := store.CreateCampaign(ctx, sys, c); err != nil {
			return sum, fmt.Errorf("demo survey campaign %s: %w", c.Code, err)
		}
		sum.Campaigns++
	}
	exchanges, err := demoExchanges(ctx, deps.DB, now.AddDate(0, -surveyMonths, 0), now.Add(-2*time.Hour), n)
	if err != nil {
		return sum, err
	}
	for _, ex := range exchanges {
		clock.set(ex.at)
		err := deps.DB.WithTx(ctx, func(tx *db.Tx) error {
			if ex.requestID != "" {
				return store.RequestClosedTx(ctx, tx, surveys.RequestClosed{RequestID: ex.requestID, UnitID: ex.unitID,
					PartyID: ex.partyID, AgentID: ex.agentID, ClosedAt: ex.at})
			}
			return store.InteractionsStoredTx(ctx, tx, []surveys.Interaction{{ID: ex.interactionID, Channel: ex.channel,
				Direction: "inbound", Outcome: "answered", AgentID: ex.agentID, At: ex.at, PartyIDs: []string{ex.partyID}}})
		})
		if err != nil {
			return sum, fmt.Errorf("demo survey after %s: %w", ex.at, err)
		}
	}
	if err := markDemoSurveysSent(ctx, deps.DB, now); err != nil {
		return sum, err
	}
	r := rand.New(rand.NewPCG(2026, 13))
	if err := answerDemoSurveys(ctx, deps.DB, store, clock, r, now, &sum); err != nil {
		return sum, err
	}
	if _, err := deps.DB.Exec(ctx, "UPDATE surveys SET status = 'expired' WHERE status = 'sent' AND expires_at <= ?",
		core.Millis(now)); err != nil {
		return sum, err
	}
	err = deps.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'skipped' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN reason = 'recent_survey' THEN 1 ELSE 0 END), 0) FROM surveys`).
		Scan(&sum.Surveys, &sum.Sent, &sum.Skipped, &sum.SkippedRecent)
	return sum, err
}

// demoCampaigns are the demo bank's two campaigns.
func demoCampaigns() []surveys.CampaignInput {
	return []surveys.CampaignInput{{EstablishmentCode: bankCode, Code: "apres-contact", Name: "Satisfaction après un contact",
		Active: true, Triggers: []string{surveys.TriggerCall, surveys.TriggerMeeting}, DelayMinutes: 120,
		Channel: surveys.ChannelEmail, Scale: surveys.Scale5, AskComment: true, AskIdentify: true,
		Texts: map[string]surveys.Texts{
			"fr": {Subject: "Votre avis sur votre dernier échange avec nous", Intro: "Bonjour,\nVous avez récemment échangé avec votre banque. Une minute pour nous dire comment cela s'est passé ?",
				Question: "Êtes-vous satisfait de cet échange ?", Thanks: "Merci pour votre réponse !"},
			"en": {Subject: "Your opinion on your last exchange with us", Intro: "Hello,\nYou recently spoke with your bank. One minute to tell us how it went?",
				Question: "Are you satisfied with this exchange?", Thanks: "Thank you for your answer!"},
		}}, {EstablishmentCode: bankCode, Code: "nps-demandes", Name: "Recommandation après une demande",
		Active: true, Triggers: []string{surveys.TriggerRequestClosed}, DelayMinutes: 60,
		Channel: surveys.ChannelEmail, Scale: surveys.Scale10, AskComment: true, AskIdentify: true,
		Texts: map[string]surveys.Texts{
			"fr": {Subject: "Votre demande est traitée : nous recommanderiez-vous ?", Intro: "Bonjour,\nVotre demande vient d'être clôturée.",
				Question: "Quelle est la probabilité que vous recommandiez notre banque à un proche ?", Thanks: "Merci !"},
			"en": {Subject: "Your request is closed: would you recommend us?", Intro: "Hello,\nYour request has just been closed.",
				Question: "How likely are you to recommend our bank to a friend?", Thanks: "Thank you!"},
		}}}
}

// demoExchange is an exchange of the demo a survey may follow.
type demoExchange struct {
	at                                time.Time
	interactionID, requestID, channel string
	partyID, unitID, agentID          string
}

// demoExchanges reads the answered inbound calls and the meetings with an
// agent, and the desk requests closed with a party, between from and to;
// at most n, spread over the period, in time order.
func demoExchanges(ctx context.Context, d *db.DB, from, to time.Time, n int) ([]demoExchange, error) {
	var out []demoExchange
	rows, err := d.Query(ctx, `SELECT i.id, i.channel, i.agent_id, a.unit_id, i.occurred_at, MIN(ip.party_id)
		FROM interactions i JOIN agents a ON a.id = i.agent_id JOIN interaction_parties ip ON ip.interaction_id = i.id
		WHERE i.occurred_at >= ? AND i.occurred_at < ? AND ((i.channel = 'phone' AND i.direction = 'inbound'
			AND i.outcome = 'answered') OR i.channel IN ('face_to_face', 'video'))
		GROUP BY i.id, i.channel, i.agent_id, a.unit_id, i.occurred_at`, core.Millis(from), core.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("demo exchanges: %w", err)
	}
	for rows.Next() {
		var ex demoExchange
		var at int64
		if err := rows.Scan(&ex.interactionID, &ex.channel, &ex.agentID, &ex.unitID, &at, &ex.partyID); err != nil {
			rows.Close()
			return nil, err
		}
		ex.at = core.FromMillis(at)
		out = append(out, ex)
	}
	rows.Close()
	rows, err = d.Query(ctx, `SELECT id, unit_id, party_id, assignee_id, closed_at FROM desk_requests
		WHERE status = 'closed' AND party_id IS NOT NULL AND closed_at >= ? AND closed_at < ?`, core.Millis(from), core.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("demo closed requests: %w", err)
	}
	for rows.Next() {
		var ex demoExchange
		var agent sql.NullString
		var at int64
		if err := rows.Scan(&ex.requestID, &ex.unitID, &ex.partyID, &agent, &at); err != nil {
			rows.Close()
			return nil, err
		}
		ex.agentID, ex.at = agent.String, core.FromMillis(at)
		out = append(out, ex)
	}
	rows.Close()
	slices.SortFunc(out, func(a, b demoExchange) int { return a.at.Compare(b.at) })
	if len(out) > n {
		step := float64(len(out)) / float64(n)
		picked := make([]demoExchange, 0, n)
		for i := range n {
			picked = append(picked, out[int(float64(i)*step)])
		}
		out = picked
	}
	return out, nil
}

// markDemoSurveysSent records the invitations of the surveys due before
// now as sent at their due time, their links valid for the campaign's days.
func markDemoSurveysSent(ctx context.Context, d *db.DB, now time.Time) error {
	_, err := d.Exec(ctx, `UPDATE surveys SET status = 'sent', sent_at = due_at,
		expires_at = due_at + CAST(86400000 AS BIGINT) * (SELECT link_days FROM survey_campaigns c WHERE c.id = surveys.campaign_id)
		WHERE status = 'scheduled' AND due_at <= ?`, core.Millis(now))
	if err != nil {
		return fmt.Errorf("demo surveys sent: %w", err)
	}
	return nil
}

// answerDemoSurveys answers about 30% of the sent surveys through the
// store, a few hours to a few days after the invitation; about 40% of the
// answers are signed, most with a comment.
func answerDemoSurveys(ctx context.Context, d *db.DB, store *surveys.Store, clock *movableClock, r *rand.Rand,
	now time.Time, sum *SurveysSummary) error {
	type sent struct {
		id, scale       string
		sentAt, expires time.Time
	}
	rows, err := d.Query(ctx, `SELECT s.id, c.scale, s.sent_at, s.expires_at FROM surveys s
		JOIN survey_campaigns c ON c.id = s.campaign_id WHERE s.status = 'sent' ORDER BY s.sent_at, s.id`)
	if err != nil {
		return err
	}
	var list []sent
	for rows.Next() {
		var s sent
		var at, exp int64
		if err := rows.Scan(&s.id, &s.scale, &at, &exp); err != nil {
			rows.Close()
			return err
		}
		s.sentAt, s.expires = core.FromMillis(at), core.FromMillis(exp)
		list = append(list, s)
	}
	rows.Close()
	for _, s := range list {
		if r.Float64() >= 0.3 {
			continue
		}
		at := s.sentAt.Add(time.Duration(30+r.IntN(4*24*60)) * time.Minute)
		if !at.Before(now) || !at.Before(s.expires) {
			continue
		}
		clock.set(at)
		score := demoScore(r, s.scale)
		in := surveys.AnswerInput{Score: score, Identify: r.Float64() < 0.4}
		if r.Float64() < 0.6 {
			moods := demoComments[surveys.Mood(s.scale, score)]
			in.Comment = moods[r.IntN(len(moods))]
		}
		token := strings.TrimPrefix(store.LinkURL(s.id, s.expires), "http://demo.invalid/s/")
		if err := store.AnswerSurvey(ctx, token, in); err != nil {
			return fmt.Errorf("demo answer to %s: %w", s.id, err)
		}
		sum.Answered++
		if in.Identify {
			sum.Identified++
		}
	}
	return nil
}

// demoScore draws a realistic score: mostly satisfied, a few unhappy.
func demoScore(r *rand.Rand, scale string) int {
	x := r.Float64()
	if scale == surveys.Scale10 {
		switch {
		case x < 0.45:
			return 9 + r.IntN(2)
		case x < 0.75:
			return 7 + r.IntN(2)
		}
		return r.IntN(7)
	}
	switch {
	case x < 0.42:
		return 5
	case x < 0.80:
		return 4
	case x < 0.91:
		return 3
	case x < 0.96:
		return 2
	}
	return 1
}
