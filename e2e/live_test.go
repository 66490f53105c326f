package e2e_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/events"
)

// A page that asks for live events (an element marked data-live) opens
// the event stream through app.js and hands each event published for its
// agent to the page as a "rapport:live" DOM event.
func TestALivePageReceivesTheEventsOfItsAgent(t *testing.T) {
	app, b := start(t)
	b.signIn("adv1")
	// Every page of an agent who receives leads carries the mark (the lead
	// alerts' region), so the home page listens already.
	b.eval(`(function () {
		window.got = [];
		document.addEventListener("rapport:live", function (e) { window.got.push(e.detail.topic + " " + JSON.stringify(e.detail.data)); });
		return "";
	})()`)
	b.waitFor("the live stream to open", `document.querySelector("[data-live]").getAttribute("data-live-state") === "open"`)
	ctx := context.Background()
	admin, err := app.Orgs.AgentByLogin(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []events.Event{
		{Topic: "lead.alert", Audience: []string{events.Agent(admin.ID)}, Data: json.RawMessage(`{"lead":"L1"}`)},
		{Topic: "notice", Audience: []string{events.Everyone}, Data: json.RawMessage(`{"text":"bonjour"}`)},
	} {
		if err := app.App.Events.Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	b.waitFor("the event for everyone", `window.got.indexOf('notice {"text":"bonjour"}') >= 0`)
	if got := b.eval(`window.got.join("|")`); got != `notice {"text":"bonjour"}` {
		t.Errorf("the page received %q: only the event for everyone is adv1's", got)
	}
}
