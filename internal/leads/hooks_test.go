package leads_test

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/leads"
)

func TestWhichInteractionsOfTheHistoryAnswerALead(t *testing.T) {
	for _, tc := range []struct {
		name          string
		in            leads.Interaction
		kind          string
		automatic, ok bool
	}{
		{"a call an agent made", leads.Interaction{Source: "telephony", Channel: "phone", Direction: "outbound", Outcome: "answered", AgentID: "a"}, leads.KindCall, false, true},
		{"a call an agent took", leads.Interaction{Source: "telephony", Channel: "phone", Direction: "inbound", Outcome: "answered", AgentID: "a"}, leads.KindCall, false, true},
		{"a voicemail an agent left", leads.Interaction{Source: "telephony", Channel: "phone", Direction: "outbound", Outcome: "voicemail", AgentID: "a"}, leads.KindCall, false, true},
		{"a contact an agent logged by phone", leads.Interaction{Source: "contact", Channel: "phone", Direction: "outbound", AgentID: "a"}, leads.KindCall, false, true},
		{"an unanswered call is no activity", leads.Interaction{Source: "telephony", Channel: "phone", Direction: "outbound", Outcome: "unanswered", AgentID: "a"}, "", false, false},
		{"a call without an agent (voice server) is no activity", leads.Interaction{Source: "telephony", Channel: "phone", Direction: "inbound", Outcome: "answered"}, "", false, false},
		{"a meeting is an appointment", leads.Interaction{Source: "contact", Channel: "face_to_face", Direction: "inbound", AgentID: "a"}, leads.KindAppointment, false, true},
		{"a video meeting is an appointment", leads.Interaction{Source: "contact", Channel: "video", Direction: "outbound", AgentID: "a"}, leads.KindAppointment, false, true},
		{"an email from an agent's own mailbox", leads.Interaction{Source: "agent_mailbox", Channel: "email", Direction: "outbound", AgentID: "a"}, leads.KindEmail, false, true},
		{"the desk's mail is counted by the desk, not twice", leads.Interaction{Source: "desk", Channel: "email", Direction: "outbound", AgentID: "a"}, "", false, false},
		{"an email from the customer is no activity", leads.Interaction{Source: "agent_mailbox", Channel: "email", Direction: "inbound", AgentID: "a"}, "", false, false},
		{"an automated SMS is automatic", leads.Interaction{Source: "sms", Channel: "sms", Direction: "outbound"}, leads.KindSMS, true, true},
		{"an SMS an agent wrote counts", leads.Interaction{Source: "sms", Channel: "sms", Direction: "outbound", AgentID: "a"}, leads.KindSMS, false, true},
		{"an appointment confirmation (notification) is automatic", leads.Interaction{Source: "notification", Channel: "notification", Direction: "outbound", AgentID: "a"}, leads.KindMailing, true, true},
		{"a letter generated without an agent is automatic", leads.Interaction{Source: "letter", Channel: "letter", Direction: "outbound"}, leads.KindMailing, true, true},
		{"a case's entry is no activity", leads.Interaction{Source: "case", Channel: "case", Direction: "outbound", AgentID: "a"}, "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, automatic, ok := leads.InteractionActivity(tc.in)
			if kind != tc.kind && tc.ok || automatic != tc.automatic || ok != tc.ok {
				t.Fatalf("InteractionActivity = %q, automatic %v, ok %v; want %q, %v, %v", kind, automatic, ok, tc.kind,
					tc.automatic, tc.ok)
			}
		})
	}
}

func TestADeskReplySentOnTheAssociatedRequestAnswersTheLead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mail := f.mailbox(t)
		dk := f.App.App.Desk
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		a1, _ := f.Orgs.UnitByCode(f.ctx, "A1")
		req, err := dk.Create(f.ctx, f.actor(t, "adv1"), desk.NewRequest{UnitID: a1.ID, Channel: "email", Subject: "Prêt immobilier",
			Body: "Je voudrais un rendez-vous.", CustomerEmail: "helene.dupre@example.fr", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Leads.AssociateRequest(f.ctx, f.actor(t, "adv1"), req.ID, id); err != nil {
			t.Fatal(err)
		}
		if got, err := f.Leads.RequestLead(f.ctx, f.actor(t, "adv1"), req.ID); err != nil || got != id {
			t.Fatalf("request's lead = %q, %v", got, err)
		}
		if _, err := dk.Reply(f.ctx, f.actor(t, "adv1"), req.ID, desk.Draft{Body: "Bonjour, je vous appelle demain."}); err != nil {
			t.Fatal(err)
		}
		// Queued is not sent: no response yet.
		f.wantUnanswered(t, id)
		f.runJobs(t)
		if _, err := mail.WaitSent(f.ctx, 1); err != nil {
			t.Fatal(err)
		}
		// Sent Monday 10:00 in Paris: an hour after the clock started.
		f.wantResponse(t, id, leads.KindEmail, f.Clock.Now(), 60)
		acts, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id)
		if err != nil || len(acts) != 1 || acts[0].Origin != leads.OriginDesk || acts[0].Agent == nil || acts[0].Agent.Login != "adv1" {
			t.Fatalf("activities = %+v, %v", acts, err)
		}
	})
}

