package surveys_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// answered makes a client of A1 who agreed to email, has a call with adv1,
// is sent its survey an hour later and answers score anonymously.
func (f *fixture) answered(t *testing.T, score int) { f.answeredAfter(t, "phone", score) }

// answeredAfter is answered after an exchange on channel (phone: an
// answered inbound call; face_to_face: a meeting).
func (f *fixture) answeredAfter(t *testing.T, channel string, score int) {
	t.Helper()
	f.n++
	p, err := f.Parties.Create(f.ctx, core.System(), party.Input{Kind: "person", Status: "client", ClientNumber: fmt.Sprintf("30000%05d", f.n),
		FirstName: "Client", LastName: fmt.Sprintf("N%d", f.n), AgencyCode: "A1", Consents: party.Consents{Email: true},
		Emails: []party.Email{{Address: fmt.Sprintf("client%d@example.org", f.n), Kind: "personal"}}})
	if err != nil {
		t.Fatal(err)
	}
	var iid string
	if channel == "phone" {
		iid = f.call(t, p.ID)
	} else {
		iid = f.push(t, history.Item{Source: "contact", Channel: channel, Direction: "inbound", Agent: "adv1", PartyID: p.ID})
	}
	f.Clock.Advance(time.Hour)
	f.send(t)
	id, _, _ := f.surveyOf(t, iid)
	if err := f.Surveys.AnswerSurvey(f.ctx, f.token(t, id), surveys.AnswerInput{Score: score}); err != nil {
		t.Fatal(err)
	}
}

func TestNoFigureFromAnswersUnderFiveAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, s := range []int{5, 4, 4, 2} {
			f.answered(t, s)
		}
		crit := surveys.StatsCriteria{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), GroupBy: surveys.GroupAgent}
		st, err := f.Surveys.Stats(f.ctx, f.Admin, crit)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Rows) != 1 || st.Rows[0].Key != "adv1" || st.Rows[0].Sent != 4 || st.Rows[0].Answered != 4 {
			t.Fatalf("rows %+v", st.Rows)
		}
		r := st.Rows[0]
		if r.AverageScore != nil || r.ResponseRate != nil || r.Distribution != nil {
			t.Fatalf("figures under the floor: %+v", r)
		}
		f.answered(t, 5)
		st, _ = f.Surveys.Stats(f.ctx, f.Admin, crit)
		r = st.Rows[0]
		if r.AverageScore == nil || *r.AverageScore != 4 || r.ResponseRate == nil || *r.ResponseRate != 1 ||
			r.Distribution["4"] != 2 || r.Distribution["5"] != 2 || r.NPS != nil || r.Scale != surveys.Scale5 {
			t.Fatalf("figures over the floor: %+v", r)
		}
		var b bytes.Buffer
		if err := st.CSV(&b); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 3 ||
			!strings.HasPrefix(lines[1], "adv1,Hugo Conseiller,5,0,0,5,1,4,,1-5,") {
			t.Fatalf("CSV:\n%s", b.String())
		}
		if _, err := f.Surveys.Stats(f.ctx, f.actor(t, "adv1"), crit); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("advisor: %v", err)
		}
	})
}

func TestNPSIsPromotersMinusDetractorsOnTheZeroToTenScale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := campaignInput("after-calls", surveys.ChannelEmail, surveys.Scale10, surveys.TriggerCall)
		if _, err := f.Surveys.UpdateCampaign(f.ctx, f.Admin, f.Campaign.ID, in); err != nil {
			t.Fatal(err)
		}
		for _, s := range []int{10, 10, 9, 7, 2} {
			f.answered(t, s)
		}
		st, err := f.Surveys.Stats(f.ctx, f.Admin, surveys.StatsCriteria{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), GroupBy: surveys.GroupCampaign})
		if err != nil {
			t.Fatal(err)
		}
		r := st.Total
		if r.NPS == nil || *r.NPS != 40 || r.Scale != surveys.Scale10 {
			t.Fatalf("total %+v", r)
		}
		if len(st.Rows) != 1 || st.Rows[0].Key != "after-calls" {
			t.Fatalf("rows %+v", st.Rows)
		}
		sum, err := f.Surveys.Summary(f.ctx, f.Admin, 30*day)
		if err != nil || sum.Sent != 5 || sum.Answered != 5 || sum.NPS == nil || *sum.NPS != 40 || sum.AverageScore != nil {
			t.Fatalf("summary %+v %v", sum, err)
		}
	})
}

func TestSkipsByTheThreeMonthRuleAreCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.call(t, f.P1.ID)
		f.Clock.Advance(day)
		f.call(t, f.P1.ID)
		f.call(t, f.P2.ID) // no consent
		st, err := f.Surveys.Stats(f.ctx, f.Admin, surveys.StatsCriteria{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), GroupBy: surveys.GroupUnit})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total.Skipped != 2 || st.Total.SkippedRecent != 1 {
			t.Fatalf("total %+v", st.Total)
		}
		if _, err := f.Surveys.Stats(f.ctx, f.Admin, surveys.StatsCriteria{GroupBy: "party"}); core.ErrorCode(err) != core.Invalid {
			t.Fatalf("group by party: %v", err)
		}
	})
}

func TestTheTotalHidesItsFiguresWhenTheyWouldRevealAHiddenRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := campaignInput("after-calls", surveys.ChannelEmail, surveys.Scale5, surveys.TriggerCall)
		if _, err := f.Surveys.UpdateCampaign(f.ctx, f.Admin, f.Campaign.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, campaignInput("meetings", surveys.ChannelEmail, surveys.Scale5,
			surveys.TriggerMeeting)); err != nil {
			t.Fatal(err)
		}
		for _, s := range []int{5, 5, 4, 4, 3} {
			f.answered(t, s)
		}
		f.answeredAfter(t, "face_to_face", 1)
		crit := surveys.StatsCriteria{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), GroupBy: surveys.GroupCampaign}
		st, err := f.Surveys.Stats(f.ctx, f.Admin, crit)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Rows) != 2 || st.Total.Answered != 6 {
			t.Fatalf("rows %+v total %+v", st.Rows, st.Total)
		}
		for _, r := range st.Rows {
			if (r.Key == "after-calls") != (r.AverageScore != nil) {
				t.Errorf("row %s: average %v", r.Key, r.AverageScore)
			}
		}
		if st.Total.AverageScore != nil || st.Total.Distribution != nil {
			t.Fatalf("the total reveals the meeting's answer: %+v", st.Total)
		}
		// Five more meeting answers: every row shows its figures, and so does the total.
		for _, s := range []int{2, 3, 4, 5} {
			f.answeredAfter(t, "face_to_face", s)
		}
		st, _ = f.Surveys.Stats(f.ctx, f.Admin, crit)
		if st.Total.AverageScore == nil || *st.Total.AverageScore != 3.6 {
			t.Fatalf("total %+v", st.Total)
		}
	})
}
