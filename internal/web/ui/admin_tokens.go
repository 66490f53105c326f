package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/auth"
	"github.com/rapport-crm/rapport/internal/core"
)

type tokensPage struct {
	adminBase
	Tokens  []auth.Token
	Secret  string // the token just created, shown once
	Name    string
	Agent   string
	Expires string // the lifetime typed: 90d, or a date
	Now     time.Time
}

func (s *server) adminTokens(w http.ResponseWriter, r *http.Request) {
	s.showTokens(w, r, http.StatusOK, tokensPage{})
}

func (s *server) showTokens(w http.ResponseWriter, r *http.Request, status int, p tokensPage) {
	tokens, err := s.Auth.ListTokens(r.Context(), core.ActorFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.adminPage(r, "admin.tokens", "tokens")
	base.Error, base.Fields = p.Error, p.Fields
	p.adminBase, p.Tokens, p.Now = base, tokens, s.Clock.Now()
	s.render(w, r, status, "admin_tokens", "", p)
}

// adminTokenCreate creates an API token and shows its secret on the answer
// itself: it is never stored in clear nor shown again.
func (s *server) adminTokenCreate(w http.ResponseWriter, r *http.Request) {
	name, agent := strings.TrimSpace(r.FormValue("name")), strings.TrimSpace(r.FormValue("agent"))
	expires := strings.TrimSpace(r.FormValue("expires"))
	until, err := s.Auth.ExpiryIn(expires)
	var secret string
	if err == nil {
		secret, _, err = s.Auth.CreateTokenUntil(r.Context(), core.ActorFrom(r.Context()), name, agent, until)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			if why, ok := fields["expires_at"]; ok {
				fields["expires"] = why
			}
			p := tokensPage{Name: name, Agent: agent, Expires: expires}
			p.Error, p.Fields = msg, fields
			s.showTokens(w, r, status, p)
		})
		return
	}
	s.showTokens(w, r, http.StatusCreated, tokensPage{Secret: secret})
}

func (s *server) adminTokenRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.RevokeToken(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.tokens")
	s.redirect(w, r, "/admin/tokens", p.T("admin.token_revoked"))
}
