package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// leadRoutes lists the lead pages: the list and a lead's page need
// lead.work (reassigning, lead.assign, is checked by the store); the
// distribution rules need admin, the agents' absences lead.assign; the
// public lead form needs nothing.
func (s *server) leadRoutes(mux *http.ServeMux) {
	if s.Leads == nil {
		return
	}
	work := core.PermLeadWork
	mux.Handle("GET /leads", s.signedIn(work, s.leadList))
	mux.Handle("GET /leads/{id}", s.signedIn(work, s.leadView))
	mux.Handle("POST /leads/{id}/assign", s.signedIn(core.PermLeadAssign, s.leadAssign))
	mux.Handle("POST /leads/{id}/activities", s.signedIn(work, s.leadActivity))

	mux.Handle("GET /admin/leads", s.signedIn(core.PermAdmin, s.adminLeadRulesIndex))
	mux.Handle("GET /admin/leads/{code}", s.signedIn(core.PermAdmin, s.adminLeadRules))
	mux.Handle("POST /admin/leads/{code}", s.signedIn(core.PermAdmin, s.adminLeadRulesPost))
	assign := core.PermLeadAssign
	mux.Handle("GET /admin/absences", s.signedIn(assign, s.adminAbsences))
	mux.Handle("POST /admin/agents/{login}/absences", s.signedIn(assign, s.adminAbsenceAdd))
	mux.Handle("POST /admin/agents/{login}/absences/{id}/delete", s.signedIn(assign, s.adminAbsenceRemove))

	s.leadFormPublicRoutes(mux)
}
