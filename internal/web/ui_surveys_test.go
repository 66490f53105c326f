package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveyCampaign is a valid active 1–5 email campaign of BR after calls.
func surveyCampaign(code string) surveys.CampaignInput {
	return surveys.CampaignInput{EstablishmentCode: "BR", Code: code, Name: "Satisfaction " + code, Active: true,
		Triggers: []string{surveys.TriggerCall, surveys.TriggerMeeting}, DelayMinutes: 60, Channel: surveys.ChannelEmail,
		Scale: surveys.Scale5, AskComment: true, AskIdentify: true, LinkDays: 30,
		Texts: map[string]surveys.Texts{
			"fr": {Subject: "Votre avis", Intro: "Bonjour, votre échange d’hier", Question: "Êtes-vous satisfait de votre conseiller ?", Thanks: "Merci, à bientôt !", SMS: "Votre avis :"},
			"en": {Subject: "Your opinion", Intro: "Hello, about yesterday", Question: "Are you happy with your advisor?", Thanks: "Thanks, see you soon!", SMS: "Your opinion:"},
		}}
}

// withSurveyCampaign creates the campaign and lets both clients receive email.
func (a *testApp) withSurveyCampaign() surveys.Campaign {
	a.t.Helper()
	c, err := a.App.App.Surveys.CreateCampaign(context.Background(), a.actorOf("admin"), surveyCampaign("after-calls"))
	if err != nil {
		a.t.Fatal(err)
	}
	for _, id := range []string{a.P1.ID, a.P2.ID} {
		if _, err := a.DB.Exec(context.Background(), "UPDATE parties SET consent_email = ? WHERE id = ?", true, id); err != nil {
			a.t.Fatal(err)
		}
	}
	return c
}

// sentSurvey stores a call of adv1 with the party now, runs the send job an
// hour later and returns the answer link's token.
func (a *testApp) sentSurvey(partyID, externalID string) string {
	a.t.Helper()
	return a.sentSurveyOf("adv1", partyID, externalID)
}

// sentSurveyOf is sentSurvey after a call of the agent with login.
func (a *testApp) sentSurveyOf(login, partyID, externalID string) string {
	a.t.Helper()
	ctx := context.Background()
	clock := a.App.App.Clock.(*core.FixedClock)
	res, err := a.History.Ingest(ctx, a.actorOf("admin"), []history.Item{{Source: "telephony", ExternalID: externalID,
		Channel: "phone", Direction: "inbound", Outcome: "answered", Agent: login, PartyID: partyID,
		OccurredAt: clock.Now().Format(time.RFC3339)}})
	if err != nil || res[0].Status != history.Stored {
		a.t.Fatalf("call not stored: %v %+v", err, res)
	}
	clock.Advance(time.Hour)
	if _, err := a.App.App.Surveys.SendDue(ctx); err != nil {
		a.t.Fatal(err)
	}
	var raw string
	if err := a.DB.QueryRow(ctx, `SELECT o.payload FROM outbox o JOIN surveys s ON o.idempotency_key = 'survey:' || s.id
		WHERE s.interaction_id = ?`, res[0].InteractionID).Scan(&raw); err != nil {
		a.t.Fatalf("the invitation: %v", err)
	}
	var p map[string]any
	_ = json.Unmarshal([]byte(raw), &p)
	text, _ := p["text"].(string)
	_, after, ok := strings.Cut(text, "/s/")
	if !ok {
		a.t.Fatalf("no link in %q", text)
	}
	return strings.Fields(after)[0]
}

