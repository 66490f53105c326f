package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// formRows is how many email, phone and address rows the form offers.
const formRows = 3

type partyFormPage struct {
	page
	Party    party.Party
	IsNew    bool
	Agencies []org.Unit
	Request  string // the desk request the new party is linked to once created ("Create the customer")
}

func (s *server) partyNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.partyForm(r, prefilledParty(r), true)
	s.render(w, r, http.StatusOK, "party_form", "", p)
}

func (s *server) partyCreate(w http.ResponseWriter, r *http.Request) {
	pt := partyFromForm(r)
	in := party.Input{Kind: pt.Kind, Status: "prospect", FirstName: pt.FirstName, LastName: pt.LastName, Name: pt.Name,
		BirthDate: pt.BirthDate, Segment: pt.Segment, AgencyCode: pt.AgencyCode, Consents: pt.Consents,
		Emails: pt.Emails, Phones: pt.Phones, Addresses: pt.Addresses}
	created, err := s.Parties.Create(r.Context(), core.ActorFrom(r.Context()), in)
	if err != nil {
		s.formError(w, r, pt, true, err)
		return
	}
	p := s.newPage(r, "party.title")
	if req := r.FormValue("request"); req != "" && s.Desk != nil && p.Actor.Can(core.PermRequestReply) {
		// Created from a desk request's "Create the customer": link it and go back to it.
		if _, err := s.Desk.Update(r.Context(), p.Actor, req, desk.Patch{PartyID: &created.ID}); err == nil {
			s.redirect(w, r, "/desk/requests/"+req, p.T("desk.party_created_linked"))
			return
		}
	}
	s.redirect(w, r, "/parties/"+created.ID, p.T("party.created"))
}

func (s *server) partyEditForm(w http.ResponseWriter, r *http.Request) {
	pt, err := s.Parties.Get(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "party_form", "", s.partyForm(r, pt, false))
}

func (s *server) partyUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pt := partyFromForm(r)
	pt.ID = id
	version, _ := strconv.Atoi(r.FormValue("version"))
	patch := party.Patch{FirstName: &pt.FirstName, LastName: &pt.LastName, BirthDate: &pt.BirthDate,
		Segment: &pt.Segment, AgencyCode: &pt.AgencyCode, Consents: &pt.Consents, Emails: &pt.Emails,
		Phones: &pt.Phones, Addresses: &pt.Addresses, Version: &version}
	if pt.Kind == "organization" {
		patch.Name = &pt.Name
		patch.FirstName, patch.LastName = nil, nil
	}
	if _, err := s.Parties.Update(r.Context(), core.ActorFrom(r.Context()), id, patch); err != nil {
		pt.Version = version
		s.formError(w, r, pt, false, err)
		return
	}
	p := s.newPage(r, "party.title")
	s.redirect(w, r, "/parties/"+id, p.T("party.updated"))
}

// formError shows the form again with what the agent typed and the reasons.
func (s *server) formError(w http.ResponseWriter, r *http.Request, pt party.Party, isNew bool, err error) {
	s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
		p := s.partyForm(r, pt, isNew)
		p.Error, p.Fields = msg, fields
		s.render(w, r, status, "party_form", "", p)
	})
}

func (s *server) partyForm(r *http.Request, pt party.Party, isNew bool) partyFormPage {
	title := "party.edit_title"
	if isNew {
		title = "party.new_title"
	}
	p := partyFormPage{page: s.newPage(r, title), Party: pt, IsNew: isNew}
	if isNew && core.ValidID(r.FormValue("request")) {
		p.Request = r.FormValue("request")
	}
	for len(p.Party.Emails) < formRows {
		p.Party.Emails = append(p.Party.Emails, party.Email{Kind: "personal"})
	}
	for len(p.Party.Phones) < formRows {
		p.Party.Phones = append(p.Party.Phones, party.Phone{Kind: "mobile"})
	}
	for len(p.Party.Addresses) < 1 {
		p.Party.Addresses = append(p.Party.Addresses, party.Address{Country: "FR"})
	}
	if units, err := s.Orgs.ListUnits(r.Context()); err == nil {
		for _, u := range units {
			if u.Kind == org.UnitKind("agency") && p.Actor.Scope.Contains(u.ID) {
				p.Agencies = append(p.Agencies, u)
			}
		}
	}
	return p
}

// partyFromForm reads the form's fields; empty coordinate rows are dropped so
// the agent can leave spare rows blank.
func partyFromForm(r *http.Request) party.Party {
	f := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	pt := party.Party{Kind: f("kind"), FirstName: f("first_name"), LastName: f("last_name"), Name: f("name"),
		BirthDate: isoDate(f("birth_date")), Segment: f("segment"), AgencyCode: f("agency_code"),
		Consents: party.Consents{Email: f("consent_email") == "on", SMS: f("consent_sms") == "on", Phone: f("consent_phone") == "on"}}
	if pt.Kind == "" {
		pt.Kind = "person"
	}
	pt.Emails, pt.Phones, pt.Addresses = []party.Email{}, []party.Phone{}, []party.Address{}
	for i := 0; i < formRows; i++ {
		n := strconv.Itoa(i)
		if a := f("email_" + n); a != "" {
			pt.Emails = append(pt.Emails, party.Email{Address: a, Kind: f("email_kind_" + n), Favorite: f("email_favorite") == n})
		}
		if num := f("phone_" + n); num != "" {
			pt.Phones = append(pt.Phones, party.Phone{Number: num, Kind: f("phone_kind_" + n)})
		}
	}
	if l1 := f("line1"); l1 != "" || f("city") != "" {
		pt.Addresses = append(pt.Addresses, party.Address{Line1: l1, Line2: f("line2"), PostalCode: f("postal_code"),
			City: f("city"), Country: f("country")})
	}
	return pt
}

// prefilledParty is a new prospect with what the query gives of them
// (first_name, last_name, email, phone), as the desk's "Create the party"
// link sends the sender of a request.
func prefilledParty(r *http.Request) party.Party {
	q := r.URL.Query()
	pt := party.Party{Kind: "person", Status: "prospect", FirstName: q.Get("first_name"), LastName: q.Get("last_name")}
	if e := q.Get("email"); e != "" {
		pt.Emails = []party.Email{{Address: e, Kind: "personal"}}
	}
	if ph := q.Get("phone"); ph != "" {
		pt.Phones = []party.Phone{{Number: ph, Kind: "mobile"}}
	}
	return pt
}
