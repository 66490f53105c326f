package leads_test

import (
	"errors"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

func ptr[T any](v T) *T { return &v }

// hasField reports whether err is a validation error naming field.
func hasField(err error, field string) bool {
	var e *core.Error
	if !errors.As(err, &e) {
		return false
	}
	_, ok := e.Fields[field]
	return ok
}

func TestTheFirstHumanActivityIsTheResponseInBusinessMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		a, l, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: leads.KindCall,
			CompletedAt: ptr(at("2026-11-23 09:10"))})
		if err != nil {
			t.Fatal(err)
		}
		if a.Automatic || a.Kind != leads.KindCall || a.Agent == nil || a.Agent.Login != "adv1" {
			t.Fatalf("activity = %+v", a)
		}
		// Friday 19:00, closed: the clock starts on Monday at 9:00.
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:10"), 10)
		if l.Status != leads.StatusAnswered || l.ResponseMinutes == nil || *l.ResponseMinutes != 10 ||
			!l.ClockStartAt.Equal(at("2026-11-23 09:00")) {
			t.Fatalf("lead returned = %s, %v minutes, clock start %s", l.Status, deref(l.ResponseMinutes), l.ClockStartAt)
		}
		// A later activity is kept and changes nothing.
		if _, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: leads.KindEmail,
			CompletedAt: ptr(at("2026-11-23 09:40"))}); err != nil {
			t.Fatal(err)
		}
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:10"), 10)
		acts, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id)
		if err != nil || len(acts) != 2 || acts[0].Kind != leads.KindCall || acts[1].Kind != leads.KindEmail {
			t.Fatalf("activities = %+v, %v", acts, err)
		}
	})
}

func TestAutomaticActivitiesAreKeptButNeverCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		for _, kind := range []string{leads.KindEmail, leads.KindSMS, leads.KindAppointment} {
			if _, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: kind, Automatic: true,
				CompletedAt: ptr(at("2026-11-20 19:01"))}); err != nil {
				t.Fatal(err)
			}
		}
		f.wantUnanswered(t, id)
		if r := f.response(t, id); r.Status != leads.StatusAssigned {
			t.Fatalf("status = %s, want assigned", r.Status)
		}
		acts, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id)
		if err != nil || len(acts) != 3 || !acts[0].Automatic {
			t.Fatalf("activities = %+v, %v", acts, err)
		}
	})
}

func TestAnEarlierActivityRecordedLaterBecomesTheResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		record := func(kind, when string) {
			t.Helper()
			if _, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: kind,
				CompletedAt: ptr(at(when))}); err != nil {
				t.Fatal(err)
			}
		}
		record(leads.KindEmail, "2026-11-23 09:45")
		f.wantResponse(t, id, leads.KindEmail, at("2026-11-23 09:45"), 45)
		record(leads.KindCall, "2026-11-23 09:10") // the call, logged late
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:10"), 10)
		record(leads.KindTask, "2026-11-23 09:20")
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:10"), 10)
	})
}

func TestAnActivityIsRecordedOnceFromTheSameOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		for i, when := range []string{"2026-11-23 09:30", "2026-11-23 09:05"} {
			err := f.DB.WithTx(f.ctx, func(tx *db.Tx) error {
				_, recorded, err := f.Leads.RecordActivityTx(f.ctx, tx, id, leads.OriginHistory, "call-1", leads.KindCall,
					false, f.actor(t, "adv1").AgentID, at(when))
				if recorded != (i == 0) {
					t.Errorf("recording %d: recorded = %v", i, recorded)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM lead_activities WHERE lead_id = ?", id); n != 1 {
			t.Fatalf("%d activities, want 1", n)
		}
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:30"), 30)
	})
}

func TestAClosedLeadStaysClosedWhenItsResponseIsRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening, Status: leads.StatusClosed})
		if _, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: leads.KindCall,
			CompletedAt: ptr(at("2026-11-23 09:10"))}); err != nil {
			t.Fatal(err)
		}
		if r := f.response(t, id); r.Status != leads.StatusClosed || r.Minutes == nil || *r.Minutes != 10 {
			t.Fatalf("closed lead = %s, %v minutes", r.Status, deref(r.Minutes))
		}
	})
}

func TestAnActivityBeforeTheLeadArrivedOrInTheFutureIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		for field, in := range map[string]leads.ActivityInput{
			"completed_at": {Kind: leads.KindCall, CompletedAt: ptr(at("2026-11-20 18:00"))},
			"kind":         {Kind: "fax"},
		} {
			_, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, in)
			if core.ErrorCode(err) != core.Invalid || !hasField(err, field) {
				t.Fatalf("%+v: err = %v, want invalid %s", in, err, field)
			}
		}
		_, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: leads.KindCall,
			CompletedAt: ptr(f.Clock.Now().Add(time.Hour))})
		if !hasField(err, "completed_at") {
			t.Fatalf("future: err = %v", err)
		}
		f.wantUnanswered(t, id)
	})
}

func TestALeadOutsideTheScopeIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{Unit: "A2", PartyID: f.P2.ID, Received: fridayEvening})
		if _, _, err := f.Leads.RecordActivity(f.ctx, f.actor(t, "adv1"), id, leads.ActivityInput{Kind: leads.KindCall}); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("record: err = %v, want not found", err)
		}
		if _, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("activities: err = %v, want not found", err)
		}
		if ls, err := f.Leads.OpenLeadsOfParty(f.ctx, f.actor(t, "adv1"), f.P2.ID); err != nil || len(ls) != 0 {
			t.Fatalf("open leads of a party outside the scope = %v, %v", ls, err)
		}
		f.wantUnanswered(t, id)
		viewer := f.actor(t, "viewer")
		if _, _, err := f.Leads.RecordActivity(f.ctx, viewer, id, leads.ActivityInput{Kind: leads.KindCall}); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("viewer: err = %v, want forbidden", err)
		}
	})
}

func TestOpenLeadsOfAPartyComeMostRecentFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		older := f.addLead(t, lead{PartyID: f.P1.ID, Received: at("2026-11-02 10:00"), Product: "loan"})
		newer := f.addLead(t, lead{PartyID: f.P1.ID, Received: at("2026-11-20 10:00"), Product: "insurance"})
		f.addLead(t, lead{PartyID: f.P1.ID, Received: at("2026-11-21 10:00"), Status: leads.StatusClosed})
		f.addLead(t, lead{PartyID: f.P1.ID, Received: at("2026-11-22 10:00"), Status: leads.StatusAnswered})
		ls, err := f.Leads.OpenLeadsOfParty(f.ctx, f.actor(t, "adv1"), f.P1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 2 || ls[0].ID != newer || ls[1].ID != older || ls[0].Product != "insurance" || ls[0].PartyName != "Hélène Dupré" {
			t.Fatalf("open leads = %+v", ls)
		}
	})
}
