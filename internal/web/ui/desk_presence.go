package ui

import (
	"encoding/json"
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/events"
)

// deskPresence tells the agents of the request's unit who has the request
// open and whether they are writing a reply: the page posts it every few
// seconds and the others' pages show it, dropping an agent not heard of for
// half a minute. It is a hint, not a lock: nothing is stored.
func (s *server) deskPresence(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	req, err := s.Desk.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		http.Error(w, core.ErrorMessage(err), statusOf(err))
		return
	}
	state := r.FormValue("state")
	if state != "writing" && state != "left" {
		state = "viewing"
	}
	if s.Events != nil {
		data, _ := json.Marshal(map[string]string{"id": req.ID, "agent": actor.AgentID, "name": actor.Name, "state": state})
		e := events.Event{Topic: "desk.presence", Audience: []string{events.Unit(req.UnitID)}, Data: data}
		if err := s.Events.Publish(r.Context(), e); err != nil {
			s.Logger.WarnContext(r.Context(), "desk presence", "err", err)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
