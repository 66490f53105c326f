package e2e_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	rapport "github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/smsgw"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// alertInstances are two instances on one PostgreSQL schema: A serves the
// agent's browser, B (with a real SMTP server, devmail) is where the lead
// is assigned.
type alertInstances struct {
	A    *webtest.App
	B    *rapport.App
	Mail *devmail.Server
	b    *browser
	ctx  context.Context
}

// startAlertInstances skips without a browser or PostgreSQL (unless
// RAPPORT_TEST_POSTGRES asks for it), starts both instances, gives adv1
// the pop-up, the flash and an email to a personal address, and signs
// adv1 in on A.
func startAlertInstances(t *testing.T) *alertInstances {
	t.Helper()
	path := chromiumPath(t)
	d := dbtest.Postgres(t)
	x := &alertInstances{ctx: context.Background()}
	x.A = webtest.New(t, d)
	var err error
	if x.Mail, err = devmail.Start(devmail.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Mail.Close() })
	x.B, err = rapport.New(dbtest.SecondHandle(t, d), rapport.Config{Clock: core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: t.TempDir(), SMTPURL: "smtp://" + x.Mail.SMTPAddr(),
		BaseURL: x.A.Server.URL, MailFrom: "Rapport <alertes@banque.test>"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.B.Close() })
	sys := core.System()
	if _, err := x.A.App.Leads.SaveAgentAlertContacts(x.ctx, sys, "adv1", leads.AlertContacts{ForwardEmail: "hugo.perso@example.fr"}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.A.App.Leads.SaveMyAlerts(x.ctx, x.actor(t, "adv1"), leads.AlertChoices{Popup: true, Flash: true, Email: true}); err != nil {
		t.Fatal(err)
	}
	x.b = openBrowser(t, path, x.A.Server.URL)
	x.b.signIn("adv1")
	x.b.waitFor("the live stream on A", `document.querySelector("[data-lead-alerts]").getAttribute("data-live-state") === "open"`)
	return x
}

