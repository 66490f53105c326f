package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveyLanguages are the languages a campaign's texts are written in.
var surveyLanguages = []string{"fr", "en"}

// surveyCampaignsPage lists the campaigns of the establishments the
// administrator sets up.
type surveyCampaignsPage struct {
	adminBase
	Campaigns []surveys.Campaign
	Units     map[string]org.Unit // the establishments, by ID
	CanAdd    bool                // the administrator has an establishment
}

// surveyCampaignPage is a campaign's form, new or to edit.
type surveyCampaignPage struct {
	adminBase
	ID             string // "" for a new campaign
	In             surveys.CampaignInput
	Establishments []org.Unit
	Establishment  org.Unit // the campaign's, when editing
	Triggers       []string
	Channels       []string
	Scales         []string
	Languages      []string
}

// HasTrigger reports whether the form has trigger t checked.
func (p surveyCampaignPage) HasTrigger(t string) bool { return slices.Contains(p.In.Triggers, t) }

// Text is a campaign text of a language, for the form.
func (p surveyCampaignPage) Text(lang, name string) string {
	t := p.In.Texts[lang]
	return map[string]string{"subject": t.Subject, "intro": t.Intro, "question": t.Question, "thanks": t.Thanks, "sms": t.SMS}[name]
}

// TextFieldError is the refusal of a text of a language, if any.
func (p surveyCampaignPage) TextFieldError(lang, name string) string {
	for _, k := range []string{"texts." + lang + "." + name, "texts[" + lang + "]." + name, lang + "." + name} {
		if m := p.FieldError(k); m != "" {
			return m
		}
	}
	return ""
}

// SurveyTextNames are a campaign's texts in form order.
func (p surveyCampaignPage) SurveyTextNames() []string {
	return []string{"subject", "intro", "question", "thanks", "sms"}
}

// surveyAdminRoutes mounts the campaigns' administration (survey.admin).
func (s *server) surveyAdminRoutes(mux *http.ServeMux) {
	if s.Surveys == nil {
		return
	}
	admin := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermSurveyAdmin, h) }
	mux.Handle("GET /admin/surveys", admin(s.adminSurveys))
	mux.Handle("GET /admin/surveys/new", admin(s.adminSurveyNew))
	mux.Handle("POST /admin/surveys", admin(s.adminSurveyCreate))
	mux.Handle("GET /admin/surveys/{id}", admin(s.adminSurveyEdit))
	mux.Handle("POST /admin/surveys/{id}", admin(s.adminSurveyUpdate))
}

// surveyEstablishments lists the establishments of the actor's scope.
func (s *server) surveyEstablishments(r *http.Request) ([]org.Unit, error) {
	units, err := s.scopeUnits(r)
	if err != nil {
		return nil, err
	}
	out := units[:0:0]
	for _, u := range units {
		if u.Kind == org.KindEstablishment {
			out = append(out, u)
		}
	}
	return out, nil
}

