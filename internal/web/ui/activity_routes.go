package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// activityRoutes lists the activity list, the tasks' actions and the
// board; all need case.manage (the store checks request.assign for
// another agent's list or task).
func (s *server) activityRoutes(mux *http.ServeMux) {
	if s.Cases == nil {
		return
	}
	manage := core.PermCaseManage
	mux.Handle("GET /activity", s.signedIn(manage, s.activity))
	mux.Handle("POST /tasks", s.signedIn(manage, s.taskCreate))
	mux.Handle("POST /tasks/{id}/done", s.signedIn(manage, s.taskDone))
	mux.Handle("POST /tasks/{id}/cancel", s.signedIn(manage, s.taskCancel))
	mux.Handle("POST /tasks/{id}/take", s.signedIn(manage, s.taskTake))
	mux.Handle("POST /tasks/{id}", s.signedIn(manage, s.taskUpdate))
	if s.Desk != nil {
		mux.Handle("GET /board", s.signedIn(manage, s.boardView))
		mux.Handle("POST /board/move", s.signedIn(manage, s.boardMove))
	}
}
