package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/surveys"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// surveyAnswerMaxBody caps an answer's post: a score, a comment, a box.
const surveyAnswerMaxBody = 32 << 10

// The states of the public answer page.
const (
	surveyAsking   = "asking"   // the form, empty or refused with what was typed
	surveyThanks   = "thanks"   // the answer was taken
	surveyAnswered = "answered" // a second answer: already answered
	surveyExpired  = "expired"  // the link expired
	surveyLimited  = "limited"  // too many posts from this address
)

// surveyAnswerPage is the public answer page of a survey as the customer
// sees it, without the agents' navigation.
type surveyAnswerPage struct {
	page
	Invitation surveys.Invitation
	State      string
	Action     string // the form's URL, with the language when chosen
	Score      string // the score chosen, as posted
	Comment    string
	Identify   bool
}

// Scores lists the scale's choices in order.
func (p surveyAnswerPage) Scores() []int {
	from, to := 1, 5
	if p.Invitation.Scale == surveys.Scale10 {
		from, to = 0, 10
	}
	out := make([]int, 0, to-from+1)
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// Checked reports whether score n is the one posted.
func (p surveyAnswerPage) Checked(n int) bool { return p.Score == strconv.Itoa(n) }

// ScaleLow names the bottom of the scale.
func (p surveyAnswerPage) ScaleLow() string {
	if p.Invitation.Scale == surveys.Scale10 {
		return p.T("survey.answer.low_10")
	}
	return p.T("survey.answer.low_5")
}

// ScaleHigh names the top of the scale.
func (p surveyAnswerPage) ScaleHigh() string {
	if p.Invitation.Scale == surveys.Scale10 {
		return p.T("survey.answer.high_10")
	}
	return p.T("survey.answer.high_5")
}

// LangURL is the page in the other language.
func (p surveyAnswerPage) LangURL(lang string) string {
	return p.Path + "?lang=" + url.QueryEscape(lang)
}

// surveyAnswerRoutes mounts the public answer page: no session, a
// same-origin form (the standard cross-origin protection applies), posts
// limited per address like the public forms.
func (s *server) surveyAnswerRoutes(mux *http.ServeMux) {
	if s.Surveys == nil {
		return
	}
	g := newWebFormGuard(s.Metrics)
	mux.HandleFunc("GET /s/{token}", s.surveyAnswerShow)
	mux.HandleFunc("POST /s/{token}", func(w http.ResponseWriter, r *http.Request) { s.surveyAnswerPost(w, r, g) })
}

// newSurveyAnswerPage reads the link's invitation; a link that is expired
// or already answered gives a page in that state, a forged one an error.
func (s *server) newSurveyAnswerPage(r *http.Request) (surveyAnswerPage, error) {
	p := surveyAnswerPage{page: s.newPage(r, "survey.answer.title"), State: surveyAsking}
	p.Actor = nil
	p.Lang = publicLang(r)
	chosen := r.URL.Query().Get("lang")
	if !valid(chosen) {
		chosen = ""
	}
	inv, err := s.Surveys.InvitationIn(r.Context(), r.PathValue("token"), chosen)
	switch {
	case err == nil:
		p.Invitation = inv
		if chosen == "" && valid(inv.Language) {
			p.Lang = inv.Language
		}
	case isExpired(err):
		p.State = surveyExpired
	case core.ErrorCode(err) == core.Conflict:
		p.State = surveyAnswered
	default:
		return p, err
	}
	p.Title = p.T("survey.answer.title")
	p.Action = r.URL.Path
	if r.URL.Query().Get("lang") != "" {
		p.Action += "?lang=" + url.QueryEscape(p.Lang)
	}
	return p, nil
}

// isExpired reports whether err says an answer link expired.
func isExpired(err error) bool {
	c := core.ErrorCode(err)
	return c == core.Expired || c == core.Gone
}

func (s *server) surveyAnswerShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.newSurveyAnswerPage(r)
	if err != nil {
		s.surveyLinkFail(w, r, err)
		return
	}
	status := surveyStatus(p.State)
	if p.State == surveyAnswered {
		status = http.StatusOK // opening the link again after answering is no error
	}
	s.render(w, r, status, "survey_answer", "", p)
}

