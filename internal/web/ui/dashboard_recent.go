package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// recordVisit notes the customer of a 360° page among the agent's recent
// customers. The page does not depend on it: a party not found is the
// page's own answer, and a failure is only logged.
func (s *server) recordVisit(r *http.Request) {
	err := s.Dashboard.RecordVisit(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	if err != nil && core.ErrorCode(err) != core.NotFound {
		s.Logger.WarnContext(r.Context(), "recent customer not recorded", "err", err)
	}
}
