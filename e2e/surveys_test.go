package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	rapport "github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/mail"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/surveys"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// surveyCampaignInput is BR's 1–5 email survey sent right after a call or a meeting.
func surveyCampaignInput() surveys.CampaignInput {
	return surveys.CampaignInput{EstablishmentCode: "BR", Code: "apres-rdv", Name: "Après rendez-vous", Active: true,
		Triggers: []string{surveys.TriggerMeeting, surveys.TriggerCall}, DelayMinutes: 0, Channel: surveys.ChannelEmail,
		Scale: surveys.Scale5, AskComment: true, AskIdentify: true, LinkDays: 30,
		Texts: map[string]surveys.Texts{
			"fr": {Subject: "Votre avis sur votre rendez-vous", Intro: "Bonjour, vous avez rencontré votre conseiller aujourd’hui.",
				Question: "Êtes-vous satisfait de ce rendez-vous ?", Thanks: "Merci pour votre réponse, elle nous aide à progresser."},
			"en": {Subject: "Your opinion on your meeting", Intro: "Hello, you met your advisor today.",
				Question: "Are you satisfied with this meeting?", Thanks: "Thank you for your answer."},
		}}
}

// surveyApp is the test organisation served by an instance whose email
// goes to an in-process SMTP server (devmail) and whose links name it.
type surveyApp struct {
	Seed   *webtest.App // the organisation, its tokens and clients
	App    *rapport.App
	URL    string
	Mail   *devmail.Server
	Clock  *core.FixedClock
	Admin  *core.Actor
	ctx    context.Context
	pushed int
}

