package ui

import "net/http"

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "home.title")
	p.Current = "home"
	s.render(w, r, http.StatusOK, "home", "", p)
}
