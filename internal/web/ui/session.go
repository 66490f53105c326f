package ui

import (
	"net/http"
	"net/url"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// signedIn wraps a page that needs a signed-in agent holding perm (none when
// empty). Without a session the browser goes to the sign-in page and back.
func (s *server) signedIn(perm core.Permission, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(httpx.SessionCookie)
		if err != nil {
			s.toLogin(w, r)
			return
		}
		actor, err := s.Auth.SessionActor(r.Context(), c.Value)
		if err != nil {
			if core.ErrorCode(err) == core.Unauthorized {
				s.toLogin(w, r)
				return
			}
			s.fail(w, r, err)
			return
		}
		r = r.WithContext(core.WithActor(r.Context(), actor))
		if perm != "" && !actor.Can(perm) {
			s.fail(w, r, core.Errorf(core.Forbidden, "permission %q required", perm))
			return
		}
		h(w, r)
	})
}

func (s *server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", "/login")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	next := r.URL.RequestURI()
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

func (s *server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: httpx.SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}
