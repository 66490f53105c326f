package leads_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	rapport "github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/smsgw"
)

// alertFixture is the application with a real SMTP server (devmail) and a
// local stand-in for the establishment's SMS gateway, the one fake: an
// establishment BR (Europe/Paris) with agency A1, agents adv1 (French) and
// adv2 (English) in A1.
type alertFixture struct {
	*rapport.App
	ctx     context.Context
	mail    *devmail.Server
	gateway *fakeGateway
	br, a1  org.Unit
	adv1    *core.Actor
	adv2    *core.Actor
}

const baseURL = "https://crm.banque.test"

func newAlertFixture(t *testing.T, d *db.DB) *alertFixture {
	t.Helper()
	ctx := context.Background()
	mail, err := devmail.Start(devmail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mail.Close() })
	app, err := rapport.New(d, rapport.Config{Clock: core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		DataDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SMTPURL: "smtp://" + mail.SMTPAddr(), BaseURL: baseURL + "/", MailFrom: "Rapport <alertes@banque.test>"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	f := &alertFixture{App: app, ctx: ctx, mail: mail, gateway: startGateway(t)}
	sys := core.System()
	for _, u := range []org.UnitInput{
		{Code: "BR", Name: "Banque Rapport", Kind: "establishment", TimeZone: "Europe/Paris"},
		{Code: "A1", Name: "Paris Opéra", Kind: "agency", ParentCode: "BR"},
	} {
		if _, err := app.Orgs.CreateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []org.AgentInput{
		{Login: "adv1", Name: "Hugo Conseiller", Email: "hugo@banque.test", UnitCode: "A1", Roles: []string{"advisor"},
			Password: "correct-horse-1", Locale: "fr"},
		{Login: "adv2", Name: "Lina Adviser", Email: "lina@banque.test", UnitCode: "A1", Roles: []string{"advisor"},
			Password: "correct-horse-1", Locale: "en"},
	} {
		if _, err := app.Orgs.CreateAgent(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
	}
	f.br, _ = app.Orgs.UnitByCode(ctx, "BR")
	f.a1, _ = app.Orgs.UnitByCode(ctx, "A1")
	f.adv1, f.adv2 = f.actor(t, "adv1"), f.actor(t, "adv2")
	return f
}

func (f *alertFixture) actor(t *testing.T, login string) *core.Actor {
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

// withGateway saves BR's gateway, pointing at the fake.
func (f *alertFixture) withGateway(t *testing.T, active bool) {
	t.Helper()
	if _, err := f.SMSGateways.Save(f.ctx, core.System(), "BR", smsgw.Input{URL: f.gateway.URL + "/send", Username: "rapport",
		Password: "s3cret", Sender: "BANQUE", BodyTemplate: `{"sender": "{{sender}}", "msisdn": "{{to}}", "message": "{{text}}"}`,
		Active: active}); err != nil {
		t.Fatal(err)
	}
}

// lead is a lead of A1 as the core would hand it to the subscribers.
func (f *alertFixture) lead() leads.Lead {
	at := time.Date(2026, 11, 23, 8, 55, 0, 0, time.UTC)
	return leads.Lead{ID: core.NewID(), EstablishmentID: f.br.ID, UnitID: f.a1.ID, UnitCode: "A1", UnitName: "Paris Opéra",
		Channel: leads.ChannelAPI, Source: "comparateur", ExternalID: "X-1", ReceivedAt: at, ClockStartAt: at,
		FirstName: "Marie", LastName: "Durand", Email: "marie.durand@example.fr", Phone: "+33612345678", PostalCode: "75009",
		Product: "auto_loan", Message: "Je voudrais un crédit pour une voiture.", Status: leads.StatusAssigned,
		Route: leads.RouteDefault, AssignedAt: &at, AssignedBy: leads.AssignedRoundRobin}
}

// assign tells the store's subscribers of an assignment, in a transaction
// of its own, as the core's assignment does.
func (f *alertFixture) assign(t *testing.T, l leads.Lead, agent *core.Actor, previous string) {
	t.Helper()
	err := f.DB.WithTx(f.ctx, func(tx *db.Tx) error {
		for _, fn := range f.Leads.OnAssigned.List() {
			if err := fn(f.ctx, tx, leads.Assigned{Lead: l, AgentID: agent.AgentID, Previous: previous}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// queued lists the outbox's messages: kind and payload.
func (f *alertFixture) queued(t *testing.T) []queuedMessage {
	t.Helper()
	rows, err := f.DB.Query(f.ctx, "SELECT kind, payload, idempotency_key, state FROM outbox ORDER BY created_at, id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []queuedMessage
	for rows.Next() {
		var m queuedMessage
		if err := rows.Scan(&m.Kind, &m.Payload, &m.Key, &m.State); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

type queuedMessage struct{ Kind, Payload, Key, State string }

// fakeGateway stands for an SMS operator's HTTP API: it keeps what it
// receives and answers with status (200 unless set).
type fakeGateway struct {
	*httptest.Server
	mu     sync.Mutex
	got    []gatewayRequest
	status int
}

type gatewayRequest struct {
	User, Password, Key, ContentType string
	Body                             map[string]any
	Raw                              string
}

func startGateway(t *testing.T) *fakeGateway {
	g := &fakeGateway{status: http.StatusOK}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		req := gatewayRequest{Key: r.Header.Get("Idempotency-Key"), ContentType: r.Header.Get("Content-Type"), Raw: string(raw)}
		if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic "); ok {
			dec, _ := base64.StdEncoding.DecodeString(auth)
			req.User, req.Password, _ = strings.Cut(string(dec), ":")
		}
		_ = json.Unmarshal(raw, &req.Body)
		g.mu.Lock()
		g.got = append(g.got, req)
		status := g.status
		g.mu.Unlock()
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"queued"}`))
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *fakeGateway) requests() []gatewayRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]gatewayRequest(nil), g.got...)
}

func (g *fakeGateway) answer(status int) {
	g.mu.Lock()
	g.status = status
	g.mu.Unlock()
}

func orgEmail(email string) org.AgentUpdate { return org.AgentUpdate{Email: &email} }

// errorFields are the fields a validation error names, with their reasons.
func errorFields(err error) core.Fields {
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce.Fields
	}
	return nil
}