func (x *alertInstances) actor(t *testing.T, login string) *core.Actor {
	t.Helper()
	a, err := x.A.Orgs.AgentByLogin(x.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := x.A.Orgs.Actor(x.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// checkAlerted checks A's page shows the pop-up of lead id named name,
// flashes its title, and closes the pop-up with Escape; then that B's
// email reached the SMTP server with the lead and its link.
func (x *alertInstances) checkAlerted(t *testing.T, id, name string, stored bool) {
	t.Helper()
	b := x.b
	b.waitFor("the pop-up", `Array.from(document.querySelectorAll(".lead-alert")).some(e => e.dataset.lead === `+jsString(id)+`)`)
	if got := b.text(".lead-alert .lead-alert-name"); got != name {
		t.Errorf("the pop-up names %q, want %q", got, name)
	}
	if href := b.eval(`document.querySelector(".lead-alert a").getAttribute("href")`); href != "/leads/"+id {
		t.Errorf("the pop-up's link goes to %q", href)
	}
	keepScreenshot(t, b, "lead-alert-popup")
	flashText := b.eval(`document.querySelector("[data-lead-alerts]").dataset.flash`)
	b.waitFor("the title flashing", `document.title === `+jsString(flashText))
	b.waitFor("the title alternating", `document.title !== `+jsString(flashText)+` && document.title.indexOf("Rapport") >= 0`)
	if bad := accessibilityProblems(t, b); bad != "" {
		t.Errorf("the page with its pop-up:\n%s", bad)
	}
	// Keyboard: the link is reachable, Escape closes the pop-up.
	b.do("focus the pop-up's link", chromedp.Focus(chromedp.CSS(".lead-alert a")))
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Escape",
			Code: "Escape", WindowsVirtualKeyCode: 27, NativeVirtualKeyCode: 27}); err != nil {
			t.Fatal(err)
		}
	}
	b.waitFor("the pop-up closed by Escape", `!document.querySelector(".lead-alert")`)
	b.waitFor("the title back once the agent acted", `document.title !== `+jsString(flashText))

	if _, err := x.B.Jobs.RunDue(x.ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(x.ctx, 10*time.Second) // a safety net, not a measure
	defer cancel()
	sent, err := x.Mail.WaitSent(ctx, 1)
	if err != nil {
		t.Fatalf("no alert email: %v", err)
	}
	if len(sent[0].To) != 1 || sent[0].To[0] != "hugo.perso@example.fr" {
		t.Errorf("the email went to %v", sent[0].To)
	}
	m := mail.Parse(sent[0].Raw)
	if !strings.Contains(m.Subject, name) || !strings.Contains(m.Text, "Client : "+name) {
		t.Errorf("the email: %q\n%s", m.Subject, m.Text)
	}
	link := regexp.MustCompile(`https?://\S+/leads/\S+`).FindString(m.Text)
	u, err := url.Parse(link)
	if err != nil || u.Path != "/leads/"+id || u.Host != strings.TrimPrefix(x.A.Server.URL, "http://") {
		t.Errorf("the email's link %q, want %s/leads/%s", link, x.A.Server.URL, id)
	}
	// The link opens the lead's page for its agent (when the lead is
	// stored: one test tells the subscribers of an assignment made up).
	if err == nil && stored {
		if status := x.b.open(u.Path); status != http.StatusOK {
			t.Errorf("the email's link answers %d", status)
		} else {
			x.b.waitFor("the lead's page", `document.readyState === "complete"`)
			if !strings.Contains(x.b.bodyText(), name) {
				t.Errorf("the lead's page does not name %s", name)
			}
		}
	}
}

func TestALeadAssignedOnAnotherInstancePopsUpAndFlashesTheAgentsTab(t *testing.T) {
	x := startAlertInstances(t)
	br, _ := x.B.Orgs.UnitByCode(x.ctx, "BR")
	a1, _ := x.B.Orgs.UnitByCode(x.ctx, "A1")
	adv1, err := x.B.Orgs.AgentByLogin(x.ctx, "adv1")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 8, 58, 0, 0, time.UTC)
	l := leads.Lead{ID: core.NewID(), EstablishmentID: br.ID, UnitID: a1.ID, UnitName: a1.Name, Channel: leads.ChannelAPI,
		Source: "comparateur", ReceivedAt: at, FirstName: "Marie", LastName: "Durand", Email: "marie.durand@example.fr",
		Phone: "+33612345678", PostalCode: "75009", Product: "auto_loan", Status: leads.StatusAssigned, AssignedAt: &at}
	// The assignment on B, as the leads core tells its subscribers inside
	// the assignment's transaction.
	if err := x.B.DB.WithTx(x.ctx, func(tx *db.Tx) error {
		for _, fn := range x.B.Leads.OnAssigned.List() {
			if err := fn(x.ctx, tx, leads.Assigned{Lead: l, AgentID: adv1.ID}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	x.checkAlerted(t, l.ID, "Marie Durand", false)
}

func TestALeadCreatedThroughTheAPIOfAnotherInstanceAlertsItsAgent(t *testing.T) {
	x := startAlertInstances(t)
	srvB := httptest.NewServer(x.B.Handler)
	t.Cleanup(srvB.Close)
	// adv1 is A1's only advisor with lead.work: the round-robin gives them
	// the lead, posted to B's API for A1.
	body := `{"source":"comparateur","external_id":"CMP-1","first_name":"Paul","last_name":"Martin",
		"email":"paul.martin@example.fr","phone":"06 11 22 33 44","postal_code":"75009","product":"auto_loan","unit_code":"A1"}`
	req, _ := http.NewRequest(http.MethodPost, srvB.URL+"/api/v1/leads", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+x.A.Tokens["admin"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ID       string `json:"id"`
		Assignee *struct {
			Login string `json:"login"`
		} `json:"assignee"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/leads on B: %d %v", resp.StatusCode, err)
	}
	if out.Assignee == nil || out.Assignee.Login != "adv1" {
		t.Fatalf("the lead went to %+v, not adv1", out.Assignee)
	}
	x.checkAlerted(t, out.ID, "Paul Martin", true)
}

// The profile and the SMS gateway's page fit a phone and a desktop and
// pass the accessibility check.
func TestTheAlertPagesFitAPhoneAndADesktopAndPassTheAccessibilityCheck(t *testing.T) {
	app, b := start(t)
	if _, err := app.App.SMSGateways.Save(context.Background(), core.System(), "BR", smsgwInput()); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		login string
		paths []string
	}{{"adv1", []string{"/profile"}}, {"admin", []string{"/admin/sms-gateways", "/admin/sms-gateways/BR", "/admin/agents/adv1"}}} {
		b.signIn(who.login)
		for _, width := range []int64{390, 1440} {
			b.do("resize", chromedp.EmulateViewport(width, 900))
			for _, path := range who.paths {
				b.open(path)
				b.waitFor(path+" loaded", `document.readyState === "complete"`)
				keepScreenshot(t, b, "layout-alerts"+strings.ReplaceAll(path, "/", "-")+"-"+map[int64]string{390: "phone", 1440: "desktop"}[width])
				if bad := b.eval(overflowing); bad != "" {
					t.Errorf("%s at %d px:\n%s", path, width, bad)
				}
				if bad := accessibilityProblems(t, b); bad != "" {
					t.Errorf("%s at %d px:\n%s", path, width, bad)
				}
			}
		}
		if who.login == "adv1" {
			// The profile's "Try it" shows a pop-up with the boxes as ticked.
			b.open("/profile")
			b.waitPage("/profile")
			b.do("try the alert", chromedp.Click(chromedp.CSS("[data-lead-alert-try]")))
			b.waitFor("the sample pop-up", `document.querySelector(".lead-alert")`)
			if bad := accessibilityProblems(t, b); bad != "" {
				t.Errorf("the profile with a pop-up:\n%s", bad)
			}
		}
		b.signOut()
	}
}

func smsgwInput() smsgw.Input {
	return smsgw.Input{URL: "https://sms.example.test/send", Username: "rapport", Password: "s3cret", Sender: "BANQUE", Active: true}
}
