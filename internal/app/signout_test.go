package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/web"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// The streams check their credentials at every heartbeat: a valid one
// keeps its stream, a session signed out or a token revoked ends it.
func TestAStreamLastsAsLongAsItsCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := webtest.New(t, d)
		ctx := context.Background()
		// The application's handler with heartbeats every few milliseconds.
		srv := httptest.NewServer(web.New(web.Deps{DB: w.DB, Clock: w.App.Clock, Logger: w.App.Logger, Orgs: w.Orgs,
			Auth: w.Auth, Parties: w.Parties, Audit: w.App.Audit, History: w.History, Catalogues: w.App.Catalogues, Events: w.App.Events,
			LiveHeartbeat: 20 * time.Millisecond}))
		t.Cleanup(srv.Close)
		browser := signIn(t, srv.URL, "adv1")
		page := openStream(t, browser, srv.URL+"/events", "")
		integration := openStream(t, http.DefaultClient, srv.URL+"/api/v1/events", w.Tokens["viewer"])
		for range 5 { // heartbeats, each with its check
			for _, s := range []*stream{page, integration} {
				for s.line(t) != ": heartbeat" {
				}
			}
		}
		if err := w.App.Events.Publish(ctx, events.Event{Topic: "still-here", Audience: []string{events.Everyone}}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []*stream{page, integration} {
			if m := s.next(t); m.Topic != "still-here" {
				t.Errorf("a stream with valid credentials receives %+v", m)
			}
		}

		resp, err := browser.PostForm(srv.URL+"/logout", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !page.ends() {
			t.Error("the page's stream stays open after its agent signed out")
		}
		tokens, err := w.Auth.ListTokens(ctx, core.System())
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if tok.AgentLogin == "viewer" {
				if err := w.Auth.RevokeToken(ctx, core.System(), tok.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !integration.ends() {
			t.Error("the integration's stream stays open after its token was revoked")
		}
	})
}
