package leads_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/mail"
)

func TestAnAgentWithoutChoicesGetsThePopupAndTheFlashOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		st, err := f.Leads.MyAlerts(f.ctx, f.adv1)
		if err != nil {
			t.Fatal(err)
		}
		if st.AlertChoices != leads.DefaultAlertChoices || !st.Popup || !st.Flash || st.Sound || st.Email || st.SMS {
			t.Errorf("defaults: %+v", st.AlertChoices)
		}
		sub := f.Events.Subscribe(f.ctx, events.Filter{Topics: []string{leads.TopicAssigned}})
		defer sub.Close()
		l := f.lead()
		f.assign(t, l, f.adv1, "")
		data := nextAlert(t, sub)
		if data["id"] != l.ID || data["url"] != "/leads/"+l.ID || data["name"] != "Marie Durand" || data["source"] != "comparateur" ||
			data["popup"] != true || data["flash"] != true || data["sound"] != false {
			t.Errorf("event data: %v", data)
		}
		if q := f.queued(t); len(q) != 0 {
			t.Errorf("no email nor SMS chosen, yet queued: %v", q)
		}
	})
}

func TestTheLiveAlertReachesOnlyTheAssignedAgent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		mine := f.Events.Subscribe(f.ctx, events.Filter{Actor: f.adv1})
		defer mine.Close()
		other := f.Events.Subscribe(f.ctx, events.Filter{Actor: f.adv2})
		defer other.Close()
		f.assign(t, f.lead(), f.adv1, "")
		nextAlert(t, mine)
		select {
		case e := <-other.C:
			t.Errorf("adv2 received %s %s", e.Topic, e.Data)
		case <-time.After(200 * time.Millisecond):
		}
	})
}

func TestTheEmailAlertGoesToTheForwardAddressWithTheLeadAndItsLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", leads.AlertContacts{ForwardEmail: "Hugo.Perso@Example.fr"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{Email: true}); err != nil {
			t.Fatal(err)
		}
		sub := f.Events.Subscribe(f.ctx, events.Filter{Topics: []string{leads.TopicAssigned}})
		defer sub.Close()
		l := f.lead()
		f.assign(t, l, f.adv1, "")
		if _, err := f.Jobs.RunDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		sent := f.mail.Sent()
		if len(sent) != 1 {
			t.Fatalf("sent %d emails, want 1", len(sent))
		}
		if len(sent[0].To) != 1 || sent[0].To[0] != "hugo.perso@example.fr" {
			t.Errorf("to %v, want the forward address only", sent[0].To)
		}
		m := mail.Parse(sent[0].Raw)
		if m.Subject != "Nouvelle piste : auto_loan — Marie Durand" {
			t.Errorf("subject %q", m.Subject)
		}
		for _, want := range []string{"Client : Marie Durand", "E-mail : marie.durand@example.fr", "Téléphone : +33612345678",
			"Code postal : 75009", "Produit : auto_loan", "Source : comparateur", "Reçu le : 23/11/2026 à 09:55 (Europe/Paris)",
			"Je voudrais un crédit pour une voiture.", "Cliquez pour répondre à la piste :\n" + baseURL + "/leads/" + l.ID + "\n"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the email lacks %q:\n%s", want, m.Text)
			}
		}
		select {
		case e := <-sub.C:
			t.Errorf("neither pop-up, sound nor flash chosen, yet %s %s", e.Topic, e.Data)
		default:
		}
	})
}

func TestTheEmailAlertIsInTheAgentsLanguageToTheirWorkAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv2, leads.AlertChoices{Email: true, Popup: true}); err != nil {
			t.Fatal(err)
		}
		l := f.lead()
		l.ReceivedAt = time.Date(2026, 7, 1, 16, 30, 0, 0, time.UTC) // summer time: 18:30 in Paris
		f.assign(t, l, f.adv2, "")
		if _, err := f.Jobs.RunDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		sent := f.mail.Sent()
		if len(sent) != 1 || sent[0].To[0] != "lina@banque.test" {
			t.Fatalf("sent %v", sent)
		}
		m := mail.Parse(sent[0].Raw)
		if m.Subject != "New lead: auto_loan — Marie Durand" || m.From.Email != "alertes@banque.test" {
			t.Errorf("subject %q from %v", m.Subject, m.From)
		}
		for _, want := range []string{"Customer: Marie Durand", "Received: 1 Jul 2026 at 18:30 (Europe/Paris)",
			"Click to answer the lead:\n" + baseURL + "/leads/" + l.ID} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the email lacks %q:\n%s", want, m.Text)
			}
		}
	})
}

