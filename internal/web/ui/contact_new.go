package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// contactContext is where an agent stands when they press "New contact":
// the party on screen and, on a contract's page, the contract.
type contactContext struct{ PartyID, ContractID string }

// NewContactURL is the new-contact form prefilled from the page on screen.
func (p page) NewContactURL() string {
	v := url.Values{}
	if p.Here.PartyID != "" {
		v.Set("party_id", p.Here.PartyID)
	}
	if p.Here.ContractID != "" {
		v.Set("contract_id", p.Here.ContractID)
	}
	if len(v) == 0 {
		return "/contacts/new"
	}
	return "/contacts/new?" + v.Encode()
}

// contactForm is the new-contact form's input, read from the query (the
// form refreshed to apply the type's template) or from the post.
type contactForm struct {
	Type, PartyID, Party, ContractID string
	Medium, Direction, Reason        string
	Comment                          string
	// Links the agent adds by hand beyond the template's: a party (the
	// picker's client number) and an agent (login) with a role.
	ExtraParty, ExtraAgent, ExtraRole string
}

// contactFormOf reads the form; the party is its id or what the picker
// holds (a client number), resolved to an id in the agent's scope.
func (s *server) contactFormOf(r *http.Request, v url.Values) contactForm {
	f := contactForm{Type: strings.TrimSpace(v.Get("type")), PartyID: strings.TrimSpace(v.Get("party_id")),
		Party: strings.TrimSpace(v.Get("party")), ContractID: strings.TrimSpace(v.Get("contract_id")),
		Medium: v.Get("medium"), Direction: v.Get("direction"), Reason: v.Get("reason"), Comment: v.Get("comment"),
		ExtraParty: strings.TrimSpace(v.Get("extra_party")), ExtraAgent: strings.TrimSpace(v.Get("extra_agent")),
		ExtraRole: v.Get("extra_role")}
	if f.Party != "" {
		f.PartyID = s.partyOfNumber(r, f.Party)
	}
	if f.PartyID == "" && f.Party == "" && core.ValidID(f.ContractID) {
		// From a contract's page: its first holder in the agent's scope.
		if k, err := s.Parties.Contract(r.Context(), core.ActorFrom(r.Context()), f.ContractID); err == nil && len(k.Holders) > 0 {
			f.PartyID = k.Holders[0].ID
		}
	}
	return f
}

// contactNewPage is the new-contact form: the type and the party first,
// then what the type's template fills in, then the contact's own fields.
type contactNewPage struct {
	page
	Form      contactForm
	Types     []cases.Choice
	PartyName string
	Proposal  *cases.Proposal // nil until the type and the party are known
}

// Media are the media a contact happens through.
func (contactNewPage) Media() []string { return cases.Media }

// Roles are the roles an agent added by hand can take.
func (contactNewPage) Roles() []string { return cases.AgentRoles }

// Directions are a contact's directions.
func (contactNewPage) Directions() []string {
	return []string{history.DirectionInbound, history.DirectionOutbound}
}

// ContractChosen reports whether a contract is among the objects the
// template filled in (or the one the agent chose).
func (p contactNewPage) ContractChosen(id string) bool {
	if p.Form.ContractID != "" {
		return p.Form.ContractID == id
	}
	for _, o := range p.Proposal.Objects {
		if o.Kind == cases.ObjectContract && o.ID == id {
			return true
		}
	}
	return false
}

// OtherObjects are the objects the template filled in that are not
// contracts to choose from.
func (p contactNewPage) OtherObjects() []cases.ObjectRef {
	var out []cases.ObjectRef
	for _, o := range p.Proposal.Objects {
		offered := false
		for _, c := range p.Proposal.Contracts {
			offered = offered || c.ID == o.ID
		}
		if !offered {
			out = append(out, o)
		}
	}
	return out
}

// contactNewForm shows the form; once the type and the party are known, with
// what the type's template proposes.
func (s *server) contactNewForm(w http.ResponseWriter, r *http.Request) {
	s.showContactForm(w, r, http.StatusOK, s.contactFormOf(r, r.URL.Query()), nil)
}

// showContactForm renders the form with its input and, after a refused
// post, why.
func (s *server) showContactForm(w http.ResponseWriter, r *http.Request, status int, f contactForm, refused error) {
	actor := core.ActorFrom(r.Context())
	p := contactNewPage{page: s.newPage(r, "contact.new_title"), Form: f}
	p.Current = "contact-new"
	p.Here = contactContext{PartyID: f.PartyID, ContractID: f.ContractID}
	var err error
	if p.Types, err = s.Cases.ContactTypeChoices(r.Context(), actor); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.PartyID != "" {
		pt, err := s.Parties.Get(r.Context(), actor, f.PartyID)
		if err != nil {
			p.Form.PartyID = ""
		} else {
			p.PartyName = pt.DisplayName
		}
	}
	if f.Party != "" && p.Form.PartyID == "" {
		p.Fields = core.Fields{"party": core.Because("party_not_found")}
	}
	if p.Form.Type != "" && p.Form.PartyID != "" {
		prop, err := s.Cases.Propose(r.Context(), actor, p.Form.Type, cases.Context{PartyID: p.Form.PartyID, ContractID: p.Form.ContractID})
		switch {
		case err == nil:
			p.Proposal = &prop
		case core.ErrorCode(err) == core.Invalid:
			if refused == nil {
				refused = err
			}
		default:
			s.fail(w, r, err)
			return
		}
	}
	if refused != nil {
		p.Fields = fieldsOf(refused)
		p.Error = p.formMessage(refused)
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	s.render(w, r, status, "contact_new", "", p)
}

// contactCreate traces the contact and opens its page.
func (s *server) contactCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.Invalid, "the form could not be read: %v", err))
		return
	}
	f := s.contactFormOf(r, r.PostForm)
	if f.PartyID == "" {
		why := core.Fields{"party": core.Required()}
		if f.Party != "" {
			why = core.Fields{"party": core.Because("party_not_found")}
		}
		s.showContactForm(w, r, http.StatusUnprocessableEntity, f, why.Err())
		return
	}
	in := cases.NewContact{Type: f.Type, PartyID: f.PartyID, ContractID: f.ContractID, Medium: f.Medium,
		Direction: f.Direction, Reason: f.Reason, Comment: f.Comment}
	if f.ExtraParty != "" {
		id := s.partyOfNumber(r, f.ExtraParty)
		if id == "" {
			s.showContactForm(w, r, http.StatusUnprocessableEntity, f, core.Fields{"extra_party": core.Because("party_not_found")}.Err())
			return
		}
		in.Interlocutors = []string{id}
	}
	if f.ExtraAgent != "" {
		role := f.ExtraRole
		if role == "" {
			role = cases.RoleContributor
		}
		in.Agents = []cases.AgentRef{{Login: f.ExtraAgent, Role: role}}
	}
	k, err := s.Cases.CreateContact(r.Context(), core.ActorFrom(r.Context()), in)
	if err != nil {
		if core.ErrorCode(err) != core.Invalid {
			s.fail(w, r, err)
			return
		}
		s.showContactForm(w, r, http.StatusUnprocessableEntity, f, err)
		return
	}
	p := s.newPage(r, "contact.title")
	s.redirect(w, r, "/contacts/"+k.ID, p.T("contact.created"))
}
