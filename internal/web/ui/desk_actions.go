package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// The actions on a request: each posts a form, calls one store method and
// goes back to the request (or shows it again with the refusal).

func (s *server) requestURL(r *http.Request) string { return "/desk/requests/" + r.PathValue("id") }

// deskDone goes back to the request after a successful action, with a message.
func (s *server) deskDone(w http.ResponseWriter, r *http.Request, anchor, flashID string) {
	p := s.newPage(r, "desk.title")
	s.redirect(w, r, s.requestURL(r)+anchor, p.T(flashID))
}

// deskRefused shows the request again with a refused form's input and why.
func (s *server) deskRefused(w http.ResponseWriter, r *http.Request, err error, draft deskDraft) {
	switch core.ErrorCode(err) {
	case core.Invalid, core.Conflict:
	default:
		s.fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if core.ErrorCode(err) == core.Conflict {
		status = http.StatusConflict
	}
	s.showRequest(w, r, status, draft, func(p *deskRequestPage) {
		p.Fields = fieldsOf(err)
		if draft.Conflict {
			p.Error = p.T("desk.conflict", "Name", p.repliedSince())
			return
		}
		p.Error = p.formMessage(err)
	})
}

// deskAssign gives the request to the agent of the login posted ("" lets it go).
func (s *server) deskAssign(w http.ResponseWriter, r *http.Request) {
	login := strings.TrimSpace(r.FormValue("login"))
	if _, err := s.Desk.Assign(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), login); err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "assign"})
		return
	}
	s.deskDone(w, r, "", "desk.assigned")
}

// deskSubject changes the request's subject.
func (s *server) deskSubject(w http.ResponseWriter, r *http.Request) {
	subject := r.FormValue("subject")
	if _, err := s.Desk.Update(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), desk.Patch{Subject: &subject}); err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "subject", Subject: subject})
		return
	}
	s.deskDone(w, r, "", "desk.saved")
}

// deskQualify sets the request's reason, priority and status.
func (s *server) deskQualify(w http.ResponseWriter, r *http.Request) {
	reason, priority, status := r.FormValue("reason"), r.FormValue("priority"), r.FormValue("status")
	patch := desk.Patch{Reason: &reason, Priority: &priority, Status: &status}
	if _, err := s.Desk.Update(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), patch); err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "qualify"})
		return
	}
	s.deskDone(w, r, "#qualify", "desk.saved")
}

// deskLinkParty links the request to the customer of the client number
// posted (the party picker's value), or unlinks it when unlink is posted.
func (s *server) deskLinkParty(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	partyID := ""
	if r.FormValue("unlink") == "" {
		partyID = s.partyOfNumber(r, r.FormValue("client_number"))
		if partyID == "" {
			s.deskRefused(w, r, core.Fields{"client_number": core.Because("party_not_found")}.Err(), deskDraft{Form: "party"})
			return
		}
	}
	if _, err := s.Desk.Update(r.Context(), actor, r.PathValue("id"), desk.Patch{PartyID: &partyID}); err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "party"})
		return
	}
	s.deskDone(w, r, "", "desk.saved")
}

// partyOfNumber finds the one party in the agent's scope with a client
// number (or an id, as a link carries it).
func (s *server) partyOfNumber(r *http.Request, number string) string {
	number = strings.TrimSpace(number)
	if number == "" {
		return ""
	}
	if core.ValidID(number) {
		if _, err := s.Parties.Get(r.Context(), core.ActorFrom(r.Context()), number); err == nil {
			return number
		}
	}
	res, err := s.Parties.QuickSearch(r.Context(), core.ActorFrom(r.Context()), number, 2)
	if err != nil || len(res) != 1 {
		return ""
	}
	return res[0].ID
}

// deskRead marks the request's messages read: the page posts it once the
// request has been open and visible for 3 seconds.
func (s *server) deskRead(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Desk.MarkRead(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id")); err != nil {
		http.Error(w, core.ErrorMessage(err), statusOf(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deskRetry sends a failed outbound message again.
func (s *server) deskRetry(w http.ResponseWriter, r *http.Request) {
	if err := s.Desk.RetrySend(r.Context(), core.ActorFrom(r.Context()), r.PathValue("mid")); err != nil {
		if core.ErrorCode(err) == core.Conflict { // sent or queued meanwhile: nothing to retry
			s.deskDone(w, r, "#m-"+r.PathValue("mid"), "desk.retry_not_needed")
			return
		}
		s.fail(w, r, err)
		return
	}
	s.deskDone(w, r, "#m-"+r.PathValue("mid"), "desk.retried")
}

// statusOf is the HTTP status of an error's code, for the answers that are not pages.
func statusOf(err error) int { return httpx.Status(httpx.Code(err)) }