func startSurveyApp(t *testing.T) *surveyApp {
	t.Helper()
	d := dbtest.SQLite(t)
	x := &surveyApp{Seed: webtest.New(t, d), ctx: context.Background()}
	x.Clock = x.Seed.App.Clock.(*core.FixedClock)
	var err error
	if x.Mail, err = devmail.Start(devmail.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Mail.Close() })
	srv := httptest.NewUnstartedServer(nil)
	x.URL = "http://" + srv.Listener.Addr().String()
	// The same database: the seed's instance closes it when the test ends.
	x.App, err = rapport.New(d, rapport.Config{Clock: x.Clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		DataDir: t.TempDir(), SMTPURL: "smtp://" + x.Mail.SMTPAddr(), BaseURL: x.URL, MailFrom: "Banque Rapport <enquetes@banque.test>"})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = webtest.CheckOpenAPI(t, x.App.Handler)
	srv.Start()
	t.Cleanup(srv.Close)
	a, _ := x.App.Orgs.AgentByLogin(x.ctx, "admin")
	if x.Admin, err = x.App.Orgs.Actor(x.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := x.App.Surveys.CreateCampaign(x.ctx, x.Admin, surveyCampaignInput()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{x.Seed.P1.ID, x.Seed.P2.ID} {
		if _, err := d.Exec(x.ctx, "UPDATE parties SET consent_email = ? WHERE id = ?", true, id); err != nil {
			t.Fatal(err)
		}
	}
	return x
}

// call pushes, through the API, an answered inbound call of adv1 with the
// party half an hour ago.
func (x *surveyApp) call(t *testing.T, partyID string) {
	t.Helper()
	x.pushed++
	item := map[string]any{"source": "telephony", "external_id": "call-" + string(rune('0'+x.pushed)), "channel": "phone",
		"direction": "inbound", "outcome": "answered", "duration_seconds": 420,
		"occurred_at": x.Clock.Now().Add(-30 * time.Minute).Format(time.RFC3339), "agent": "adv1", "party_id": partyID}
	raw, _ := json.Marshal(map[string]any{"items": []any{item}})
	req, _ := http.NewRequest(http.MethodPost, x.URL+"/api/v1/interactions", bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+x.Seed.Tokens["admin"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct{ Status, Reason string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("push the call: %d %v", resp.StatusCode, err)
	}
	if len(out.Items) != 1 || out.Items[0].Status != "stored" {
		t.Fatalf("the call was not stored: %+v", out.Items)
	}
}

var surveyLink = regexp.MustCompile(`https?://[^\s<>"]+/s/[A-Za-z0-9._~-]+`)

// sendAndRead runs the jobs (the survey's sending, then the email's
// delivery) and returns the path of the link in the n-th email the SMTP
// server received, checking it went to address.
func (x *surveyApp) sendAndRead(t *testing.T, n int, address string) string {
	t.Helper()
	for range 3 {
		if _, err := x.App.Jobs.RunDue(x.ctx); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(x.ctx, 10*time.Second) // a safety net, not a measure
	defer cancel()
	sent, err := x.Mail.WaitSent(ctx, n)
	if err != nil {
		t.Fatalf("no survey email %d: %v", n, err)
	}
	env := sent[n-1]
	if len(env.To) != 1 || env.To[0] != address {
		t.Errorf("the survey went to %v, want %s", env.To, address)
	}
	m := mail.Parse(env.Raw)
	if !strings.Contains(m.Subject, "Votre avis sur votre rendez-vous") {
		t.Errorf("the email's subject: %q", m.Subject)
	}
	link := surveyLink.FindString(m.Text)
	u, err := url.Parse(link)
	if link == "" || err != nil || !strings.HasPrefix(link, x.URL+"/s/") {
		t.Fatalf("no answer link to %s in the email:\n%s", x.URL, m.Text)
	}
	return u.Path
}

// checkPage fails the test when the page scrolls sideways, cuts text or
// breaks a serious accessibility rule.
func checkPage(t *testing.T, b *browser, what string) {
	t.Helper()
	if bad := b.eval(overflowing); bad != "" {
		t.Errorf("%s overflows:\n%s", what, bad)
	}
	if bad := accessibilityProblems(t, b); bad != "" {
		t.Errorf("%s:\n%s", what, bad)
	}
}

// A customer answers the survey of the email they received, on a phone,
// and chooses to be identified: their advisor sees the smiley with the
// score and the comment on their 360° page; a second answer is refused
// politely, a forged link says so; another customer answers anonymously
// and nothing of it shows on their page.
func TestASurveyAnsweredFromItsEmailOnAPhoneShowsItsSmileyOnlyWhenIdentified(t *testing.T) {
	path := chromiumPath(t)
	x := startSurveyApp(t)
	x.call(t, x.Seed.P1.ID)
	link := x.sendAndRead(t, 1, "helene.dupre@example.fr")

	b := openBrowser(t, path, x.URL)
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	if status := b.open(link); status != http.StatusOK {
		t.Fatalf("the answer link answers %d", status)
	}
	b.waitFor("the answer page", `document.querySelector("fieldset.survey-scale legend")`)
	if got := b.text("fieldset.survey-scale legend"); !strings.Contains(got, "Êtes-vous satisfait de ce rendez-vous ?") {
		t.Errorf("the question: %q", got)
	}
	if n := b.count(`input[type="radio"][name="score"]`); n != 5 {
		t.Errorf("%d score buttons, want 5", n)
	}
	if checked := b.eval(`String(document.querySelector("#sv-identify").checked)`); checked != "false" {
		t.Errorf("the identify box is checked by default")
	}
	if b.count("header.topbar") != 0 {
		t.Errorf("the public page shows the agents' menu")
	}
	keepScreenshot(t, b, "survey-answer-phone")
	checkPage(t, b, "the answer page at 390 px")
	// Sending without a score is refused, the reason announced.
	b.do("send without a score", chromedp.Click(chromedp.CSS(`.survey-form button[type="submit"]`)))
	b.waitFor("the refusal", `document.querySelector("#sv-score-err")`)
	if b.count(`[role="alert"]`) == 0 {
		t.Errorf("the refusal is not announced")
	}
	b.do("answer identified",
		chromedp.Click(chromedp.CSS(`label.survey-score:nth-child(4) span`)),
		chromedp.SendKeys(chromedp.CSS(`#sv-comment`), "Conseiller très clair, merci !"),
		chromedp.Click(chromedp.CSS(`#sv-identify`)),
		chromedp.Click(chromedp.CSS(`.survey-form button[type="submit"]`)))
	b.waitFor("the thanks", `document.querySelector(".confirmation")`)
	if got := b.text(".confirmation"); !strings.Contains(got, "Merci pour votre réponse, elle nous aide à progresser.") {
		t.Errorf("the thanks: %q", got)
	}
	checkPage(t, b, "the thanks at 390 px")
	// The same link again: already answered, politely.
	b.open(link)
	b.waitFor("the page again", `document.querySelector(".confirmation")`)
	// (in the browser's language: the link no longer tells the customer's)
	if got := b.bodyText(); !strings.Contains(got, "Vous avez déjà répondu à cette enquête") && !strings.Contains(got, "You have already answered this survey") {
		t.Errorf("the link opened again: %q", got)
	}
	resp, err := http.PostForm(x.URL+link, url.Values{"score": {"1"}})
	if err == nil {
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusConflict || !strings.Contains(string(raw), "déjà répondu") {
			t.Errorf("a second answer: %d", resp.StatusCode)
		}
	}
	// A forged link.
	forged := link[:len(link)-3] + "xyz"
	if status := b.open(forged); status != http.StatusNotFound {
		t.Errorf("a forged link answers %d", status)
	}
	if got := b.bodyText(); !strings.Contains(got, "Ce lien n’est pas valable") && !strings.Contains(got, "This link is not valid") {
		t.Errorf("the forged link's page: %q", got)
	}
	checkPage(t, b, "the forged link's page at 390 px")

	// The advisor sees the smiley, the score and the comment.
	b.signIn("adv1")
	party := "/parties/" + x.Seed.P1.ID
	b.open(party)
	b.waitPage(party)
	b.waitFor("the satisfaction", `document.querySelector("#satisfaction")`)
	if b.count("#satisfaction .mood-happy svg.icon-smile") != 1 {
		t.Errorf("no happy smiley on the 360° page")
	}
	if got := b.text("#satisfaction"); !strings.Contains(got, "4/5") || !strings.Contains(got, "Conseiller très clair, merci !") {
		t.Errorf("the satisfaction: %q", got)
	}
	if got := b.text("#timeline-rows"); !strings.Contains(got, "Enquête de satisfaction répondue") {
		t.Errorf("the timeline lacks the answer: %q", got)
	}
	keepScreenshot(t, b, "survey-smiley-phone")
	checkPage(t, b, "the 360° page with its smiley at 390 px")

	// Another customer, anonymous.
	x.Clock.Advance(time.Minute) // the send job's next period
	x.call(t, x.Seed.P2.ID)
	link2 := x.sendAndRead(t, 2, "zoe.lefevre@example.fr")
	b = b.secondBrowser() // the other customer's phone, without the advisor's session
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.open(link2)
	b.waitFor("the second answer page", `document.querySelector("fieldset.survey-scale")`)
	b.do("answer anonymously",
		chromedp.Click(chromedp.CSS(`label.survey-score:nth-child(2) span`)),
		chromedp.SendKeys(chromedp.CSS(`#sv-comment`), "Trop d’attente à l’accueil"),
		chromedp.Click(chromedp.CSS(`.survey-form button[type="submit"]`)))
	b.waitFor("the thanks", `document.querySelector(".confirmation")`)
	b = b.secondBrowser()
	b.do("desktop width", chromedp.EmulateViewport(1440, 900))
	b.signIn("admin")
	party2 := "/parties/" + x.Seed.P2.ID
	b.open(party2)
	b.waitPage(party2)
	b.waitFor("the surveys section", `document.querySelector("#surveys")`)
	if b.count("#satisfaction") != 0 || strings.Contains(b.bodyText(), "Trop d’attente") || strings.Contains(b.bodyText(), "2/5") {
		t.Errorf("the anonymous answer shows on the customer's page")
	}
	if got := b.text("#surveys"); !strings.Contains(got, "Envoyée") {
		t.Errorf("the anonymous survey should read as sent: %q", got)
	}
}

// The surveys' administration and results pages fit a phone and a desktop
// and pass the accessibility check.
func TestSurveyPagesFitAPhoneAndADesktopAndPassTheAccessibilityCheck(t *testing.T) {
	path := chromiumPath(t)
	x := startSurveyApp(t)
	x.call(t, x.Seed.P1.ID)
	link := x.sendAndRead(t, 1, "helene.dupre@example.fr")
	c, err := x.App.Surveys.Campaigns(x.ctx, x.Admin)
	if err != nil || len(c) != 1 {
		t.Fatalf("campaigns: %v %v", c, err)
	}
	b := openBrowser(t, path, x.URL)
	b.signIn("admin")
	if _, err := x.App.Dashboard.Add(x.ctx, x.Admin, "satisfaction", nil); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name  string
		width int64
	}{{"phone", 390}, {"desktop", 1440}} {
		b.do("resize", chromedp.EmulateViewport(size.width, 900))
		for _, p := range []struct{ name, path string }{
			{"campaigns", "/admin/surveys"}, {"campaign-new", "/admin/surveys/new"}, {"campaign", "/admin/surveys/" + c[0].ID},
			{"results", "/surveys/report?from=2026-11-01&to=2026-11-30&group_by=agent"}, {"home", "/"},
			{"party", "/parties/" + x.Seed.P1.ID}, {"answer", link}, {"answer-en", link + "?lang=en"},
		} {
			b.open(p.path)
			b.waitFor(p.name+" loaded", `document.readyState === "complete"`)
			keepScreenshot(t, b, "survey-"+p.name+"-"+size.name)
			checkPage(t, b, fmt.Sprintf("%s at %d px", p.name, size.width))
		}
	}
}

// surveyPages seeds, on the test application, a survey of Hélène Dupré
// answered identified (her 360° page shows its smiley) and one of Zoé
// Lefèvre waiting for her answer, and returns the public answer page of
// the latter, for the layout and accessibility lists.
func surveyPages(t *testing.T, app *webtest.App) []struct{ name, path string } {
	t.Helper()
	ctx := context.Background()
	a, _ := app.Orgs.AgentByLogin(ctx, "admin")
	admin, err := app.Orgs.Actor(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := app.App.Surveys
	if _, err := s.CreateCampaign(ctx, admin, surveyCampaignInput()); err != nil {
		t.Fatal(err)
	}
	token := func(partyID, ext string) string {
		if _, err := app.DB.Exec(ctx, "UPDATE parties SET consent_email = ? WHERE id = ?", true, partyID); err != nil {
			t.Fatal(err)
		}
		res, err := app.History.Ingest(ctx, admin, []history.Item{{Source: "telephony", ExternalID: ext, Channel: "phone",
			Direction: "inbound", Outcome: "answered", Agent: "adv1", PartyID: partyID,
			OccurredAt: app.App.Clock.Now().Add(-20 * time.Minute).Format(time.RFC3339)}})
		if err != nil || res[0].Status != history.Stored {
			t.Fatalf("the call: %v %+v", err, res)
		}
		if _, err := s.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		var raw string
		if err := app.DB.QueryRow(ctx, `SELECT o.payload FROM outbox o JOIN surveys v ON o.idempotency_key = 'survey:' || v.id
			WHERE v.interaction_id = ?`, res[0].InteractionID).Scan(&raw); err != nil {
			t.Fatalf("the invitation: %v", err)
		}
		_, after, _ := strings.Cut(raw, "/s/")
		return strings.FieldsFunc(after, func(r rune) bool { return r == '"' || r == '\\' || r == ' ' || r == '<' })[0]
	}
	first := token(app.P1.ID, "survey-call-1")
	if err := s.AnswerSurvey(ctx, first, surveys.AnswerInput{Score: 2, Comment: "Attente un peu longue au téléphone", Identify: true}); err != nil {
		t.Fatal(err)
	}
	app.App.Clock.(*core.FixedClock).Advance(time.Minute) // the send job's next period
	return []struct{ name, path string }{{"survey-answer", "/s/" + token(app.P2.ID, "survey-call-2")}}
}
