package surveys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/surveys"
)

func TestAForgedLinkIsNotFoundAndAnExpiredOneSaysSo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id, token := f.sentSurvey(t)
		inv, err := f.Surveys.Invitation(f.ctx, token)
		if err != nil || inv.SurveyID != id || inv.Scale != surveys.Scale5 || inv.AgentName != "Hugo" || inv.Language != "fr" {
			t.Fatalf("%+v %v", inv, err)
		}
		if !inv.ExpiresAt.Equal(f.Clock.Now().Truncate(time.Second).AddDate(0, 0, surveys.DefaultLinkDays)) {
			t.Fatalf("expires %s", inv.ExpiresAt)
		}
		parts := strings.Split(token, ".")
		for _, forged := range []string{"", "nope", parts[0] + "." + parts[1] + ".000000000000",
			parts[0] + ".zzzzzz." + parts[2], core.NewID() + "." + parts[1] + "." + parts[2]} {
			if _, err := f.Surveys.Invitation(f.ctx, forged); core.ErrorCode(err) != core.NotFound {
				t.Errorf("forged %q: %v", forged, err)
			}
		}
		f.Clock.Advance(surveys.DefaultLinkDays * day)
		if _, err := f.Surveys.Invitation(f.ctx, token); core.ErrorCode(err) != core.Expired {
			t.Fatalf("after 30 days: %v", err)
		}
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 5}); core.ErrorCode(err) != core.Expired {
			t.Fatalf("answer after 30 days: %v", err)
		}
		f.send(t)
		var status string
		if err := f.DB.QueryRow(f.ctx, "SELECT status FROM surveys WHERE id = ?", id).Scan(&status); err != nil || status != surveys.StatusExpired {
			t.Fatalf("status %s %v", status, err)
		}
	})
}

func TestALinkIsAnsweredOnceASecondAnswerChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, token := f.sentSurvey(t)
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 6}); core.ErrorCode(err) != core.Invalid {
			t.Fatalf("score 6 on 1–5: %v", err)
		}
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 4, Comment: "Très bien"}); err != nil {
			t.Fatal(err)
		}
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 1}); core.ErrorCode(err) != core.Conflict {
			t.Fatalf("second answer: %v", err)
		}
		if _, err := f.Surveys.Invitation(f.ctx, token); core.ErrorCode(err) != core.Conflict {
			t.Fatalf("invitation after the answer: %v", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM survey_answers WHERE score = 4"); n != 1 {
			t.Fatalf("%d answers", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM survey_answers"); n != 1 {
			t.Fatalf("%d answers", n)
		}
	})
}

func TestAnAnonymousAnswerNeverNamesItsCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id, token := f.sentSurvey(t)
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 2, Comment: "Attente trop longue"}); err != nil {
			t.Fatal(err)
		}
		// The answer row has no column naming a party or a survey.
		rows, err := f.DB.Query(f.ctx, "SELECT * FROM survey_answers")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		for _, c := range cols {
			if strings.Contains(c, "party") || strings.Contains(c, "survey") {
				t.Errorf("survey_answers has column %s", c)
			}
		}
		// The survey row holds no score, comment nor time of answer.
		if n := f.count(t, `SELECT COUNT(*) FROM surveys WHERE id = ? AND status = 'sent' AND score IS NULL
			AND comment IS NULL AND answered_at IS NULL`, id); n != 1 {
			t.Fatal("the survey row keeps the anonymous answer")
		}
		adv := f.actor(t, "adv1")
		list, err := f.Surveys.PartySurveys(f.ctx, adv, f.P1.ID)
		if err != nil || len(list) != 1 || list[0].Status != surveys.StatusSent || list[0].Answer != nil {
			t.Fatalf("party surveys %+v %v", list, err)
		}
		if latest, err := f.Surveys.LatestIdentified(f.ctx, adv, f.P1.ID); err != nil || latest != nil {
			t.Fatalf("latest %+v %v", latest, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM interactions WHERE channel = 'survey'"); n != 0 {
			t.Fatal("an anonymous answer went to the timeline")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Attente%'"); n != 0 {
			t.Fatal("the audit log holds the anonymous comment")
		}
	})
}

func TestAnIdentifiedAnswerShowsOnThePartyAndInItsTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id, token := f.sentSurvey(t)
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 5, Comment: "Merci Hugo", Identify: true}); err != nil {
			t.Fatal(err)
		}
		adv := f.actor(t, "adv1")
		latest, err := f.Surveys.LatestIdentified(f.ctx, adv, f.P1.ID)
		if err != nil || latest == nil || latest.ID != id || latest.Answer == nil || latest.Answer.Score != 5 ||
			latest.Answer.Comment != "Merci Hugo" || surveys.Mood(latest.Answer.Scale, latest.Answer.Score) != "happy" {
			t.Fatalf("latest %+v %v", latest, err)
		}
		list, _ := f.Surveys.PartySurveys(f.ctx, adv, f.P1.ID)
		if len(list) != 1 || list[0].Status != surveys.StatusAnswered || list[0].AgentName != "Hugo Conseiller" {
			t.Fatalf("party surveys %+v", list)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM interactions i JOIN interaction_parties ip ON ip.interaction_id = i.id
			WHERE i.channel = 'survey' AND i.source = 'survey' AND ip.party_id = ? AND i.body = 'Merci Hugo'`, f.P1.ID); n != 1 {
			t.Fatalf("%d timeline entries", n)
		}
		// Out of scope: Zoé's agency's readers see nothing of Hélène.
		f.exec(t, "UPDATE parties SET agency_id = (SELECT id FROM units WHERE code = 'A2') WHERE id = ?", f.P1.ID)
		if _, err := f.Surveys.LatestIdentified(f.ctx, adv, f.P1.ID); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("out of scope: %v", err)
		}
	})
}

func TestTheIdentifyQuestionIsIgnoredWhenTheCampaignDoesNotAskIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := campaignInput("after-calls", surveys.ChannelEmail, surveys.Scale5, surveys.TriggerCall)
		in.AskIdentify = false
		if _, err := f.Surveys.UpdateCampaign(f.ctx, f.Admin, f.Campaign.ID, in); err != nil {
			t.Fatal(err)
		}
		_, token := f.sentSurvey(t)
		if err := f.Surveys.AnswerSurvey(f.ctx, token, surveys.AnswerInput{Score: 3, Identify: true}); err != nil {
			t.Fatal(err)
		}
		if latest, err := f.Surveys.LatestIdentified(f.ctx, f.Admin, f.P1.ID); err != nil || latest != nil {
			t.Fatalf("%+v %v", latest, err)
		}
	})
}