func (s *server) adminSurveys(w http.ResponseWriter, r *http.Request) {
	list, err := s.Surveys.Campaigns(r.Context(), core.ActorFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ests, err := s.surveyEstablishments(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := surveyCampaignsPage{adminBase: s.adminPage(r, "survey.admin.title", "surveys"), Campaigns: list,
		Units: map[string]org.Unit{}, CanAdd: len(ests) > 0}
	for _, u := range all {
		p.Units[u.ID] = u
	}
	s.render(w, r, http.StatusOK, "admin_surveys", "", p)
}

// newCampaignInput is a new campaign's defaults.
func newCampaignInput() surveys.CampaignInput {
	return surveys.CampaignInput{Active: true, Triggers: []string{surveys.TriggerRequestClosed}, DelayMinutes: 60,
		Channel: surveys.ChannelEmail, Scale: surveys.Scale5, AskComment: true, AskIdentify: true,
		LinkDays: surveys.DefaultLinkDays, Texts: map[string]surveys.Texts{}}
}

func (s *server) adminSurveyNew(w http.ResponseWriter, r *http.Request) {
	in := newCampaignInput()
	if ests, err := s.surveyEstablishments(r); err == nil && len(ests) == 1 {
		in.EstablishmentCode = ests[0].Code
	}
	s.showSurveyCampaign(w, r, http.StatusOK, "", in, "", nil)
}

func (s *server) adminSurveyEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.Surveys.Campaign(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := surveys.CampaignInput{Code: c.Code, Name: c.Name, Active: c.Active, Triggers: c.Triggers,
		DelayMinutes: c.DelayMinutes, Channel: c.Channel, Scale: c.Scale, AskComment: c.AskComment,
		AskIdentify: c.AskIdentify, LinkDays: c.LinkDays, Texts: c.Texts}
	if u, err := s.Orgs.UnitByID(r.Context(), c.EstablishmentID); err == nil {
		in.EstablishmentCode = u.Code
	}
	s.showSurveyCampaign(w, r, http.StatusOK, c.ID, in, "", nil)
}

// showSurveyCampaign renders the campaign's form with in, and the refusal
// of the last post when msg is set.
func (s *server) showSurveyCampaign(w http.ResponseWriter, r *http.Request, status int, id string,
	in surveys.CampaignInput, msg string, fields core.Fields) {
	ests, err := s.surveyEstablishments(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := surveyCampaignPage{adminBase: s.adminPage(r, "survey.admin.title", "surveys"), ID: id, In: in,
		Establishments: ests, Triggers: surveys.Triggers, Channels: []string{surveys.ChannelEmail, surveys.ChannelSMS},
		Scales: []string{surveys.Scale5, surveys.Scale10}, Languages: surveyLanguages}
	if id == "" {
		p.Title = p.T("survey.admin.new")
	} else {
		p.Title = p.T("survey.admin.title") + " · " + in.Name
		for _, u := range ests {
			if u.Code == in.EstablishmentCode {
				p.Establishment = u
			}
		}
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_survey", "", p)
}

// campaignFromForm reads the campaign's form.
func campaignFromForm(r *http.Request) surveys.CampaignInput {
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			return -1 // refused by the store's range check, shown on the field
		}
		return n
	}
	_ = r.ParseForm()
	in := surveys.CampaignInput{EstablishmentCode: r.PostFormValue("establishment_code"), Code: r.PostFormValue("code"),
		Name: r.PostFormValue("name"), Active: r.PostFormValue("active") != "", Triggers: r.PostForm["triggers"],
		DelayMinutes: num("delay_minutes"), Channel: r.PostFormValue("channel"), Scale: r.PostFormValue("scale"),
		AskComment: r.PostFormValue("ask_comment") != "", AskIdentify: r.PostFormValue("ask_identify") != "",
		LinkDays: num("link_days"), Texts: map[string]surveys.Texts{}}
	for _, l := range surveyLanguages {
		in.Texts[l] = surveys.Texts{Subject: r.PostFormValue(l + ".subject"), Intro: r.PostFormValue(l + ".intro"),
			Question: r.PostFormValue(l + ".question"), Thanks: r.PostFormValue(l + ".thanks"), SMS: r.PostFormValue(l + ".sms")}
	}
	return in
}

// shownCampaign is what the administrator typed, made printable.
func shownCampaign(in surveys.CampaignInput) surveys.CampaignInput {
	in.EstablishmentCode, in.Code, in.Name = cleanText(in.EstablishmentCode), cleanText(in.Code), cleanText(in.Name)
	in.Channel, in.Scale = cleanText(in.Channel), cleanText(in.Scale)
	texts := map[string]surveys.Texts{}
	for l, t := range in.Texts {
		texts[l] = surveys.Texts{Subject: cleanText(t.Subject), Intro: cleanText(t.Intro), Question: cleanText(t.Question),
			Thanks: cleanText(t.Thanks), SMS: cleanText(t.SMS)}
	}
	in.Texts = texts
	return in
}

func (s *server) adminSurveyCreate(w http.ResponseWriter, r *http.Request) {
	in := campaignFromForm(r)
	c, err := s.Surveys.CreateCampaign(r.Context(), core.ActorFrom(r.Context()), in)
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showSurveyCampaign(w, r, status, "", shownCampaign(in), msg, fields)
		})
		return
	}
	p := s.newPage(r, "survey.admin.title")
	s.redirect(w, r, "/admin/surveys/"+c.ID, p.T("survey.admin.created"))
}

func (s *server) adminSurveyUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in := campaignFromForm(r)
	if _, err := s.Surveys.UpdateCampaign(r.Context(), core.ActorFrom(r.Context()), id, in); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showSurveyCampaign(w, r, status, id, shownCampaign(in), msg, fields)
		})
		return
	}
	p := s.newPage(r, "survey.admin.title")
	s.redirect(w, r, "/admin/surveys/"+id, p.T("admin.saved"))
}
