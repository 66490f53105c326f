package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// deskRoutes lists the agent's desk: the requests, a request with its
// actions, the phone request form. Reading needs request.read; every
// action request.reply (the store checks request.assign for giving a
// request to someone else).
func (s *server) deskRoutes(mux *http.ServeMux) {
	if s.Desk == nil {
		return
	}
	read, reply := core.PermRequestRead, core.PermRequestReply
	mux.Handle("GET /desk", s.signedIn(read, s.deskList))
	mux.Handle("GET /desk/new", s.signedIn(reply, s.deskPhoneForm))
	mux.Handle("POST /desk/requests", s.signedIn(reply, s.deskPhoneCreate))
	mux.Handle("GET /desk/recipients", s.signedIn(reply, s.deskRecipients))
	mux.Handle("GET /desk/files/{fid}", s.signedIn(read, s.deskFile))
	mux.Handle("GET /desk/requests/{id}", s.signedIn(read, s.deskRequest))
	mux.Handle("GET /desk/requests/{id}/templates/{tid}", s.signedIn(reply, s.deskTemplateText))
	mux.Handle("POST /desk/requests/{id}/read", s.signedIn(read, s.deskRead))
	mux.Handle("POST /desk/requests/{id}/presence", s.signedIn(read, s.deskPresence))
	mux.Handle("POST /desk/requests/{id}/assign", s.signedIn(reply, s.deskAssign))
	mux.Handle("POST /desk/requests/{id}/subject", s.signedIn(reply, s.deskSubject))
	mux.Handle("POST /desk/requests/{id}/qualify", s.signedIn(reply, s.deskQualify))
	mux.Handle("POST /desk/requests/{id}/party", s.signedIn(reply, s.deskLinkParty))
	mux.Handle("POST /desk/requests/{id}/reply", s.signedIn(reply, s.deskReply))
	mux.Handle("POST /desk/requests/{id}/note", s.signedIn(reply, s.deskNote))
	mux.Handle("POST /desk/requests/{id}/solicit", s.signedIn(reply, s.deskSolicit))
	mux.Handle("POST /desk/requests/{id}/solicitations/{sid}/reply", s.signedIn(reply, s.deskSolicitationReply))
	mux.Handle("POST /desk/requests/{id}/messages/{mid}/retry", s.signedIn(reply, s.deskRetry))
}
