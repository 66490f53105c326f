package surveys_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/surveys"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// fixture is the test organisation (webtest: BR, R1, R2, A1, A2; admin,
// adv1 and viewer; Hélène Dupré in A1 with an email and a mobile, Zoé
// Lefèvre in A2) with a campaign of BR sending a 1–5 email survey an hour
// after calls and meetings; Hélène agreed to email.
type fixture struct {
	*webtest.App
	Surveys  *surveys.Store
	Clock    *core.FixedClock
	Admin    *core.Actor
	Campaign surveys.Campaign
	ctx      context.Context
	n        int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	app := webtest.New(t, d)
	f := &fixture{App: app, Surveys: app.App.Surveys, Clock: app.App.Clock.(*core.FixedClock), ctx: context.Background()}
	f.Admin = f.actor(t, "admin")
	c, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, campaignInput("after-calls", surveys.ChannelEmail, surveys.Scale5,
		surveys.TriggerCall, surveys.TriggerMeeting))
	if err != nil {
		t.Fatal(err)
	}
	f.Campaign = c
	f.exec(t, "UPDATE parties SET consent_email = ? WHERE id = ?", true, app.P1.ID)
	return f
}

// campaignInput is a valid active campaign of BR, an hour after its triggers.
func campaignInput(code, channel, scale string, triggers ...string) surveys.CampaignInput {
	return surveys.CampaignInput{EstablishmentCode: "BR", Code: code, Name: "Satisfaction " + code, Active: true,
		Triggers: triggers, DelayMinutes: 60, Channel: channel, Scale: scale, AskComment: true, AskIdentify: true,
		Texts: map[string]surveys.Texts{
			"fr": {Subject: "Votre avis", Intro: "Bonjour,", Question: "Êtes-vous satisfait ?", Thanks: "Merci !", SMS: "Votre avis :"},
			"en": {Subject: "Your opinion", Intro: "Hello,", Question: "Are you satisfied?", Thanks: "Thanks!", SMS: "Your opinion:"},
		}}
}

// actor is the actor of the agent with login.
func (f *fixture) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	a, err := f.Orgs.AgentByLogin(f.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := f.Orgs.Actor(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

func (f *fixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := f.DB.Exec(f.ctx, q, args...); err != nil {
		t.Fatal(err)
	}
}

// count runs a COUNT(*) query.
func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// at moves the clock forward to days and hours after the start.
func (f *fixture) at(t *testing.T, d time.Duration) {
	t.Helper()
	to := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC).Add(d)
	if to.Before(f.Clock.Now()) {
		t.Fatalf("the clock cannot go back to %s", to)
	}
	f.Clock.Advance(to.Sub(f.Clock.Now()))
}

const day = 24 * time.Hour

// call stores, now, an answered inbound call of adv1 with the party and
// returns its interaction id.
func (f *fixture) call(t *testing.T, partyID string) string {
	t.Helper()
	return f.push(t, history.Item{Source: "telephony", Channel: "phone", Direction: "inbound", Outcome: "answered",
		Agent: "adv1", PartyID: partyID})
}

// push stores an item now, as the admin's integration, and returns its id.
func (f *fixture) push(t *testing.T, it history.Item) string {
	t.Helper()
	f.n++
	it.ExternalID = fmt.Sprintf("x-%04d", f.n)
	it.OccurredAt = f.Clock.Now().Format(time.RFC3339)
	res, err := f.History.Ingest(f.ctx, f.Admin, []history.Item{it})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Status != history.Stored {
		t.Fatalf("item not stored: %+v", res[0])
	}
	return res[0].InteractionID
}

// surveyOf reads the status and reason of the survey after an interaction.
func (f *fixture) surveyOf(t *testing.T, interactionID string) (id, status, reason string) {
	t.Helper()
	err := f.DB.QueryRow(f.ctx, "SELECT id, status, COALESCE(reason, '') FROM surveys WHERE interaction_id = ?",
		interactionID).Scan(&id, &status, &reason)
	if err != nil {
		t.Fatalf("survey of %s: %v", interactionID, err)
	}
	return id, status, reason
}

// send runs the send job now.
func (f *fixture) send(t *testing.T) int {
	t.Helper()
	n, err := f.Surveys.SendDue(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// invitation reads the queued invitation of a survey: its email or SMS.
func (f *fixture) invitation(t *testing.T, surveyID string) (kind string, payload map[string]any) {
	t.Helper()
	var raw string
	if err := f.DB.QueryRow(f.ctx, "SELECT kind, payload FROM outbox WHERE idempotency_key = ?", "survey:"+surveyID).
		Scan(&kind, &raw); err != nil {
		t.Fatalf("invitation of %s: %v", surveyID, err)
	}
	if err := json.Unmarshal([]byte(raw), &payload); err != nil {
		t.Fatal(err)
	}
	return kind, payload
}

// token is the answer link's token in a survey's invitation.
func (f *fixture) token(t *testing.T, surveyID string) string {
	t.Helper()
	_, p := f.invitation(t, surveyID)
	text, _ := p["text"].(string)
	_, after, ok := strings.Cut(text, "/s/")
	if !ok {
		t.Fatalf("no link in %q", text)
	}
	return strings.Fields(after)[0]
}

// sentSurvey stores a call with Hélène now, sends its survey an hour later
// and returns the survey's id and link token.
func (f *fixture) sentSurvey(t *testing.T) (string, string) {
	t.Helper()
	iid := f.call(t, f.P1.ID)
	f.Clock.Advance(time.Hour)
	f.send(t)
	id, status, _ := f.surveyOf(t, iid)
	if status != surveys.StatusSent {
		t.Fatalf("survey %s is %s, want sent", id, status)
	}
	return id, f.token(t, id)
}

// errorsAs is errors.As for a core error.
func errorsAs(err error, target **core.Error) bool { return errors.As(err, target) }
