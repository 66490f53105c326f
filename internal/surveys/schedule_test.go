package surveys_test

import (
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/surveys"
)

func TestAnAnsweredCallIsSurveyedByEmailAfterTheCampaignsDelay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		iid := f.call(t, f.P1.ID)
		id, status, _ := f.surveyOf(t, iid)
		if status != surveys.StatusScheduled {
			t.Fatalf("status %s, want scheduled", status)
		}
		f.Clock.Advance(59 * time.Minute)
		if n := f.send(t); n != 0 {
			t.Fatalf("%d sent before the delay", n)
		}
		f.Clock.Advance(time.Minute)
		if n := f.send(t); n != 1 {
			t.Fatalf("%d sent after the delay, want 1", n)
		}
		kind, p := f.invitation(t, id)
		if kind != "email" || p["subject"] != "Votre avis" || p["to"].([]any)[0] != "helene.dupre@example.fr" {
			t.Fatalf("invitation %s %v", kind, p)
		}
		if f.token(t, id) == "" {
			t.Fatal("no link")
		}
		if n := f.send(t); n != 0 {
			t.Fatalf("sent again: %d", n)
		}
	})
}

func TestUnansweredOutboundOrAgentlessCallsAreNotSurveyed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.push(t, history.Item{Source: "telephony", Channel: "phone", Direction: "inbound", Outcome: "unanswered",
			Agent: "adv1", PartyID: f.P1.ID})
		f.push(t, outbound(f.P1.ID))
		f.push(t, history.Item{Source: "telephony", Channel: "phone", Direction: "inbound", Outcome: "answered",
			PartyID: f.P1.ID})
		if n := f.count(t, "SELECT COUNT(*) FROM surveys"); n != 0 {
			t.Fatalf("%d surveys", n)
		}
		f.push(t, history.Item{Source: "contact", Channel: "face_to_face", Direction: "inbound", Agent: "adv1",
			PartyID: f.P1.ID})
		if n := f.count(t, "SELECT COUNT(*) FROM surveys WHERE status = 'scheduled'"); n != 1 {
			t.Fatalf("a meeting gave %d surveys, want 1", n)
		}
	})
}

func TestASecondExchangeOnDay89IsSkippedAndOnDay92Surveyed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		first := f.call(t, f.P1.ID)
		if _, status, _ := f.surveyOf(t, first); status != surveys.StatusScheduled {
			t.Fatalf("first survey %s", status)
		}
		f.at(t, 89*day)
		_, status, reason := f.surveyOf(t, f.call(t, f.P1.ID))
		if status != surveys.StatusSkipped || reason != surveys.SkipRecentSurvey {
			t.Fatalf("day 89: %s %s, want skipped recent_survey", status, reason)
		}
		f.at(t, 92*day)
		if _, status, reason = f.surveyOf(t, f.call(t, f.P1.ID)); status != surveys.StatusScheduled {
			t.Fatalf("day 92: %s %s, want scheduled", status, reason)
		}
	})
}

func TestTheThreeMonthRuleCoversEveryCampaignOfTheEstablishment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, campaignInput("nps", surveys.ChannelEmail, surveys.Scale10,
			surveys.TriggerRequestClosed)); err != nil {
			t.Fatal(err)
		}
		f.call(t, f.P1.ID)
		f.at(t, 10*day)
		iid := f.call(t, f.P1.ID)
		sc, err := f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: iid, Campaign: "nps"})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Status != surveys.StatusSkipped || sc.Reason == nil || *sc.Reason != surveys.SkipRecentSurvey {
			t.Fatalf("%+v", sc)
		}
	})
}

