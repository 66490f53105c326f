package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/party"
)

// deskPhonePage is the form that records a request taken on the phone.
type deskPhonePage struct {
	page
	Party                                         *party.Party // the customer, when the form comes from their page
	ClientNumber, Subject, Body, Priority, Reason string
}

// Priorities are the form's choices.
func (deskPhonePage) Priorities() []string { return desk.Priorities }

// deskPhoneForm shows the form, for the party of ?party= when given.
func (s *server) deskPhoneForm(w http.ResponseWriter, r *http.Request) {
	p := deskPhonePage{page: s.newPage(r, "desk.phone_title"), Priority: desk.PriorityLow}
	p.Current = "desk"
	if id := r.URL.Query().Get("party"); id != "" {
		pt, err := s.Parties.Get(r.Context(), core.ActorFrom(r.Context()), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Party = &pt
	}
	s.render(w, r, http.StatusOK, "desk_phone", "", p)
}

// deskPhoneCreate records a phone request: what the customer asked, with
// its priority and reason, for the party chosen.
func (s *server) deskPhoneCreate(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	p := deskPhonePage{page: s.newPage(r, "desk.phone_title"), ClientNumber: r.FormValue("client_number"),
		Subject: r.FormValue("subject"), Body: r.FormValue("body"), Priority: r.FormValue("priority"), Reason: r.FormValue("reason")}
	p.Current = "desk"
	partyID := r.FormValue("party_id")
	if partyID == "" {
		partyID = s.partyOfNumber(r, p.ClientNumber)
	}
	in := desk.NewRequest{Channel: desk.ChannelPhone, Subject: p.Subject, Body: p.Body, Priority: p.Priority,
		Reason: p.Reason, PartyID: partyID}
	var err error
	if partyID == "" && p.ClientNumber != "" {
		err = core.Fields{"client_number": core.Because("party_not_found")}.Err()
	}
	if partyID != "" {
		pt, gerr := s.Parties.Get(r.Context(), actor, partyID)
		if gerr != nil {
			err = core.Fields{"client_number": core.Because("party_not_found")}.Err()
		} else {
			p.Party = &pt
			in.CustomerName = pt.DisplayName
		}
	}
	var created desk.Request
	if err == nil {
		created, err = s.Desk.Create(r.Context(), actor, in)
	}
	if err != nil {
		if core.ErrorCode(err) != core.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "desk_phone", "", p)
		return
	}
	s.redirect(w, r, "/desk/requests/"+created.ID, p.T("desk.phone_recorded", "Reference", created.Reference))
}
