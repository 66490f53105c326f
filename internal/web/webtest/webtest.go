// Package webtest starts the whole HTTP application on a test database with
// a small organisation, for the tests of internal/web and the end-to-end
// tests: establishment BR, regions R1 and R2, agencies A1 (in R1) and A2
// (in R2); agents admin (BR), adv1 (advisor of A1) and viewer (A1), each
// with an API token; one client in each agency.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	rapport "github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// Password is every test agent's password.
const Password = "correct-horse-1"

// App is the application under test and what the tests need of it.
type App struct {
	DB      *db.DB
	App     *rapport.App // the application as serve builds it
	Server  *httptest.Server
	Orgs    *org.Store
	Auth    *auth.Service
	Parties *party.Store
	History *history.Store
	Tokens  map[string]string // login → bearer token
	P1, P2  party.Party       // Hélène Dupré (client of A1) and Zoé Lefèvre (client of A2)
}

// New seeds d and serves the application until the test ends.
func New(t testing.TB, d *db.DB) *App {
	t.Helper()
	ctx := context.Background()
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	wired, err := rapport.New(d, rapport.Config{Clock: clock, DataDir: t.TempDir(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	app := &App{DB: d, App: wired, Orgs: wired.Orgs, Auth: wired.Auth, Parties: wired.Parties, History: wired.History,
		Tokens: map[string]string{}}
	sys := core.System()
	for _, u := range []org.UnitInput{
		{Code: "BR", Name: "Banque Rapport", Kind: "establishment"},
		{Code: "R1", Name: "Île-de-France", Kind: "region", ParentCode: "BR"},
		{Code: "R2", Name: "Rhône-Alpes", Kind: "region", ParentCode: "BR"},
		{Code: "A1", Name: "Paris Opéra", Kind: "agency", ParentCode: "R1"},
		{Code: "A2", Name: "Lyon Bellecour", Kind: "agency", ParentCode: "R2"},
	} {
		if _, err := app.Orgs.CreateUnit(ctx, sys, u); err != nil {
			t.Fatalf("create unit %s: %v", u.Code, err)
		}
	}
	for _, a := range []org.AgentInput{
		{Login: "admin", Name: "Alice Admin", UnitCode: "BR", Roles: []string{"admin"}, Password: Password},
		{Login: "adv1", Name: "Hugo Conseiller", UnitCode: "A1", Roles: []string{"advisor"}, Password: Password},
		{Login: "viewer", Name: "Vera Lecture", UnitCode: "A1", Roles: []string{"viewer"}, Password: Password},
	} {
		if _, err := app.Orgs.CreateAgent(ctx, sys, a); err != nil {
			t.Fatalf("create agent %s: %v", a.Login, err)
		}
		tok, err := app.Auth.CreateToken(ctx, sys, "test", a.Login)
		if err != nil {
			t.Fatalf("token for %s: %v", a.Login, err)
		}
		app.Tokens[a.Login] = tok
	}
	app.P1, err = app.Parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "1000000001",
		FirstName: "Hélène", LastName: "Dupré", AgencyCode: "A1", BirthDate: "1980-04-12",
		Emails: []party.Email{{Address: "helene.dupre@example.fr", Kind: "personal"}},
		Phones: []party.Phone{{Number: "06 12 34 56 78", Kind: "mobile"}}})
	if err != nil {
		t.Fatalf("create Hélène Dupré: %v", err)
	}
	app.P2, err = app.Parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "2000000002",
		FirstName: "Zoé", LastName: "Lefèvre", AgencyCode: "A2",
		Emails: []party.Email{{Address: "zoe.lefevre@example.fr", Kind: "personal"}}})
	if err != nil {
		t.Fatalf("create Zoé Lefèvre: %v", err)
	}
	t.Cleanup(func() { wired.Close() }) // after the server's: stops the events bus, then the database
	app.Server = httptest.NewServer(CheckOpenAPI(t, wired.Handler))
	t.Cleanup(app.Server.Close)
	return app
}