func TestTheSMSAlertReachesTheGatewayRenderedWithItsCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		f.withGateway(t, true)
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", leads.AlertContacts{Mobile: "06 98 76 54 32"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{SMS: true}); err != nil {
			t.Fatal(err)
		}
		l := f.lead()
		l.LastName = `Durand "la grande"`
		f.assign(t, l, f.adv1, "")
		if _, err := f.Jobs.RunDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		got := f.gateway.requests()
		if len(got) != 1 {
			t.Fatalf("the gateway received %d requests, want 1", len(got))
		}
		r := got[0]
		if r.User != "rapport" || r.Password != "s3cret" || r.ContentType != "application/json" || r.Key == "" {
			t.Errorf("auth %q:%q, type %q, key %q", r.User, r.Password, r.ContentType, r.Key)
		}
		want := `Nouvelle piste : auto_loan, Marie Durand "la grande", +33612345678 ` + baseURL + "/leads/" + l.ID
		if r.Body["sender"] != "BANQUE" || r.Body["msisdn"] != "+33698765432" || r.Body["message"] != want {
			t.Errorf("body %s, want message %q", r.Raw, want)
		}
		if q := f.queued(t); len(q) != 1 || q[0].State != "sent" {
			t.Errorf("outbox %v", q)
		}
	})
}

func TestNoSMSWithoutAnActiveGateway(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", leads.AlertContacts{Mobile: "0698765432"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{SMS: true}); err != nil {
			t.Fatal(err)
		}
		f.assign(t, f.lead(), f.adv1, "") // no gateway
		f.withGateway(t, false)
		f.assign(t, f.lead(), f.adv1, "") // a gateway switched off
		if q := f.queued(t); len(q) != 0 {
			t.Errorf("queued %v", q)
		}
	})
}

func TestAGatewayRefusalFailsTheSMSAtOnceAndAnOutageRetriesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		f.withGateway(t, true)
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", leads.AlertContacts{Mobile: "0698765432"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{SMS: true}); err != nil {
			t.Fatal(err)
		}
		for _, status := range []int{http.StatusBadRequest, http.StatusServiceUnavailable} {
			f.gateway.answer(status)
			f.assign(t, f.lead(), f.adv1, "")
			if _, err := f.Jobs.RunDue(f.ctx); err != nil {
				t.Fatal(err)
			}
		}
		q := f.queued(t)
		if len(q) != 2 {
			t.Fatalf("queued %v", q)
		}
		// The first went to a gateway answering 400 (the message fails,
		// never retried); the second met a 503: pending, to retry.
		states := []string{q[0].State, q[1].State}
		if len(f.gateway.requests()) != 2 || states[0] != "failed" || states[1] != "pending" {
			t.Errorf("states %v after %d requests", states, len(f.gateway.requests()))
		}
		var failed, attempt int
		if err := f.DB.QueryRow(f.ctx, `SELECT COUNT(*), MAX(attempt) FROM jobs WHERE kind = 'outbox.deliver' AND state = 'failed'`).
			Scan(&failed, &attempt); err != nil || failed != 1 || attempt != 1 {
			t.Errorf("%d job(s) failed for good, after %d attempt(s) (%v): want the refused one, at its first", failed, attempt, err)
		}
		// The gateway is back: the retry carries the same Idempotency-Key,
		// so a gateway that got the first attempt can drop the second.
		f.gateway.answer(http.StatusOK)
		f.Clock.(*core.FixedClock).Advance(time.Minute)
		if _, err := f.Jobs.RunDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		got := f.gateway.requests()
		if len(got) != 3 || got[2].Key != got[1].Key || got[2].Raw != got[1].Raw {
			t.Errorf("the retry: %d requests, keys %q", len(got), []string{got[1].Key, got[len(got)-1].Key})
		}
		if q := f.queued(t); q[1].State != "sent" {
			t.Errorf("after the retry: %s", q[1].State)
		}
	})
}