// surveyStatus is the HTTP status of a page state.
func surveyStatus(state string) int {
	switch state {
	case surveyExpired:
		return http.StatusGone
	case surveyAnswered:
		return http.StatusConflict
	case surveyLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusOK
}

// surveyLinkFail shows a forged link's page (404) or the error page.
func (s *server) surveyLinkFail(w http.ResponseWriter, r *http.Request, err error) {
	if core.ErrorCode(err) != core.NotFound {
		s.publicFail(w, r, err)
		return
	}
	p := surveyAnswerPage{page: s.newPage(r, "survey.answer.title"), State: "invalid"}
	p.Actor = nil
	p.Lang = publicLang(r)
	p.Title = p.T("survey.answer.invalid_title")
	p.Path = r.URL.Path
	s.render(w, r, http.StatusNotFound, "survey_answer", "", p)
}

func (s *server) surveyAnswerPost(w http.ResponseWriter, r *http.Request, g *webFormGuard) {
	r.Body = http.MaxBytesReader(w, r.Body, surveyAnswerMaxBody)
	ip, now := httpx.ClientIP(r), s.Clock.Now()
	if g.attempts.full(ip, now) {
		g.refused.WithLabelValues("rate_limit").Inc()
		w.Header().Set("Retry-After", "600")
		p := surveyAnswerPage{page: s.newPage(r, "survey.answer.title"), State: surveyLimited}
		p.Actor, p.Lang, p.Path = nil, publicLang(r), r.URL.Path
		p.Title = p.T("survey.answer.title")
		s.render(w, r, http.StatusTooManyRequests, "survey_answer", "", p)
		return
	}
	g.attempts.add(ip, now)
	p, err := s.newSurveyAnswerPage(r)
	if err != nil {
		s.surveyLinkFail(w, r, err)
		return
	}
	if p.State != surveyAsking {
		s.render(w, r, surveyStatus(p.State), "survey_answer", "", p)
		return
	}
	if err := r.ParseForm(); err != nil {
		status, msg := http.StatusBadRequest, p.T("webform.unreadable")
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			g.refused.WithLabelValues("too_large").Inc()
			status, msg = http.StatusRequestEntityTooLarge, p.T("survey.answer.too_large")
		}
		p.Error = msg
		s.render(w, r, status, "survey_answer", "", p)
		return
	}
	p.Score, p.Comment = r.PostFormValue("score"), r.PostFormValue("comment")
	p.Identify = p.Invitation.AskIdentify && r.PostFormValue("identify") != ""
	if !p.Invitation.AskComment {
		p.Comment = ""
	}
	in := surveys.AnswerInput{Comment: p.Comment, Identify: p.Identify}
	score, convErr := strconv.Atoi(strings.TrimSpace(p.Score))
	if convErr != nil {
		err = core.Fields{"score": core.Required()}.Err()
	} else {
		in.Score = score
		err = s.Surveys.AnswerSurvey(r.Context(), r.PathValue("token"), in)
	}
	switch {
	case err == nil:
		p.State = surveyThanks
	case core.ErrorCode(err) == core.Conflict:
		p.State = surveyAnswered
	case isExpired(err):
		p.State = surveyExpired
	case core.ErrorCode(err) == core.Invalid:
		p.Fields, p.Error = fieldsOf(err), p.T("survey.answer.invalid")
		p.Score, p.Comment = cleanText(p.Score), cleanText(p.Comment)
		s.render(w, r, http.StatusUnprocessableEntity, "survey_answer", "", p)
		return
	default:
		s.surveyLinkFail(w, r, err)
		return
	}
	s.render(w, r, surveyStatus(p.State), "survey_answer", "", p)
}

// cleanText makes what a visitor typed printable to show it again.
func cleanText(v string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
}
