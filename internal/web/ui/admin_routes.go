package ui

import "net/http"

// adminRoutes lists the administration pages.
func (s *server) adminRoutes(mux *http.ServeMux) {}
