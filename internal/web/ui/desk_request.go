package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/party"
)

// deskEntry is one line of a request's history: a message or an event.
type deskEntry struct {
	At      time.Time
	Message *desk.Message
	Event   *desk.Event
}

func (e deskEntry) id() string {
	if e.Message != nil {
		return e.Message.ID
	}
	return e.Event.ID
}

// deskSolicitation is a solicitation with its own thread of messages.
type deskSolicitation struct {
	desk.Solicitation
	Messages []desk.Message
}

// deskCustomer is what the request page shows of the linked party.
type deskCustomer struct {
	Party     party.Party
	Contracts []party.Contract
	Contacts  []history.Entry
	Requests  []desk.Request // the party's other requests
}

// deskDraft is a form the page shows again after a refusal, with its input.
type deskDraft struct {
	Form, Subject, Body, To, Solicitation string
	SeenLast                              string // the last message the agent had seen
	Conflict                              bool   // another agent replied since: offer "Send anyway"
}

// deskRequestPage is a request with its whole history and the forms that work it.
type deskRequestPage struct {
	page
	Request       desk.Request
	Entries       []deskEntry
	Solicitations []deskSolicitation
	SeenLast      string // the id of the last message shown, sent with a reply
	Customer      *deskCustomer
	Draft         deskDraft
	Now           time.Time
	Templates     []deskTemplate
	LeadChoice    *leadChoice // the "associated with" select (lead_assoc.go)
}

// deskTemplate is a reply template offered in the reply form.
type deskTemplate struct{ ID, Name string }

// Statuses and Priorities are the qualification's choices.
func (deskRequestPage) Statuses() []string   { return desk.Statuses }
func (deskRequestPage) Priorities() []string { return desk.Priorities }

// Body is a message's body as safe HTML: the HTML part sanitised, else
// the text; its inline images (cid:) point at the message's files.
func (deskRequestPage) Body(m desk.Message) template.HTML {
	raw := m.HTML
	if raw == "" {
		raw = m.Text
	}
	safe := content.SafeOutgoingHTML(raw) // sanitised by content's allow-list policy: only cid: images
	safe = cidSource.ReplaceAllStringFunc(safe, func(src string) string {
		cid := strings.TrimSuffix(strings.TrimPrefix(src, `src="cid:`), `"`)
		for _, f := range m.Files {
			if f.ContentID != "" && f.ContentID == cid {
				return `src="/desk/files/` + f.ID + `"`
			}
		}
		return `src=""`
	})
	return template.HTML(safe)
}

// cidSource is an inline image's source in a sanitised body.
var cidSource = regexp.MustCompile(`src="cid:[^"]*"`)

// HasFlag reports whether a message carries a flag.
func (deskRequestPage) HasFlag(m desk.Message, flag string) bool {
	return slices.Contains(m.Flags, flag)
}

// Failed reports whether an outbound message could not be delivered.
func (deskRequestPage) Failed(m desk.Message) bool {
	return m.Status == desk.SendFailed || m.Status == desk.SendBounced
}

// deskRequest shows a request: its history in time order, its
// solicitations, its customer, and to agents who work requests the forms
// that qualify, assign and answer it. Opening it is recorded in the audit log.
func (s *server) deskRequest(w http.ResponseWriter, r *http.Request) {
	s.showRequest(w, r, http.StatusOK, deskDraft{})
}

