package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// caseRoutes lists the contacts and cases: tracing a contact, its page and
// what it turns into (a case, a move into a case, an action plan), the
// case list, a case's page and its actions. Every page and action needs
// case.manage; the store checks the scope.
func (s *server) caseRoutes(mux *http.ServeMux) {
	if s.Cases == nil {
		return
	}
	manage := core.PermCaseManage
	mux.Handle("GET /contacts/new", s.signedIn(manage, s.contactNewForm))
	mux.Handle("POST /contacts", s.signedIn(manage, s.contactCreate))
	mux.Handle("GET /contacts/{id}", s.signedIn(manage, s.contactView))
	mux.Handle("POST /contacts/{id}/case", s.signedIn(manage, s.contactToCase))
	mux.Handle("POST /contacts/{id}/move", s.signedIn(manage, s.contactMove))
	mux.Handle("POST /contacts/{id}/plan", s.signedIn(manage, s.contactPlan))
	mux.Handle("GET /cases", s.signedIn(manage, s.caseList))
	mux.Handle("POST /cases", s.signedIn(manage, s.caseOpen))
	mux.Handle("GET /cases/{id}", s.signedIn(manage, s.caseView))
	mux.Handle("POST /cases/{id}/steps/{step}", s.signedIn(manage, s.caseStep))
	mux.Handle("POST /cases/{id}/notes", s.signedIn(manage, s.caseNote))
	mux.Handle("POST /cases/{id}/plan", s.signedIn(manage, s.casePlan))
	mux.Handle("POST /cases/{id}/documents", s.signedIn(manage, s.caseDocument))
	mux.Handle("GET /cases/{id}/files/{element}", s.signedIn(manage, s.caseFile))
}