func TestAWebFormAcknowledgementIsAutomaticAndTheAgentsReplyCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mail := f.mailbox(t)
		dk := f.App.App.Desk
		if _, err := dk.SaveForm(f.ctx, core.System(), desk.Form{Code: "contact", UnitCode: "A1", Name: "Nous contacter",
			Confirmation: "Merci, nous vous répondons sous 48 heures.", Active: true}); err != nil {
			t.Fatal(err)
		}
		req, err := dk.Submit(f.ctx, "contact", desk.Submission{Name: "Hélène Dupré", Email: "helene.dupre@example.fr",
			Subject: "Assurance habitation", Message: "Un devis, s'il vous plaît."})
		if err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		if _, err := mail.WaitSent(f.ctx, 1); err != nil {
			t.Fatal(err)
		}
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		// The acknowledgement already left: associating the request records it, automatic.
		if err := f.Leads.AssociateRequest(f.ctx, f.actor(t, "adv1"), req.ID, id); err != nil {
			t.Fatal(err)
		}
		acts, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id)
		if err != nil || len(acts) != 1 || !acts[0].Automatic {
			t.Fatalf("activities = %+v, %v", acts, err)
		}
		f.wantUnanswered(t, id)
		f.Clock.Advance(30 * time.Minute)
		if _, err := dk.Reply(f.ctx, f.actor(t, "adv1"), req.ID, desk.Draft{Body: "Voici votre devis."}); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		if _, err := mail.WaitSent(f.ctx, 2); err != nil {
			t.Fatal(err)
		}
		f.wantResponse(t, id, leads.KindEmail, f.Clock.Now(), 90)
	})
}

func TestAssociatingARequestWithAnotherLeadTakesItsRepliesBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mail := f.mailbox(t)
		dk := f.App.App.Desk
		wrong := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: at("2026-11-19 10:00")})
		right := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		a1, _ := f.Orgs.UnitByCode(f.ctx, "A1")
		req, err := dk.Create(f.ctx, f.actor(t, "adv1"), desk.NewRequest{UnitID: a1.ID, Channel: "email", Subject: "Prêt",
			Body: "Bonjour", CustomerEmail: "helene.dupre@example.fr", PartyID: f.P1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Leads.AssociateRequest(f.ctx, f.actor(t, "adv1"), req.ID, wrong); err != nil {
			t.Fatal(err)
		}
		if _, err := dk.Reply(f.ctx, f.actor(t, "adv1"), req.ID, desk.Draft{Body: "Bonjour"}); err != nil {
			t.Fatal(err)
		}
		f.runJobs(t)
		if _, err := mail.WaitSent(f.ctx, 1); err != nil {
			t.Fatal(err)
		}
		if r := f.response(t, wrong); r.Status != leads.StatusAnswered {
			t.Fatalf("first association: %s", r.Status)
		}
		if err := f.Leads.AssociateRequest(f.ctx, f.actor(t, "adv1"), req.ID, right); err != nil {
			t.Fatal(err)
		}
		f.wantUnanswered(t, wrong)
		if r := f.response(t, wrong); r.Status != leads.StatusAssigned {
			t.Fatalf("the wrong lead is %s again, want assigned", r.Status)
		}
		f.wantResponse(t, right, leads.KindEmail, f.Clock.Now(), 60)
		// A lead of another customer is refused.
		other := f.addLead(t, lead{PartyID: f.P2.ID, Received: fridayEvening})
		if err := f.Leads.AssociateRequest(f.ctx, f.Admin, req.ID, other); !hasField(err, "lead_id") {
			t.Fatalf("another customer's lead: err = %v", err)
		}
		// A lead outside the scope reads as unknown.
		if err := f.Leads.AssociateRequest(f.ctx, f.actor(t, "adv1"), req.ID, core.NewID()); !hasField(err, "lead_id") {
			t.Fatalf("unknown lead: err = %v", err)
		}
	})
}