// public is a client without a session, as the customer's phone.
func (a *testApp) public(method, path string, form url.Values) (int, string) {
	a.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, a.Server.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func TestTheCustomerAnswersOnceWithoutSigningInAndTheSignedAnswerShowsOnThe360Page(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		status, body := app.public(http.MethodGet, "/s/"+token, nil)
		if status != http.StatusOK {
			t.Fatalf("answer page: %d %.300s", status, body)
		}
		for _, want := range []string{"Bonjour, votre échange d’hier", "<legend>Êtes-vous satisfait de votre conseiller ?",
			`type="radio" name="score" value="1"`, `type="radio" name="score" value="5"`, "Votre conseiller : Hugo",
			"Vous pouvez dire à mon conseiller que c’est moi", `name="identify" value="1">`, `lang="en"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the answer page lacks %q", want)
			}
		}
		if strings.Contains(body, `name="identify" value="1" checked`) || strings.Contains(body, `class="topbar"`) {
			t.Errorf("the identify box is checked by default, or the agents' menu shows")
		}
		if _, en := app.public(http.MethodGet, "/s/"+token+"?lang=en", nil); !strings.Contains(en, "Are you happy with your advisor?") ||
			!strings.Contains(en, "You may tell my advisor it was me") {
			t.Errorf("the English page: %.500s", en)
		}
		// No score: refused with the reason on the scale, what was typed kept.
		status, body = app.public(http.MethodPost, "/s/"+token, url.Values{"comment": {"Très bon accueil"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Très bon accueil") {
			t.Errorf("no score: %d %.400s", status, body)
		}
		status, body = app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"4"}, "comment": {"Très bon accueil"}, "identify": {"1"}})
		if status != http.StatusOK || !strings.Contains(body, "Merci, à bientôt !") {
			t.Fatalf("the answer: %d %.400s", status, body)
		}
		status, body = app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"1"}})
		if status != http.StatusConflict || !strings.Contains(body, "Vous avez déjà répondu à cette enquête") {
			t.Errorf("a second answer: %d %.400s", status, body)
		}
		// The advisor sees the smiley, the score and the comment, and the line in the timeline.
		_, page := app.signIn("adv1").get("/parties/" + app.P1.ID)
		for _, want := range []string{`id="satisfaction"`, "mood-happy", "4/5", "Très bon accueil", "icon-smile", "pict-survey mood mood-happy", "Enquête de satisfaction répondue"} {
			if !strings.Contains(page, want) {
				t.Errorf("the 360° page lacks %q", want)
			}
		}
	})
}

func TestAnAnonymousAnswerNeverShowsOnTheCustomersPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		if status, body := app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"2"}, "comment": {"Attente trop longue"}}); status != http.StatusOK {
			t.Fatalf("the answer: %d %.300s", status, body)
		}
		_, page := app.signIn("adv1").get("/parties/" + app.P1.ID)
		if !strings.Contains(page, `id="surveys"`) || !strings.Contains(page, "Envoyée") {
			t.Errorf("the survey should read as sent: %.300s", page)
		}
		for _, never := range []string{`id="satisfaction"`, "Attente trop longue", "2/5", "mood-unhappy", "pict-survey"} {
			if strings.Contains(page, never) {
				t.Errorf("the anonymous answer shows on the 360° page: %q", never)
			}
		}
	})
}

func TestAForgedOrExpiredLinkSaysSo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		forged := token[:len(token)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(token, "AA")]
		for _, path := range []string{"/s/" + forged, "/s/nothing", "/s/" + url.PathEscape("a\u00e9b")} {
			status, body := app.public(http.MethodGet, path, nil)
			if status != http.StatusNotFound || !strings.Contains(body, "Ce lien n’est pas valable") {
				t.Errorf("%s: %d %.300s", path, status, body)
			}
		}
		if status, body := app.public(http.MethodPost, "/s/"+forged, url.Values{"score": {"5"}}); status != http.StatusNotFound ||
			!strings.Contains(body, "Ce lien n’est pas valable") {
			t.Errorf("a post on a forged link: %d %.300s", status, body)
		}
		app.App.App.Clock.(*core.FixedClock).Advance(31 * 24 * time.Hour)
		status, body := app.public(http.MethodGet, "/s/"+token, nil)
		if status != http.StatusGone || !strings.Contains(body, "Ce lien a expiré") {
			t.Errorf("an expired link: %d %.300s", status, body)
		}
	})
}

func TestTheAnswerPageRefusesHostileInputWithoutAnInternalError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		for _, form := range []url.Values{
			{"score": {"4"}, "comment": {"a\x00b"}},
			{"score": {"4"}, "comment": {"caf\xe9"}},
			{"score": {"4"}, "comment": {strings.Repeat("é", 20_000)}},
			{"score": {"a\x00b"}},
			{"score": {"caf\xe9"}},
			{"score": {"99999999999999999999"}},
			{"score": {"-3"}},
			{"score": {"6"}},
		} {
			status, body := app.public(http.MethodPost, "/s/"+token, form)
			if status != http.StatusUnprocessableEntity && status != http.StatusRequestEntityTooLarge {
				t.Errorf("%.40q: %d %.300s", form.Encode(), status, body)
			}
		}
		if status, _ := app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"5"}}); status != http.StatusOK {
			t.Errorf("the refusals used the link up: %d", status)
		}
	})
}

func TestSurveyPagesNeedTheirPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.withSurveyCampaign()
		adv := app.signIn("adv1")
		for _, path := range []string{"/admin/surveys", "/admin/surveys/new", "/admin/surveys/" + c.ID, "/surveys/report", "/surveys/report.csv"} {
			if status, _ := adv.get(path); status != http.StatusForbidden {
				t.Errorf("an advisor on %s: %d", path, status)
			}
		}
		if status, _, _ := adv.post("/admin/surveys", url.Values{"name": {"x"}}); status != http.StatusForbidden {
			t.Errorf("an advisor creating a campaign: %d", status)
		}
		if _, home := adv.get("/"); strings.Contains(home, "/surveys/report") || strings.Contains(home, "/admin/surveys") {
			t.Errorf("the advisor's menu offers the surveys")
		}
		admin := app.signIn("admin")
		status, body := admin.get("/admin/surveys")
		if status != http.StatusOK || !strings.Contains(body, "Satisfaction after-calls") || !strings.Contains(body, "Banque Rapport") ||
			!strings.Contains(body, "Appel entrant décroché") {
			t.Errorf("the campaigns: %d %.500s", status, body)
		}
		if _, home := admin.get("/"); !strings.Contains(home, `href="/surveys/report"`) {
			t.Errorf("the administrator's menu lacks the results")
		}
	})
}

func TestAnAdministratorSetsUpACampaignFromTheForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.signIn("admin")
		status, body := admin.get("/admin/surveys/new")
		if status != http.StatusOK || !strings.Contains(body, `name="triggers" value="request_closed" checked`) ||
			!strings.Contains(body, `<option value="BR" selected>Banque Rapport</option>`) {
			t.Fatalf("new campaign form: %d %.500s", status, body)
		}
		form := url.Values{"establishment_code": {"BR"}, "code": {"apres-rdv"}, "name": {"Après rendez-vous"},
			"active": {"1"}, "triggers": {"meeting", "request_closed"}, "delay_minutes": {"30"}, "channel": {"email"},
			"scale": {"0-10"}, "ask_comment": {"1"}, "link_days": {"14"},
			"fr.subject": {"Votre avis"}, "fr.intro": {"Bonjour"}, "fr.question": {"Nous recommanderiez-vous ?"}, "fr.thanks": {"Merci"},
			"en.subject": {"Your opinion"}, "en.intro": {"Hello"}, "en.question": {"Would you recommend us?"}, "en.thanks": {"Thanks"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("delay_minutes", "abc")
		bad.Set("name", "")
		status, body, _ = admin.post("/admin/surveys", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="err"`) || !strings.Contains(body, "Nous recommanderiez-vous ?") {
			t.Errorf("a refused campaign: %d %.600s", status, body)
		}
		status, _, loc := admin.post("/admin/surveys", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/surveys/") {
			t.Fatalf("create: %d %q", status, loc)
		}
		_, body = admin.get(loc)
		for _, want := range []string{`value="Après rendez-vous"`, `name="triggers" value="meeting" checked`,
			`<option value="0-10" selected>`, `value="14"`, "Would you recommend us?"} {
			if !strings.Contains(body, want) {
				t.Errorf("the saved campaign's form lacks %q", want)
			}
		}
		if strings.Contains(body, `name="ask_identify" value="1" checked`) || strings.Contains(body, `name="triggers" value="call" checked`) {
			t.Errorf("an unchecked box came back checked")
		}
		form.Set("name", "Après rendez-vous en agence")
		if status, _, _ := admin.post(loc, form); status != http.StatusSeeOther {
			t.Errorf("update: %d", status)
		}
		if _, body = admin.get("/admin/surveys"); !strings.Contains(body, "Après rendez-vous en agence") {
			t.Errorf("the list lacks the renamed campaign")
		}
		_, audit := admin.get("/admin/audit")
		if !strings.Contains(strings.ToLower(audit), "survey") && !strings.Contains(strings.ToLower(audit), "enquête") {
			t.Errorf("no audit entry for the campaign")
		}
	})
}

