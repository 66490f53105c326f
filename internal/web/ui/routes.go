package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// routes lists every page. signedIn pages redirect to /login without a
// session; a permission guard answers 403 to agents without it.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("POST /lang", s.setLanguage)

	mux.Handle("GET /{$}", s.signedIn("", s.home))
	mux.Handle("GET /search", s.signedIn(core.PermPartyRead, s.searchPage))
	mux.Handle("GET /search/suggest", s.signedIn(core.PermPartyRead, s.searchSuggest))
	mux.Handle("GET /parties", s.signedIn(core.PermPartyRead, s.partiesSearch))
	mux.Handle("GET /parties/new", s.signedIn(core.PermPartyEdit, s.partyNewForm))
	mux.Handle("POST /parties", s.signedIn(core.PermPartyEdit, s.partyCreate))
	mux.Handle("GET /parties/{id}", s.signedIn(core.PermPartyRead, s.partyView))
	mux.Handle("GET /parties/{id}/edit", s.signedIn(core.PermPartyEdit, s.partyEditForm))
	mux.Handle("POST /parties/{id}/edit", s.signedIn(core.PermPartyEdit, s.partyUpdate))
	mux.Handle("POST /parties/{id}/convert", s.signedIn(core.PermPartyEdit, s.partyConvert))
	mux.Handle("POST /parties/{id}/relations", s.signedIn(core.PermPartyEdit, s.partyAddRelation))
	mux.Handle("GET /parties/{id}/timeline", s.signedIn(core.PermHistoryRead, s.timelineMore))
	mux.Handle("GET /parties/{id}/interactions/{iid}", s.signedIn(core.PermHistoryRead, s.interactionView))
	mux.Handle("GET /parties/{id}/interactions/{iid}/attachments/{fid}", s.signedIn(core.PermHistoryRead, s.interactionFile))
	mux.Handle("POST /parties/{id}/reports", s.signedIn(core.PermReportWrite, s.partyReport))
	mux.Handle("GET /reports/orphans", s.signedIn("", s.reportsWork(s.orphans)))
	mux.Handle("GET /reports/{id}/attach", s.signedIn("", s.reportsWork(s.reportAttachForm)))
	mux.Handle("POST /reports/{id}/attach", s.signedIn("", s.reportsWork(s.reportAttach)))
	mux.Handle("GET /pick/agents", s.signedIn(core.PermPartyRead, s.pickAgents))
	mux.Handle("GET /pick/parties", s.signedIn(core.PermPartyRead, s.pickParties))
	mux.Handle("GET /contracts/{id}", s.signedIn(core.PermPartyRead, s.contractView))

	s.deskRoutes(mux)
	s.caseRoutes(mux)
	s.adminRoutes(mux)
	s.deskPublicRoutes(mux)
	s.deskAdminRoutes(mux)
	s.activityRoutes(mux)
	s.adminCasesRoutes(mux)
	s.leadRoutes(mux)
	s.leadReportRoutes(mux)
	s.dashboardRoutes(mux)
	s.profileRoutes(mux)
	s.smsGatewayRoutes(mux)
	s.surveyAnswerRoutes(mux)
	s.surveyAdminRoutes(mux)
	s.surveyReportRoutes(mux)
}
