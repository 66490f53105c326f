package smsgw_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

func TestTheBodyTemplateIsFilledWithJSONEscapedValues(t *testing.T) {
	for _, c := range []struct {
		name, template, to, text, sender, want string
		bad                                    bool
	}{
		{name: "plain", template: smsgw.DefaultTemplate, to: "+33612345678", text: "Bonjour", sender: "BANQUE",
			want: `{"from": "BANQUE", "to": "+33612345678", "text": "Bonjour"}`},
		{name: "quotes, backslashes and new lines stay inside the string", template: `{"t":"{{text}}"}`,
			text: "il a dit \"oui\"\\\nfin", want: `{"t":"il a dit \"oui\"\\\nfin"}`},
		{name: "an injection attempt stays text", template: `{"to":"{{to}}","t":"{{text}}"}`, to: `x","admin":true,"y":"`,
			text: "ok", want: `{"to":"x\",\"admin\":true,\"y\":\"","t":"ok"}`},
		{name: "a placeholder outside quotes is not JSON", template: `{"t":{{text}}}`, text: "Bonjour", bad: true},
		{name: "a template that is not JSON", template: `to={{to}}&text={{text}}`, bad: true},
	} {
		got, err := smsgw.Render(c.template, c.to, c.text, c.sender)
		if c.bad {
			if err == nil {
				t.Errorf("%s: rendered %s", c.name, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %s (%v), want %s", c.name, got, err, c.want)
		}
		var v map[string]any
		if json.Unmarshal([]byte(got), &v) != nil {
			t.Errorf("%s: not JSON: %s", c.name, got)
		}
	}
}

func TestAGatewaysPasswordIsSealedKeptAndNeverReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := webtest.New(t, d)
		ctx := context.Background()
		admin := actor(t, app, "admin")
		s := app.App.SMSGateways
		if _, err := s.Gateway(ctx, admin, "BR"); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("no gateway yet: %v", err)
		}
		g, err := s.Save(ctx, admin, "BR", smsgw.Input{URL: "https://sms.example.test/send", Username: "rapport",
			Password: "s3cret-password", Sender: "BANQUE", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if !g.HasPassword || g.BodyTemplate != smsgw.DefaultTemplate {
			t.Errorf("saved %+v", g)
		}
		raw, _ := json.Marshal(g)
		var stored string
		if err := d.QueryRow(ctx, "SELECT password_sealed FROM sms_gateways").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		var audit string
		if err := d.QueryRow(ctx, "SELECT detail FROM audit_log WHERE action = 'sms_gateway.save'").Scan(&audit); err != nil {
			t.Fatal(err)
		}
		for where, text := range map[string]string{"JSON": string(raw), "column": stored, "audit": audit} {
			if strings.Contains(text, "s3cret-password") {
				t.Errorf("the password in clear in the %s: %s", where, text)
			}
		}
		g, err = s.Save(ctx, admin, "BR", smsgw.Input{URL: "https://sms.example.test/v2", Active: false})
		if err != nil || !g.HasPassword || g.Active || g.URL != "https://sms.example.test/v2" {
			t.Errorf("an empty password keeps the stored one: %+v %v", g, err)
		}
		if on, err := s.ActiveGateway(ctx, d, g.EstablishmentID); on || err != nil {
			t.Errorf("a gateway off is active: %v", err)
		}
	})
}

func TestAGatewayIsRefusedWithTheFieldAtFault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := webtest.New(t, d)
		ctx := context.Background()
		admin := actor(t, app, "admin")
		s := app.App.SMSGateways
		for _, c := range []struct {
			in    smsgw.Input
			field string
		}{
			{smsgw.Input{URL: "ftp://sms.example.test"}, "url"},
			{smsgw.Input{URL: "https://user:pw@sms.example.test"}, "url"},
			{smsgw.Input{URL: "https://sms.example.test", BodyTemplate: `{"to": "{{to}}"}`}, "body_template"},
			{smsgw.Input{URL: "https://sms.example.test", BodyTemplate: `{"to": {{to}}, "t": "{{text}}"}`}, "body_template"},
			{smsgw.Input{URL: "https://sms.example.test", Sender: "a\x00b"}, "sender"},
			{smsgw.Input{URL: "https://sms.example.test", Password: strings.Repeat("é", 300)}, "password"},
		} {
			_, err := s.Save(ctx, admin, "BR", c.in)
			var ce *core.Error
			if !asError(err, &ce) || ce.Fields[c.field].Code == "" {
				t.Errorf("%+v: %v, want a reason on %s", c.in, err, c.field)
			}
		}
		if _, err := s.Save(ctx, admin, "A1", smsgw.Input{URL: "https://sms.example.test"}); core.ErrorCode(err) != core.NotFound {
			t.Errorf("an agency has no gateway: %v", err)
		}
		if _, err := s.Save(ctx, actor(t, app, "adv1"), "BR", smsgw.Input{URL: "https://sms.example.test"}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor: %v", err)
		}
	})
}

func actor(t *testing.T, app *webtest.App, login string) *core.Actor {
	t.Helper()
	a, err := app.Orgs.AgentByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := app.Orgs.Actor(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

func asError(err error, target **core.Error) bool {
	e, ok := err.(*core.Error)
	if ok {
		*target = e
	}
	return ok
}
