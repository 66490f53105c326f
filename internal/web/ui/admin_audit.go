package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
)

type auditPage struct {
	adminBase
	Agent     string
	Action    string
	PartyID   string
	Entries   []audit.Entry
	NextQuery string
}

// adminAudit lists the audit log newest first, filtered by agent login,
// action or party.
func (s *server) adminAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auditPage{adminBase: s.adminPage(r, "admin.audit", "audit"), Agent: strings.TrimSpace(r.FormValue("agent")),
		Action: strings.TrimSpace(r.FormValue("action")), PartyID: strings.TrimSpace(r.FormValue("party"))}
	p.Current = "audit"
	f := audit.Filter{Action: p.Action, PartyID: p.PartyID, Cursor: r.FormValue("cursor")}
	if p.Agent != "" {
		a, err := s.Orgs.AgentByLogin(ctx, p.Agent)
		if err != nil && core.ErrorCode(err) != core.NotFound {
			s.fail(w, r, err)
			return
		}
		if err != nil {
			p.Error = p.T("admin.unknown_agent")
			s.render(w, r, http.StatusOK, "admin_audit", "", p)
			return
		}
		f.AgentID = a.ID
	}
	page, err := s.Audit.List(ctx, core.ActorFrom(ctx), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Entries = page.Items
	if page.NextCursor != "" {
		q := r.URL.Query()
		q.Set("cursor", page.NextCursor)
		p.NextQuery = q.Encode()
	}
	s.render(w, r, http.StatusOK, "admin_audit", "", p)
}
