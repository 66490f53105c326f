package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// adminRoutes lists the administration pages: units, agents, roles and API
// tokens need the admin permission; the audit log needs audit.read.
func (s *server) adminRoutes(mux *http.ServeMux) {
	admin := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermAdmin, h) }
	mux.Handle("GET /admin", admin(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/units", http.StatusSeeOther)
	}))
	mux.Handle("GET /admin/units", admin(s.adminUnits))
	mux.Handle("POST /admin/units", admin(s.adminUnitCreate))
	mux.Handle("GET /admin/units/{code}", admin(s.adminUnit))
	mux.Handle("POST /admin/units/{code}", admin(s.adminUnitUpdate))
	mux.Handle("POST /admin/units/{code}/holidays", admin(s.adminHolidayAdd))
	mux.Handle("POST /admin/units/{code}/holidays/{day}/delete", admin(s.adminHolidayRemove))

	mux.Handle("GET /admin/agents", admin(s.adminAgents))
	mux.Handle("GET /admin/agents/new", admin(s.adminAgentNew))
	mux.Handle("POST /admin/agents", admin(s.adminAgentCreate))
	mux.Handle("GET /admin/agents/{login}", admin(s.adminAgent))
	mux.Handle("POST /admin/agents/{login}", admin(s.adminAgentUpdate))
	mux.Handle("POST /admin/agents/{login}/active", admin(s.adminAgentActive))

	mux.Handle("GET /admin/roles", admin(s.adminRoles))
	mux.Handle("POST /admin/roles", admin(s.adminRoleSave))
	mux.Handle("POST /admin/roles/{code}/delete", admin(s.adminRoleDelete))

	mux.Handle("GET /admin/tokens", admin(s.adminTokens))
	mux.Handle("POST /admin/tokens", admin(s.adminTokenCreate))
	mux.Handle("POST /admin/tokens/{id}/revoke", admin(s.adminTokenRevoke))

	mux.Handle("GET /admin/history", admin(s.adminHistory))
	mux.Handle("POST /admin/history/sources", admin(s.adminHistorySourceAdd))
	mux.Handle("GET /admin/history/settings/{code}", admin(s.adminHistorySettings))
	mux.Handle("POST /admin/history/settings/{code}", admin(s.adminHistorySettingsSave))

	mux.Handle("GET /admin/report-reasons", admin(s.adminReportReasonsIndex))
	mux.Handle("GET /admin/report-reasons/{code}", admin(s.adminReportReasons))
	mux.Handle("POST /admin/report-reasons/{code}", admin(s.adminReportReasonSave))
	mux.Handle("GET /admin/jobs", admin(s.adminJobs))
	mux.Handle("POST /admin/jobs/{id}/retry", admin(s.adminJobRetry))

	mux.Handle("GET /admin/audit", s.signedIn(core.PermAuditRead, s.adminAudit))
}

// adminPage starts an administration page with its tab highlighted.
func (s *server) adminPage(r *http.Request, titleID, tab string) adminBase {
	p := s.newPage(r, titleID)
	p.Current = "admin"
	return adminBase{page: p, Tab: tab}
}

// adminBase is the page data every administration page embeds.
type adminBase struct {
	page
	Tab string // units, agents, roles, tokens, history, jobs, audit
}

// formFail shows a form again with its errors when err is a validation
// error or a conflict, and the error page otherwise.
func (s *server) formFail(w http.ResponseWriter, r *http.Request, err error, show func(status int, message string, fields core.Fields)) {
	msg := s.newPage(r, "error.title").formMessage(err)
	switch core.ErrorCode(err) {
	case core.Invalid:
		show(http.StatusUnprocessableEntity, msg, fieldsOf(err))
	case core.Conflict:
		show(http.StatusConflict, msg, fieldsOf(err))
	default:
		s.fail(w, r, err)
	}
}

// nextQuery is the query of a list's next page: the request's own filters
// with the cursor the store returned; "" on the last page.
func nextQuery(r *http.Request, cursor string) string {
	if cursor == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("cursor", cursor)
	return q.Encode()
}