// showRequest renders the request page with status, a refused form shown
// again with its input (draft) and the error in p.Error.
func (s *server) showRequest(w http.ResponseWriter, r *http.Request, status int, draft deskDraft, adjust ...func(*deskRequestPage)) {
	actor := core.ActorFrom(r.Context())
	req, err := s.Desk.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	thread, err := s.Desk.Thread(r.Context(), actor, req.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusOK {
		if err := s.Desk.Viewed(r.Context(), actor, req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := deskRequestPage{page: s.newPage(r, "desk.request_title"), Request: req, Draft: draft, Now: s.Clock.Now()}
	p.Current = "desk"
	p.Title = req.Reference + " · " + req.Subject
	p.Entries, p.Solicitations, p.SeenLast = arrange(thread)
	if req.PartyID != "" {
		if p.Customer, err = s.deskCustomer(r, req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Templates = s.deskTemplates(r, req)
	p.LeadChoice = s.requestLeadChoice(r, req)
	for _, f := range adjust {
		f(&p)
	}
	s.render(w, r, status, "desk_request", "", p)
}

// arrange puts a thread's messages and events in one time order, the
// messages of solicitations apart under their solicitation, and names the
// last message of the customer thread.
func arrange(t desk.Thread) ([]deskEntry, []deskSolicitation, string) {
	var entries []deskEntry
	sols := make([]deskSolicitation, len(t.Solicitations))
	index := map[string]int{}
	for i, so := range t.Solicitations {
		sols[i] = deskSolicitation{Solicitation: so}
		index[so.ID] = i
	}
	last := ""
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.ID > last {
			last = m.ID
		}
		if j, ok := index[m.SolicitationID]; ok && m.SolicitationID != "" {
			sols[j].Messages = append(sols[j].Messages, *m)
			continue
		}
		entries = append(entries, deskEntry{At: m.CreatedAt, Message: m})
	}
	for i := range t.Events {
		entries = append(entries, deskEntry{At: t.Events[i].At, Event: &t.Events[i]})
	}
	slices.SortStableFunc(entries, func(a, b deskEntry) int { // ids are UUIDv7: at the same time, in creation order
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.id(), b.id())
	})
	return entries, sols, last
}

// deskCustomer reads the short 360 of the request's party: a few
// contracts, the last contacts, the party's other requests.
func (s *server) deskCustomer(r *http.Request, req desk.Request) (*deskCustomer, error) {
	actor := core.ActorFrom(r.Context())
	pt, err := s.Parties.Get(r.Context(), actor, req.PartyID)
	if code := core.ErrorCode(err); code == core.NotFound || code == core.Forbidden {
		return nil, nil // a party outside the agent's scope or reach: shown as unlinked
	}
	if err != nil {
		return nil, err
	}
	c := &deskCustomer{Party: pt}
	if c.Contracts, err = s.Parties.Contracts(r.Context(), actor, pt.ID); err != nil {
		return nil, err
	}
	if len(c.Contracts) > 3 {
		c.Contracts = c.Contracts[:3]
	}
	if actor.Can(core.PermHistoryRead) && s.History != nil {
		tl, err := s.History.Timeline(r.Context(), actor, pt.ID, history.Filter{Limit: 3})
		if err != nil {
			return nil, err
		}
		c.Contacts = tl.Items
	}
	others, err := s.Desk.List(r.Context(), actor, desk.Filter{View: desk.ViewAll, PartyID: pt.ID, Limit: 6})
	if err != nil {
		return nil, err
	}
	for _, o := range others.Requests {
		if o.ID != req.ID && len(c.Requests) < 5 {
			c.Requests = append(c.Requests, o)
		}
	}
	return c, nil
}

// deskTemplates lists the reply templates of the request's unit's
// establishment, for the reply form's picker (none when they cannot be read).
func (s *server) deskTemplates(r *http.Request, req desk.Request) []deskTemplate {
	ts, err := s.Desk.Templates(r.Context(), core.ActorFrom(r.Context()), req.UnitID)
	if err != nil {
		return nil
	}
	out := make([]deskTemplate, 0, len(ts))
	for _, t := range ts {
		out = append(out, deskTemplate{ID: t.ID, Name: t.Name})
	}
	return out
}

// EventText says what an event of the request's history changed, in the page's language.
func (p deskRequestPage) EventText(e desk.Event) string {
	old, new := e.Old, e.New
	switch e.Kind {
	case "status", "reopened":
		old, new = p.valueLabel("desk.status.", old), p.valueLabel("desk.status.", new)
	case "priority":
		old, new = p.valueLabel("desk.priority.", old), p.valueLabel("desk.priority.", new)
	case "reason":
		old, new = p.Label("request_reason", old), p.Label("request_reason", new)
	case "created":
		new = p.valueLabel("desk.channel.", new)
	case "party":
		old, new = "", ""
	}
	if old == "" {
		old = "—"
	}
	if new == "" {
		new = "—"
	}
	key := "desk.event." + e.Kind
	return p.T(key, "Old", old, "New", new)
}

func (p deskRequestPage) valueLabel(prefix, v string) string {
	if v == "" {
		return ""
	}
	return p.T(prefix + v)
}

// deskEditor is the text editor of a form: bold, italic, lists and pasted
// images over a textarea that works without JavaScript.
type deskEditor struct {
	page
	ID, Body string
}

// Editor is the editor of the form named form, holding the text a refused
// post of that form carried.
func (p deskRequestPage) Editor(form string) deskEditor {
	e := deskEditor{page: p.page, ID: form}
	if p.Draft.Form == form {
		e.Body = p.Draft.Body
	}
	return e
}

// LastSubject is the subject a new message of a solicitation's thread
// starts with: its last message's.
func (s deskSolicitation) LastSubject() string {
	if n := len(s.Messages); n > 0 && s.Messages[n-1].Subject != "" {
		return s.Messages[n-1].Subject
	}
	return s.Subject
}

// NewPartyURL is the party form prefilled with the sender's name and address.
func (p deskRequestPage) NewPartyURL() string {
	r := p.Request
	first, last, _ := strings.Cut(strings.TrimSpace(r.CustomerName), " ")
	if last == "" {
		first, last = "", first
	}
	v := url.Values{}
	for k, x := range map[string]string{"first_name": first, "last_name": last, "email": r.CustomerEmail, "phone": r.CustomerPhone, "request": r.ID} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "/parties/new?" + v.Encode()
}

// LastID is the id of the last message of a solicitation's thread.
func (s deskSolicitation) LastID() string {
	if n := len(s.Messages); n > 0 {
		return s.Messages[n-1].ID
	}
	return ""
}

// deskMessageView is a message with the page that shows it.
type deskMessageView struct {
	P deskRequestPage
	M desk.Message
}

// MessageView hands a message to the "desk_message" template.
func (p deskRequestPage) MessageView(m desk.Message) deskMessageView {
	return deskMessageView{P: p, M: m}
}

// SolicitationEditor is the editor of the reply form of solicitation sid.
func (p deskRequestPage) SolicitationEditor(sid string) deskEditor {
	e := deskEditor{page: p.page, ID: "sol-" + sid}
	if p.Draft.Form == "solicitation" && p.Draft.Solicitation == sid {
		e.Body = p.Draft.Body
	}
	return e
}

// Size writes a file size for people.
func (p deskRequestPage) Size(n int64) string { return interactionPage{page: p.page}.Size(n) }

// IsNew reports whether m is a reply another agent sent after the last
// message the agent had seen, when their own reply collided with it.
func (p deskRequestPage) IsNew(m desk.Message) bool {
	return p.Draft.Conflict && m.Kind == desk.KindOutbound && m.ID > p.Draft.SeenLast &&
		(m.Agent == nil || m.Agent.ID != p.Actor.AgentID)
}

// repliedSince names the agent whose reply collided with the agent's.
func (p deskRequestPage) repliedSince() string {
	name := ""
	check := func(m desk.Message) {
		if p.IsNew(m) && m.Agent != nil {
			name = m.Agent.Name
		}
	}
	for _, e := range p.Entries {
		if e.Message != nil {
			check(*e.Message)
		}
	}
	for _, so := range p.Solicitations {
		for _, m := range so.Messages {
			check(m)
		}
	}
	return name
}
