package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

type loginPage struct {
	page
	Login string
	Next  string
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := loginPage{page: s.newPage(r, "login.title"), Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, "login", "", p)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	login := strings.TrimSpace(r.FormValue("login"))
	token, _, err := s.Auth.Login(r.Context(), login, r.FormValue("password"), httpx.ClientIP(r))
	if err != nil {
		p := loginPage{page: s.newPage(r, "login.title"), Login: login, Next: safeNext(r.FormValue("next"))}
		status := httpx.Status(core.ErrorCode(err))
		switch core.ErrorCode(err) {
		case core.Unauthorized:
			p.Error = p.T("login.failed")
		case core.TooManyTries:
			p.Error = p.T("login.throttled")
		default:
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "login", "", p)
		return
	}
	s.setSessionCookie(w, token)
	s.keepChosenLanguage(r, token)
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

// keepChosenLanguage saves in the agent's profile the language they picked
// on the sign-in page (the lang cookie), so that it sticks once signed in.
func (s *server) keepChosenLanguage(r *http.Request, token string) {
	c, err := r.Cookie("lang")
	if err != nil || !valid(c.Value) {
		return
	}
	actor, err := s.Auth.SessionActor(r.Context(), token)
	if err != nil || actor.Locale == c.Value {
		return
	}
	lang := c.Value
	if _, err := s.Orgs.UpdateAgent(r.Context(), actor, actor.Login, org.AgentUpdate{Locale: &lang}); err != nil {
		s.Logger.Error("save the language chosen at sign-in", "err", err)
	}
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(httpx.SessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			s.Logger.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: httpx.SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLanguage stores the chosen language in a cookie and, for a signed-in
// agent, in their profile.
func (s *server) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.FormValue("lang")
	if !valid(lang) {
		lang = "fr"
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies})
	if c, err := r.Cookie(httpx.SessionCookie); err == nil {
		if actor, err := s.Auth.SessionActor(r.Context(), c.Value); err == nil {
			if _, err := s.Orgs.UpdateAgent(r.Context(), actor, actor.Login, org.AgentUpdate{Locale: &lang}); err != nil {
				s.Logger.Error("save language", "err", err)
			}
		}
	}
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

// safeNext keeps redirects after sign-in on this site: next is accepted
// only as a path here ("/parties?q=x"), parsed by net/url once decoded,
// never a scheme, a host, "//", a backslash or a control character (a
// browser drops a tab, making "/\t/evil.example" a host); anything else
// gives "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	decoded, err := url.PathUnescape(next)
	if err != nil || strings.ContainsFunc(decoded, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(decoded, "//") {
		return "/"
	}
	return u.RequestURI()
}
