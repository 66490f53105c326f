package ui

import (
	"cmp"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
)

// leadChoice is the "associated with" select of a desk request: the lead
// it answers and the customer's open leads, the suggestion first.
type leadChoice struct {
	Current string
	Leads   []leads.Lead
}

// Selected is the lead the select shows chosen: the current one, else the
// suggestion (the customer's most recent open lead) until the agent saves.
func (c leadChoice) Selected() string {
	if c.Current == "" && len(c.Leads) > 0 {
		return c.Leads[0].ID
	}
	return c.Current
}

// requestLeadChoice reads the choice for the request page; nil hides the
// section (no leads store, no lead.work, nothing to choose).
func (s *server) requestLeadChoice(r *http.Request, req desk.Request) *leadChoice {
	actor := core.ActorFrom(r.Context())
	if s.Leads == nil || !actor.Can(core.PermLeadWork) {
		return nil
	}
	c, err := s.Leads.LeadChoiceOfRequest(r.Context(), actor, req.ID)
	if err != nil {
		s.Logger.Warn("leads of a request", "request", req.ID, "err", err)
		return nil
	}
	if c.Current == "" && len(c.Leads) == 0 {
		return nil
	}
	return &leadChoice{Current: c.Current, Leads: c.Leads}
}

// deskAssociateLead saves the lead a request answers (none when empty):
// its replies sent count on that lead.
func (s *server) deskAssociateLead(w http.ResponseWriter, r *http.Request) {
	err := s.Leads.AssociateRequest(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), r.FormValue("lead_id"))
	if err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "lead"})
		return
	}
	s.deskDone(w, r, "#lead", "leadassoc.associated_saved")
}

// myOpenLeads are the choices of the new task form's lead field.
func (s *server) myOpenLeads(r *http.Request) []leads.Lead {
	actor := core.ActorFrom(r.Context())
	if s.Leads == nil || !actor.Can(core.PermLeadWork) {
		return nil
	}
	ls, err := s.Leads.MyOpenLeads(r.Context(), actor)
	if err != nil {
		s.Logger.Warn("open leads of an agent", "err", err)
		return nil
	}
	return ls
}

// LeadOption names a lead in a select: when it arrived, its source, the
// product and the customer.
func (p page) LeadOption(l leads.Lead) string {
	s := p.DateTime(l.ReceivedAt) + " · " + l.Source
	if l.Product != "" {
		s += " · " + p.Label("product", l.Product)
	}
	if name := cmp.Or(l.PartyName, strings.TrimSpace(l.FirstName+" "+l.LastName)); name != "" {
		s += " · " + name
	}
	return s
}