func TestNoSurveyWithoutConsentAddressOrGatewayNorToAnErasedProspect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// Zoé (A2) has an email but gave no consent.
		_, status, reason := f.surveyOf(t, f.call(t, f.P2.ID))
		if status != surveys.StatusSkipped || reason != surveys.SkipNoConsent {
			t.Fatalf("no consent: %s %s", status, reason)
		}
		f.exec(t, "UPDATE parties SET consent_email = ? WHERE id = ?", true, f.P2.ID)
		f.exec(t, "DELETE FROM party_emails WHERE party_id = ?", f.P2.ID)
		if _, status, reason = f.surveyOf(t, f.call(t, f.P2.ID)); reason != surveys.SkipNoAddress {
			t.Fatalf("no address: %s %s", status, reason)
		}
		f.exec(t, "UPDATE parties SET status = 'prospect', erasure_requested_at = ? WHERE id = ?",
			core.Millis(f.Clock.Now()), f.P1.ID)
		if _, status, reason = f.surveyOf(t, f.call(t, f.P1.ID)); reason != surveys.SkipErased {
			t.Fatalf("erased: %s %s", status, reason)
		}
		// An SMS campaign for meetings, without a gateway.
		in := campaignInput("after-calls", surveys.ChannelSMS, surveys.Scale5, surveys.TriggerCall, surveys.TriggerMeeting)
		if _, err := f.Surveys.UpdateCampaign(f.ctx, f.Admin, f.Campaign.ID, in); err != nil {
			t.Fatal(err)
		}
		f.exec(t, "UPDATE parties SET status = 'client', erasure_requested_at = NULL, consent_sms = ? WHERE id = ?", true, f.P1.ID)
		if _, status, reason = f.surveyOf(t, f.call(t, f.P1.ID)); reason != surveys.SkipNoGateway {
			t.Fatalf("no gateway: %s %s", status, reason)
		}
		// Skips do not count for the three-month rule.
		f.exec(t, `INSERT INTO sms_gateways (establishment_id, url, body_template, updated_at)
			SELECT id, 'https://sms.example.org', '{}', 0 FROM units WHERE code = 'BR'`)
		iid := f.call(t, f.P1.ID)
		id, status, _ := f.surveyOf(t, iid)
		if status != surveys.StatusScheduled {
			t.Fatalf("with a gateway: %s", status)
		}
		f.Clock.Advance(time.Hour)
		f.send(t)
		kind, p := f.invitation(t, id)
		if kind != "sms" || p["to"] != "+33612345678" || p["establishment"] == "" {
			t.Fatalf("SMS invitation %s %v", kind, p)
		}
	})
}

func TestConsentWithdrawnBeforeTheSendSkipsTheSurvey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		iid := f.call(t, f.P1.ID)
		f.exec(t, "UPDATE parties SET consent_email = ? WHERE id = ?", false, f.P1.ID)
		f.Clock.Advance(time.Hour)
		if n := f.send(t); n != 0 {
			t.Fatalf("%d sent", n)
		}
		if _, status, reason := f.surveyOf(t, iid); status != surveys.StatusSkipped || reason != surveys.SkipNoConsent {
			t.Fatalf("%s %s", status, reason)
		}
	})
}

func TestAskingTwiceForOneInteractionGivesTheSameSurvey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		iid := f.push(t, outbound(f.P1.ID))
		first, err := f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: iid, Campaign: "after-calls"})
		if err != nil || !first.Created || first.Status != surveys.StatusScheduled {
			t.Fatalf("%+v %v", first, err)
		}
		again, err := f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: iid, Campaign: "after-calls"})
		if err != nil || again.Created || again.ID != first.ID {
			t.Fatalf("again: %+v %v", again, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM surveys"); n != 1 {
			t.Fatalf("%d surveys", n)
		}
		_, err = f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: iid, Campaign: "nope"})
		if core.ErrorCode(err) != core.Invalid {
			t.Fatalf("unknown campaign: %v", err)
		}
		_, err = f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: core.NewID(), Campaign: "after-calls"})
		if core.ErrorCode(err) != core.NotFound {
			t.Fatalf("unknown interaction: %v", err)
		}
		_, err = f.Surveys.Ask(f.ctx, f.actor(t, "viewer"), surveys.Request{InteractionID: iid, Campaign: "after-calls"})
		if core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("viewer: %v", err)
		}
	})
}

func TestTwoExchangesAtOnceNeverBothSendASurvey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var ids []string
		for range 4 {
			ids = append(ids, f.push(t, outbound(f.P1.ID)))
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, iid := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.Surveys.Ask(f.ctx, f.Admin, surveys.Request{InteractionID: iid, Campaign: "after-calls"})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM surveys WHERE status = 'scheduled'"); n != 1 {
			t.Fatalf("%d scheduled, want 1", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM surveys WHERE reason = 'recent_survey'"); n != 3 {
			t.Fatalf("%d skipped, want 3", n)
		}
	})
}

// outbound is an answered outbound call of adv1, which no campaign follows.
func outbound(partyID string) history.Item {
	two := 120
	return history.Item{Source: "telephony", Channel: "phone", Direction: "outbound", Outcome: "answered",
		Agent: "adv1", PartyID: partyID, DurationSeconds: &two}
}
