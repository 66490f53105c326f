package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// A task's actions post a form from the activity list (or a case page):
// done in one click, taken from the queue, changed (assignee, due date,
// priority); each goes back where it came from with a message.

// taskBack is where a task form goes back to: the local page it names
// (the activity list, a case, the board), else the activity list.
func taskBack(r *http.Request) string {
	back := r.FormValue("back")
	for _, prefix := range []string{"/activity", "/cases/", "/board"} {
		if strings.HasPrefix(back, prefix) && !strings.ContainsAny(back, "\\\r\n") {
			return back
		}
	}
	return "/activity"
}

// taskDone completes a task.
func (s *server) taskDone(w http.ResponseWriter, r *http.Request) {
	t, err := s.Cases.CompleteTask(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	s.taskAnswer(w, r, err, "task.done_flash", t)
}

// taskCancel cancels a task no longer to be done.
func (s *server) taskCancel(w http.ResponseWriter, r *http.Request) {
	t, err := s.Cases.CancelTask(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	s.taskAnswer(w, r, err, "task.cancelled_flash", t)
}

// taskTake gives a task of the unit's queue to the signed-in agent.
func (s *server) taskTake(w http.ResponseWriter, r *http.Request) {
	t, err := s.Cases.TakeTask(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	s.taskAnswer(w, r, err, "task.taken_flash", t)
}

// taskUpdate reassigns a task (an empty assignee puts it back in its
// unit's queue), changes its due date or priority.
func (s *server) taskUpdate(w http.ResponseWriter, r *http.Request) {
	login, due, priority := strings.TrimSpace(r.FormValue("assignee")), isoDate(r.FormValue("due_on")), r.FormValue("priority")
	patch := cases.TaskPatch{AssigneeLogin: &login, DueOn: &due}
	if priority != "" {
		patch.Priority = &priority
	}
	t, err := s.Cases.UpdateTask(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), patch)
	if core.ErrorCode(err) == core.Invalid && strings.HasPrefix(taskBack(r), "/activity") {
		// The change form is shown again on the list, open, with its reasons.
		back, _ := url.Parse(taskBack(r))
		view := r.Clone(r.Context())
		view.URL, view.Method = back, http.MethodGet
		id := r.PathValue("id")
		s.showActivity(w, view, http.StatusUnprocessableEntity, func(p *activityPage) {
			p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
			p.FormTask = id
			p.FormValue = map[string]string{"assignee": login, "due_on": r.FormValue("due_on"), "priority": priority}
		})
		return
	}
	s.taskAnswer(w, r, err, "task.saved_flash", t)
}

// taskAnswer goes back after a task action: with its message when done,
// with the refusal's when the task changed meanwhile or the input was
// refused, to the error page otherwise.
func (s *server) taskAnswer(w http.ResponseWriter, r *http.Request, err error, flashID string, t cases.Task) {
	p := s.newPage(r, "activity.title")
	switch core.ErrorCode(err) {
	case "":
		s.redirect(w, r, taskBack(r), p.T(flashID, "Title", t.Title))
	case core.Conflict:
		s.redirect(w, r, taskBack(r), p.T("task.conflict_flash"))
	case core.Invalid:
		s.redirect(w, r, taskBack(r), p.formMessage(err)+" "+reasonsText(p, fieldsOf(err)))
	default:
		s.fail(w, r, err)
	}
}

// reasonsText lists a refusal's translated reasons, for a message.
func reasonsText(p page, f core.Fields) string {
	var out []string
	for _, why := range f {
		out = append(out, p.tr.Reason(p.Lang, why))
	}
	return strings.Join(out, "; ")
}