func TestACompletedTaskAssociatedWithTheLeadAnswersIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cs := f.App.App.Cases
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		call, err := cs.CreateTask(f.ctx, f.actor(t, "adv1"), cases.NewTask{Kind: "call", Title: "Rappeler Mme Dupré", DueOn: "2026-11-23",
			AssigneeLogin: "adv1", LeadID: id})
		if err != nil {
			t.Fatal(err)
		}
		if call.PartyID != f.P1.ID {
			t.Fatalf("the task's party = %q, want the lead's", call.PartyID)
		}
		other, err := cs.CreateTask(f.ctx, f.actor(t, "adv1"), cases.NewTask{Title: "Sans lien", DueOn: "2026-11-23", AssigneeLogin: "adv1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.CompleteTask(f.ctx, f.actor(t, "adv1"), other.ID); err != nil {
			t.Fatal(err)
		}
		f.wantUnanswered(t, id)
		f.Clock.Advance(5 * time.Minute)
		if _, err := cs.CompleteTask(f.ctx, f.actor(t, "adv1"), call.ID); err != nil {
			t.Fatal(err)
		}
		f.wantResponse(t, id, leads.KindCall, f.Clock.Now(), 65)
		// A lead outside the scope cannot be named.
		a2 := f.addLead(t, lead{Unit: "A2", PartyID: f.P2.ID, Received: fridayEvening})
		if _, err := cs.CreateTask(f.ctx, f.actor(t, "adv1"), cases.NewTask{Title: "x", DueOn: "2026-11-23", LeadID: a2}); !hasField(err, "lead_id") {
			t.Fatalf("a lead outside the scope: err = %v", err)
		}
	})
}

func TestACallOrMeetingOfTheLeadsCustomerInTheHistoryAnswersTheLead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		older := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: at("2026-11-19 10:00")})
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		later := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: at("2026-11-23 09:55")})
		secs := 300
		push := func(items ...history.Item) {
			t.Helper()
			res, err := f.History.Ingest(f.ctx, f.Admin, items)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if r.Status != history.Stored {
					t.Fatalf("ingest %s: %s %s", r.ExternalID, r.Status, r.Reason)
				}
			}
		}
		item := func(ext, channel, direction, outcome, agent, when string) history.Item {
			it := history.Item{Source: "telephony", ExternalID: ext, Channel: channel, Direction: direction, Outcome: outcome,
				Agent: agent, PartyID: f.P1.ID, OccurredAt: at(when).Format(time.RFC3339), DurationSeconds: &secs}
			if channel != "phone" {
				it.Source, it.DurationSeconds = "contact", nil
			}
			return it
		}
		// An unanswered call, and one without an agent, do not count; a
		// call before the lead arrived goes to the lead open then.
		push(item("c0", "phone", "outbound", "unanswered", "adv1", "2026-11-23 09:02"),
			item("c1", "phone", "inbound", "answered", "", "2026-11-23 09:03"),
			item("c2", "phone", "outbound", "answered", "adv1", "2026-11-20 11:00"))
		f.wantUnanswered(t, id)
		f.wantResponse(t, older, leads.KindCall, at("2026-11-20 11:00"), 150+270+120) // Thu 10–12:30, 13:30–18, Fri 9–11
		// The call at 9:20 answers the most recent lead received before it.
		push(item("c3", "phone", "outbound", "answered", "adv1", "2026-11-23 09:20"))
		f.wantResponse(t, id, leads.KindCall, at("2026-11-23 09:20"), 20)
		f.wantUnanswered(t, later)
		// A meeting after the third lead answers it as an appointment.
		push(item("m1", "face_to_face", "inbound", "", "adv1", "2026-11-23 09:58"))
		f.wantResponse(t, later, leads.KindAppointment, at("2026-11-23 09:58"), 3)
		// The same interaction pushed again is not recorded twice.
		res, err := f.History.Ingest(f.ctx, f.Admin, []history.Item{item("c3", "phone", "outbound", "answered", "adv1", "2026-11-23 09:20")})
		if err != nil || res[0].Status != history.Duplicate {
			t.Fatalf("again: %+v, %v", res, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM lead_activities WHERE lead_id = ?", id); n != 1 {
			t.Fatalf("%d activities on the lead, want 1", n)
		}
	})
}

func TestAnAutomatedSMSToTheCustomerIsKeptButIsNoResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.addLead(t, lead{PartyID: f.P1.ID, Assignee: "adv1", Received: fridayEvening})
		res, err := f.History.Ingest(f.ctx, f.Admin, []history.Item{{Source: "sms", ExternalID: "s1", Channel: "sms",
			Direction: "outbound", PartyID: f.P1.ID, OccurredAt: at("2026-11-23 09:01").Format(time.RFC3339),
			Body: "Votre rendez-vous est confirmé."}})
		if err != nil || res[0].Status != history.Stored {
			t.Fatalf("ingest: %+v, %v", res, err)
		}
		f.wantUnanswered(t, id)
		acts, err := f.Leads.Activities(f.ctx, f.actor(t, "adv1"), id)
		if err != nil || len(acts) != 1 || !acts[0].Automatic || acts[0].Kind != leads.KindSMS || acts[0].Origin != leads.OriginHistory {
			t.Fatalf("activities = %+v, %v", acts, err)
		}
	})
}
