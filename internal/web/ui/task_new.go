package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// taskCreate writes a task by hand from the activity list: for the
// assignee typed (the signed-in agent by default), or the unit's queue
// when the field is emptied; refused, the form is shown again, open.
func (s *server) taskCreate(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	in := cases.NewTask{Kind: r.FormValue("kind"), Title: r.FormValue("title"), Description: r.FormValue("description"),
		DueOn: isoDate(r.FormValue("due_on")), AssigneeLogin: strings.TrimSpace(r.FormValue("assignee")),
		Priority: r.FormValue("priority"), LeadID: r.FormValue("lead_id")}
	in.Queue = in.AssigneeLogin == ""
	t, err := s.Cases.CreateTask(r.Context(), actor, in)
	if core.ErrorCode(err) == core.Invalid {
		back, _ := url.Parse(taskBack(r))
		view := r.Clone(r.Context())
		view.URL, view.Method = back, http.MethodGet
		s.showActivity(w, view, http.StatusUnprocessableEntity, func(p *activityPage) {
			p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
			p.FormTask = "new"
			p.FormValue = map[string]string{"title": in.Title, "description": in.Description, "kind": in.Kind,
				"due_on": r.FormValue("due_on"), "assignee": in.AssigneeLogin, "priority": in.Priority, "lead_id": in.LeadID}
		})
		return
	}
	s.taskAnswer(w, r, err, "task.created_flash", t)
}
