package leads_test

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
)

// The test organisation's clock reads Monday 23 November 2026, 10:00 in
// Paris (09:00 UTC); its units keep office hours (9:00–12:30, 13:30–18:00).

// fridayEvening is when the usual test lead arrives: the unit is closed, so
// its clock starts on Monday at 9:00.
var fridayEvening = at("2026-11-20 19:00")

// at reads "2006-01-02 15:04" in Paris.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

// lead is a lead as the tests write it straight into the table (intake
// and routing are tested with their own store methods).
type lead struct {
	Unit, PartyID, Source, SourceGroup, Product, Assignee, Status string
	Received                                                      time.Time
	First, Last                                                   string
}

// addLead writes l with its clock start computed as intake does, and
// returns its id.
func (f *fixture) addLead(t *testing.T, l lead) string {
	t.Helper()
	if l.Unit == "" {
		l.Unit = "A1"
	}
	if l.Source == "" {
		l.Source = "site"
	}
	if l.Status == "" {
		l.Status = leads.StatusAssigned
	}
	u, err := f.Orgs.UnitByCode(f.ctx, l.Unit)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := f.Orgs.Calendar(f.ctx, u.ID, l.Received.Year())
	if err != nil {
		t.Fatal(err)
	}
	var assignee any
	if l.Assignee != "" {
		assignee = f.actor(t, l.Assignee).AgentID
	}
	var partyID any
	if l.PartyID != "" {
		partyID = l.PartyID
	}
	id := core.NewID()
	now := core.Millis(f.Clock.Now())
	if _, err := f.DB.Exec(f.ctx, `INSERT INTO leads (id, establishment_id, unit_id, party_id, channel, source, source_group,
		external_id, received_at, clock_start_at, first_name, last_name, product, status, route, assignee_id, created_at,
		updated_at) VALUES (?, ?, ?, ?, 'api', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'default', ?, ?, ?)`,
		id, f.establishment(t), u.ID, partyID, l.Source, l.SourceGroup, id, core.Millis(l.Received),
		core.Millis(leads.ClockStart(cal, l.Received)), l.First, l.Last, l.Product, l.Status, assignee, now, now); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) establishment(t *testing.T) string {
	t.Helper()
	u, err := f.Orgs.UnitByCode(f.ctx, "BR")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// response reads the lead's status and response as stored.
type response struct {
	Status  string
	At      *time.Time
	Minutes *int64
	Kind    string
}

func (f *fixture) response(t *testing.T, leadID string) response {
	t.Helper()
	var r response
	var first, minutes *int64
	if err := f.DB.QueryRow(f.ctx, "SELECT status, first_response_at, response_minutes, response_kind FROM leads WHERE id = ?",
		leadID).Scan(&r.Status, &first, &minutes, &r.Kind); err != nil {
		t.Fatal(err)
	}
	if first != nil {
		t := core.FromMillis(*first)
		r.At = &t
	}
	r.Minutes = minutes
	return r
}

// wantResponse fails unless the lead is answered by kind at when, minutes
// of business time after its clock started.
func (f *fixture) wantResponse(t *testing.T, leadID, kind string, when time.Time, minutes int64) {
	t.Helper()
	r := f.response(t, leadID)
	if r.Status != leads.StatusAnswered || r.At == nil || !r.At.Equal(when) || r.Minutes == nil || *r.Minutes != minutes ||
		r.Kind != kind {
		t.Fatalf("lead response = %s at %v, %v minutes, kind %q; want answered at %s, %d minutes, %s", r.Status, r.At,
			deref(r.Minutes), r.Kind, when.UTC(), minutes, kind)
	}
}

// wantUnanswered fails when the lead has a response.
func (f *fixture) wantUnanswered(t *testing.T, leadID string) {
	t.Helper()
	if r := f.response(t, leadID); r.At != nil || r.Minutes != nil || r.Status == leads.StatusAnswered {
		t.Fatalf("lead response = %s at %v, %v minutes; want none", r.Status, r.At, deref(r.Minutes))
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// mailbox gives A1 a desk mailbox on an in-process mail server.
func (f *fixture) mailbox(t *testing.T) *devmail.Server {
	t.Helper()
	const address = "agence.opera@banque.test"
	srv, err := devmail.Start(devmail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddUser(address)
	a1, err := f.Orgs.UnitByCode(f.ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	hostPort := func(addr string) (string, int) {
		h, p, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(p)
		return h, n
	}
	ih, ip := hostPort(srv.IMAPAddr())
	sh, sp := hostPort(srv.SMTPAddr())
	if _, err := f.App.App.Desk.SaveMailbox(f.ctx, core.System(), desk.Mailbox{UnitID: a1.ID, Address: address,
		Name: "Agence Paris Opéra", IMAP: desk.IMAPSettings{Host: ih, Port: ip, Security: "none", Login: address, Password: "demo"},
		SMTP: desk.SMTPSettings{Host: sh, Port: sp, Security: "none"}}); err != nil {
		t.Fatal(err)
	}
	return srv
}

// runJobs runs the jobs due (the desk's mail leaves).
func (f *fixture) runJobs(t *testing.T) {
	t.Helper()
	if _, err := f.App.App.Jobs.RunDue(f.ctx); err != nil {
		t.Fatal(err)
	}
}