func TestNoAlertWithoutAnAgentNorForTheAgentWhoAlreadyHadTheLead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{Popup: true, Email: true}); err != nil {
			t.Fatal(err)
		}
		sub := f.Events.Subscribe(f.ctx, events.Filter{Topics: []string{leads.TopicAssigned}})
		defer sub.Close()
		l := f.lead()
		f.assign(t, l, &core.Actor{}, "")      // created, waiting for an agent
		f.assign(t, l, f.adv1, f.adv1.AgentID) // "reassigned" to the same agent
		f.assign(t, l, f.adv2, f.adv1.AgentID) // reassigned to adv2 (pop-up and flash by default)
		if data := nextAlert(t, sub); data["id"] != l.ID {
			t.Errorf("event %v", data)
		}
		select {
		case e := <-sub.C:
			t.Errorf("a second event: %s", e.Data)
		case <-time.After(200 * time.Millisecond):
		}
		if q := f.queued(t); len(q) != 0 {
			t.Errorf("adv2 chose no email, adv1 was not alerted, yet queued %v", q)
		}
	})
}

func TestAReassignmentAlertsTheNewAgentOnceEvenIfItsTransactionRunsAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv2, leads.AlertChoices{Email: true}); err != nil {
			t.Fatal(err)
		}
		l := f.lead()
		f.assign(t, l, f.adv2, f.adv1.AgentID)
		f.assign(t, l, f.adv2, f.adv1.AgentID) // the same assignment told again (a transaction retried)
		later := l.AssignedAt.Add(time.Hour)
		l2 := l
		l2.AssignedAt = &later
		f.assign(t, l2, f.adv2, f.adv1.AgentID) // a later assignment to adv2 again: a new alert
		q := f.queued(t)
		if len(q) != 2 || q[0].Kind != "email" || q[0].Key == q[1].Key {
			t.Fatalf("queued %v", q)
		}
		if want := "lead-alert:" + l.ID + ":" + f.adv2.AgentID + ":"; !strings.HasPrefix(q[0].Key, want) {
			t.Errorf("key %q, want it to start with %q", q[0].Key, want)
		}
	})
}

func TestEmailAndSMSChoicesNeedAnAddressAndAMobile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		if _, err := f.Orgs.UpdateAgent(f.ctx, core.System(), "adv1", orgEmail("")); err != nil {
			t.Fatal(err)
		}
		_, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{Email: true, SMS: true})
		fields := errorFields(err)
		if fields["email"].Code != "alert_needs_email" || fields["sms"].Code != "alert_needs_mobile" {
			t.Fatalf("refusal %v", err)
		}
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", leads.AlertContacts{
			ForwardEmail: "hugo@example.fr", Mobile: "06 12 34 56 78"}); err != nil {
			t.Fatal(err)
		}
		st, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{Email: true, SMS: true})
		if err != nil || st.EmailTo != "hugo@example.fr" || st.Mobile != "+33612345678" {
			t.Fatalf("%+v %v", st, err)
		}
		for _, bad := range []leads.AlertContacts{{ForwardEmail: "pas une adresse"}, {Mobile: "12"}, {ForwardEmail: "a\x00@b.fr"},
			{Mobile: strings.Repeat("6", 400)}} {
			if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "adv1", bad); core.ErrorCode(err) != core.Invalid {
				t.Errorf("%+v: %v", bad, err)
			}
		}
	})
}

func TestOnlyAnAdministratorSetsWhereAnAgentsAlertsGo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAlertFixture(t, d)
		_, err := f.Leads.SaveAgentAlertContacts(f.ctx, f.adv1, "adv1", leads.AlertContacts{ForwardEmail: "moi@example.fr"})
		if core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor set their own forward address: %v", err)
		}
		if _, err := f.Leads.SaveAgentAlertContacts(f.ctx, core.System(), "nobody", leads.AlertContacts{}); core.ErrorCode(err) != core.NotFound {
			t.Errorf("unknown agent: %v", err)
		}
		if _, err := f.Leads.MyAlerts(f.ctx, &core.Actor{AgentID: f.adv1.AgentID}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("without lead.work: %v", err)
		}
		var n int
		if err := f.DB.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'lead_alerts.%'").Scan(&n); err != nil || n != 0 {
			t.Errorf("audited %d refused changes (%v)", n, err)
		}
		if _, err := f.Leads.SaveMyAlerts(f.ctx, f.adv1, leads.AlertChoices{Sound: true}); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead_alerts.update'").Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries %d (%v)", n, err)
		}
	})
}

// nextAlert waits for the next lead.assigned event of sub and returns its
// data.
func nextAlert(t *testing.T, sub *events.Subscription) map[string]any {
	t.Helper()
	select {
	case e := <-sub.C:
		if e.Topic != leads.TopicAssigned {
			t.Fatalf("topic %s", e.Topic)
		}
		var data map[string]any
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		return data
	case <-time.After(5 * time.Second): // a safety net, not a measure
		t.Fatal("no lead.assigned event")
	}
	return nil
}