func TestTheResultsHideFiguresUnderFiveAnswersAndExportTheTable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		if status, _ := app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"5"}}); status != http.StatusOK {
			t.Fatalf("answer: %d", status)
		}
		admin := app.signIn("admin")
		status, body := admin.get("/surveys/report?from=2026-11-01&to=2026-11-30&group_by=agent")
		if status != http.StatusOK {
			t.Fatalf("results: %d %.500s", status, body)
		}
		for _, want := range []string{`id="sv-table"`, "Hugo Conseiller", "moins de 5 réponses", "Évitées (3 mois)", "Taux de réponse"} {
			if !strings.Contains(body, want) {
				t.Errorf("the results lack %q", want)
			}
		}
		if strings.Contains(body, "100 %") || strings.Contains(body, "Hélène") {
			t.Errorf("a figure under the floor, or the customer, shows: %.2000s", body)
		}
		resp, err := admin.client.Get(app.Server.URL + "/surveys/report.csv?from=2026-11-01&to=2026-11-30&group_by=agent")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		csv := string(raw)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(csv, "key,label,sent") || !strings.Contains(csv, "adv1,Hugo Conseiller,1,0,0,1,,,") {
			t.Errorf("the CSV: %d %s", resp.StatusCode, csv)
		}
		if status, body := admin.get("/surveys/report?from=31/11/2026"); status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="err"`) {
			t.Errorf("a wrong date: %d", status)
		}
	})
}

func TestTheSatisfactionWidgetShowsNoFigureUnderFiveAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		token := app.sentSurvey(app.P1.ID, "call-1")
		if status, _ := app.public(http.MethodPost, "/s/"+token, url.Values{"score": {"5"}}); status != http.StatusOK {
			t.Fatalf("answer: %d", status)
		}
		app.App.App.Clock.(*core.FixedClock).Advance(time.Minute) // the widget counts up to now, excluded
		if _, home := app.signIn("adv1").get("/"); strings.Contains(home, `value="satisfaction"`) {
			t.Errorf("the widget is offered to an advisor without survey.results")
		}
		admin := app.signIn("admin")
		if status, _, _ := admin.post("/dashboard/widgets", url.Values{"kind": {"satisfaction"}}); status != http.StatusSeeOther {
			t.Fatalf("add the widget: %d", status)
		}
		_, home := admin.get("/")
		kinds, _ := widgetsOn(home)
		if !strings.Contains(strings.Join(kinds, " "), "satisfaction") {
			t.Fatalf("widgets: %v", kinds)
		}
		i := strings.Index(home, `widget-satisfaction`)
		card := home[i:min(len(home), i+6000)]
		for _, want := range []string{"Satisfaction client", "Taux de réponse", "1 envoyées, 1 réponses", "moins de 5 réponses", "—", `href="/surveys/report"`} {
			if !strings.Contains(card, want) {
				t.Errorf("the widget lacks %q: %s", want, card[strings.Index(card, "</header>"):])
			}
		}
		if strings.Contains(card, "100 %") || strings.Contains(card, "5,0/5") {
			t.Errorf("a figure under the floor shows")
		}
	})
}

func TestAManagerSeesOnlyTheResultsOfTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.withSurveyCampaign()
		for _, in := range []org.AgentInput{
			{Login: "adv2", Name: "Lina Lyonnaise", UnitCode: "A2", Roles: []string{"advisor"}, Password: testPassword},
			{Login: "mgr1", Name: "Marc Responsable", UnitCode: "A1", Roles: []string{"manager"}, Password: testPassword},
		} {
			if _, err := app.Orgs.CreateAgent(context.Background(), core.System(), in); err != nil {
				t.Fatal(err)
			}
		}
		app.sentSurvey(app.P1.ID, "call-1")
		app.sentSurveyOf("adv2", app.P2.ID, "call-2")
		const q = "/surveys/report?from=2026-11-01&to=2026-11-30&group_by=agent"
		_, all := app.signIn("admin").get(q)
		if !strings.Contains(all, "Hugo Conseiller") || !strings.Contains(all, "Lina Lyonnaise") {
			t.Fatalf("the administrator's results lack an agent: %.3000s", all)
		}
		mgr := app.signIn("mgr1")
		status, body := mgr.get(q)
		if status != http.StatusOK || !strings.Contains(body, "Hugo Conseiller") || strings.Contains(body, "Lina Lyonnaise") {
			t.Errorf("the A1 manager's results: %d %.3000s", status, body)
		}
		if status, _ := mgr.get("/parties/" + app.P2.ID); status != http.StatusNotFound {
			t.Errorf("the A1 manager opens a client of A2: %d", status)
		}
		if status, _ := mgr.get("/admin/surveys"); status != http.StatusForbidden {
			t.Errorf("a manager without survey.admin on the campaigns: %d", status)
		}
	})
}
