package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// deskAdminRoutes lists the desk's administration pages (desk.admin):
// mailboxes, web forms, reply templates and targets.
func (s *server) deskAdminRoutes(mux *http.ServeMux) {
	da := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermDeskAdmin, h) }
	_ = da
}
