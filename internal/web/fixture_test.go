package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/web"
)

// testApp is the whole HTTP application on a fresh database with a small
// organisation: establishment BR, regions R1 and R2, agencies A1 (in R1) and
// A2 (in R2); an administrator, an advisor of A1; one client in each agency.
type testApp struct {
	t       *testing.T
	db      *db.DB
	srv     *httptest.Server
	orgs    *org.Store
	auth    *auth.Service
	parties *party.Store
	tokens  map[string]string // login → bearer token
	p1, p2  party.Party       // clients of A1 and A2
}

const testPassword = "correct-horse-1"

func newTestApp(t *testing.T, d *db.DB) *testApp {
	t.Helper()
	ctx := context.Background()
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log := audit.New(d, clock)
	orgs := org.NewStore(d, clock, log)
	authSvc := auth.NewService(d, clock, orgs, log)
	parties := party.NewStore(d, clock, log)
	sys := core.System()
	for _, u := range []org.UnitInput{
		{Code: "BR", Name: "Banque Rapport", Kind: "establishment"},
		{Code: "R1", Name: "Île-de-France", Kind: "region", ParentCode: "BR"},
		{Code: "R2", Name: "Rhône-Alpes", Kind: "region", ParentCode: "BR"},
		{Code: "A1", Name: "Paris Opéra", Kind: "agency", ParentCode: "R1"},
		{Code: "A2", Name: "Lyon Bellecour", Kind: "agency", ParentCode: "R2"},
	} {
		if _, err := orgs.CreateUnit(ctx, sys, u); err != nil {
			t.Fatalf("create unit %s: %v", u.Code, err)
		}
	}
	app := &testApp{t: t, db: d, orgs: orgs, auth: authSvc, parties: parties, tokens: map[string]string{}}
	for _, a := range []org.AgentInput{
		{Login: "admin", Name: "Alice Admin", UnitCode: "BR", Roles: []string{"admin"}, Password: testPassword},
		{Login: "adv1", Name: "Hugo Conseiller", UnitCode: "A1", Roles: []string{"advisor"}, Password: testPassword},
		{Login: "viewer", Name: "Vera Lecture", UnitCode: "A1", Roles: []string{"viewer"}, Password: testPassword},
	} {
		if _, err := orgs.CreateAgent(ctx, sys, a); err != nil {
			t.Fatalf("create agent %s: %v", a.Login, err)
		}
		tok, err := authSvc.CreateToken(ctx, sys, "test", a.Login)
		if err != nil {
			t.Fatalf("token for %s: %v", a.Login, err)
		}
		app.tokens[a.Login] = tok
	}
	var err error
	app.p1, err = parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "1000000001",
		FirstName: "Hélène", LastName: "Dupré", AgencyCode: "A1", BirthDate: "1980-04-12",
		Emails: []party.Email{{Address: "helene.dupre@example.fr", Kind: "personal"}},
		Phones: []party.Phone{{Number: "06 12 34 56 78", Kind: "mobile"}}})
	if err != nil {
		t.Fatalf("create p1: %v", err)
	}
	app.p2, err = parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "2000000002",
		FirstName: "Zoé", LastName: "Lefèvre", AgencyCode: "A2",
		Emails: []party.Email{{Address: "zoe.lefevre@example.fr", Kind: "personal"}}})
	if err != nil {
		t.Fatalf("create p2: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	app.srv = httptest.NewServer(web.New(web.Deps{DB: d, Clock: clock, Logger: logger, Orgs: orgs, Auth: authSvc,
		Parties: parties, Audit: log}))
	t.Cleanup(app.srv.Close)
	return app
}

// call sends a JSON request as the agent with login as (no token when
// empty) and returns the status and the decoded body.
func (a *testApp) call(as, method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var rdr io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rdr = strings.NewReader(b)
		default:
			buf, _ := json.Marshal(b)
			rdr = bytes.NewReader(buf)
		}
	}
	req, _ := http.NewRequest(method, a.srv.URL+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[as])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		if err := json.Unmarshal(raw, &out); err != nil {
			out["_raw"] = string(raw)
		}
	} else {
		out["_raw"] = string(raw)
	}
	return resp.StatusCode, out
}
