package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// contactPage is a contact with the cases it is in and what it can turn
// into: a new case, a move into one of the party's open cases, an action plan.
type contactPage struct {
	page
	caseLabels
	Contact         cases.Contact
	Cases           []cases.Case // the cases it is an element of
	OpenCases       []cases.Case // the party's open cases it is not in yet
	Classifications []cases.Choice
	Proposed        string // the classification its type proposes
	Plans           []cases.Choice
	CanLaunch       bool // action plans can be launched (the tasks' store is there)
	Form            string
	PartyName       string // the contact's party, as its interlocutors name it
}

// contactView shows a contact.
func (s *server) contactView(w http.ResponseWriter, r *http.Request) {
	s.showContact(w, r, http.StatusOK, "", nil)
}

// showContact renders the contact page, after a refused action with its
// form named and why.
func (s *server) showContact(w http.ResponseWriter, r *http.Request, status int, form string, refused error) {
	actor := core.ActorFrom(r.Context())
	ctx := r.Context()
	k, err := s.Cases.Contact(ctx, actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := contactPage{page: s.newPage(r, "contact.title"), Contact: k, Form: form, CanLaunch: canLaunchPlans}
	p.Title = k.TypeName
	p.Current = "contact"
	p.Here = contactContext{PartyID: k.PartyID}
	p.caseLabels = s.caseLabelsFor(r, p.Lang)
	for _, it := range k.Interlocutors {
		if it.PartyID == k.PartyID {
			p.PartyName = it.Name
		}
	}
	for _, id := range k.CaseIDs {
		c, err := s.Cases.Get(ctx, actor, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Cases = append(p.Cases, c)
	}
	open, err := s.Cases.Cases(ctx, actor, cases.CaseFilter{PartyID: k.PartyID, Open: true, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range open.Cases {
		if !slices.Contains(k.CaseIDs, c.ID) {
			p.OpenCases = append(p.OpenCases, c)
		}
	}
	if p.Classifications, err = s.Cases.ClassificationChoices(ctx, actor); err != nil {
		s.fail(w, r, err)
		return
	}
	types, err := s.Cases.ContactTypeChoices(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range types {
		if t.Code == k.Type {
			p.Proposed = t.Classification
		}
	}
	if p.Plans, err = s.Cases.PlanChoices(ctx, actor); err != nil {
		s.fail(w, r, err)
		return
	}
	if refused != nil {
		p.Fields = fieldsOf(refused)
		p.Error = p.formMessage(refused)
	}
	s.render(w, r, status, "contact", "", p)
}

// contactRefused shows the contact again with a refused action's reasons,
// or the error page when it is not a refusal of the input.
func (s *server) contactRefused(w http.ResponseWriter, r *http.Request, form string, err error) {
	if core.ErrorCode(err) != core.Invalid {
		s.fail(w, r, err)
		return
	}
	s.showContact(w, r, http.StatusUnprocessableEntity, form, err)
}

// contactToCase creates a case of the classification posted from the
// contact: everything it holds moves into the case.
func (s *server) contactToCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cases.CaseFromContact(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"),
		strings.TrimSpace(r.FormValue("classification")))
	if err != nil {
		s.contactRefused(w, r, "case", err)
		return
	}
	p := s.newPage(r, "case.title")
	s.redirect(w, r, "/cases/"+c.ID, p.T("case.created", "Reference", c.Reference))
}

// contactMove puts the contact into the open case posted.
func (s *server) contactMove(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cases.MoveContact(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"),
		strings.TrimSpace(r.FormValue("case_id")))
	if err != nil {
		s.contactRefused(w, r, "move", err)
		return
	}
	p := s.newPage(r, "case.title")
	s.redirect(w, r, "/cases/"+c.ID, p.T("case.contact_moved", "Reference", c.Reference))
}

// contactPlan launches the action plan posted on the contact: its tasks
// are created with their due dates and assignees.
func (s *server) contactPlan(w http.ResponseWriter, r *http.Request) {
	run, err := s.launchPlan(r, cases.PlanTarget{ContactID: r.PathValue("id")})
	if err != nil {
		s.contactRefused(w, r, "plan", err)
		return
	}
	p := s.newPage(r, "contact.title")
	s.redirect(w, r, "/contacts/"+r.PathValue("id"), p.T("contact.plan_launched", "N", len(run.Tasks)))
}

// launchPlan launches the plan posted ("plan") on target; a code the
// establishment does not offer is refused on the field.
func (s *server) launchPlan(r *http.Request, target cases.PlanTarget) (cases.PlanRun, error) {
	actor := core.ActorFrom(r.Context())
	code := strings.TrimSpace(r.FormValue("plan"))
	plans, err := s.Cases.PlanChoices(r.Context(), actor)
	if err != nil {
		return cases.PlanRun{}, err
	}
	codes := make([]string, 0, len(plans))
	for _, pl := range plans {
		codes = append(codes, pl.Code)
	}
	if !slices.Contains(codes, code) {
		return cases.PlanRun{}, core.Fields{"plan": core.OneOf(codes...)}.Err()
	}
	return s.Cases.LaunchPlan(r.Context(), actor, code, target)
}

// canLaunchPlans is whether the pages offer to launch action plans.
const canLaunchPlans = true
