package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// Media are the ways a contact happens (the history's channels an agent
// traces by hand).
var Media = []string{"phone", "face_to_face", "email", "letter", "sms", "video", "chat"}

// NewContact is a contact an agent traces. Only Type and PartyID are
// required: the type's template and the defaults fill in the rest.
type NewContact struct {
	Type       string
	PartyID    string
	ContractID string
	Medium     string // the type's medium, else phone
	Direction  string // inbound (default) or outbound
	Reason     string // a report reason of the establishment's catalogue; the type's by default
	Comment    string
	UnitID     string // the agent's unit by default
	// Extra links the agent added by hand, beyond the template's.
	Interlocutors []string    // party ids
	Agents        []AgentRef  // login and role
	Objects       []ObjectRef // kind and id
}

// Propose returns what contact type typeCode fills in for the party (and
// contract) on screen, for the new-contact form to show before saving.
func (s *Store) Propose(ctx context.Context, actor *core.Actor, typeCode string, c Context) (Proposal, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Proposal{}, err
	}
	if err := s.parties.Visible(ctx, actor, c.PartyID); err != nil {
		return Proposal{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
	}
	est, err := establishmentOf(ctx, s.db, actor.UnitID)
	if err != nil {
		return Proposal{}, err
	}
	t, err := contactType(ctx, s.db, est, typeCode)
	if err != nil {
		return Proposal{}, core.Fields{"type": core.Because("unknown_contact_type")}.Err()
	}
	return s.apply(ctx, s.db, actor, t.Template, c)
}

// CreateContact traces a contact: its template applied, the links the
// agent added, and the interaction it is in the party's timeline, in one
// transaction. Requires case.manage and the party in scope.
func (s *Store) CreateContact(ctx context.Context, actor *core.Actor, in NewContact) (Contact, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Contact{}, err
	}
	in.Type, in.Medium, in.Direction = strings.TrimSpace(in.Type), strings.TrimSpace(in.Medium), strings.TrimSpace(in.Direction)
	in.Reason, in.Comment = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Comment)
	if in.UnitID == "" {
		in.UnitID = actor.UnitID
	}
	if in.Direction == "" {
		in.Direction = history.DirectionInbound
	}
	f := core.Fields{}
	if in.Type == "" {
		f.Add("type", core.Required())
	}
	core.CheckText(f, "type", in.Type, core.MaxCode)
	if in.PartyID == "" {
		f.Add("party_id", core.Required())
	}
	core.CheckText(f, "party_id", in.PartyID, core.MaxCode)
	core.CheckText(f, "contract_id", in.ContractID, core.MaxCode)
	core.CheckText(f, "reason", in.Reason, core.MaxCode)
	core.CheckText(f, "comment", in.Comment, core.MaxComment)
	if in.Medium != "" && !slices.Contains(Media, in.Medium) {
		f.Add("medium", core.OneOf(Media...))
	}
	if in.Direction != history.DirectionInbound && in.Direction != history.DirectionOutbound {
		f.Add("direction", core.OneOf(history.DirectionInbound, history.DirectionOutbound))
	}
	checkExtraLinks(f, in.Interlocutors, in.Agents, in.Objects)
	if !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Contact{}, err
	}
	if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
		return Contact{}, core.Fields{"party_id": core.Because("party_not_found")}.Err()
	}
	est, err := establishmentOf(ctx, s.db, in.UnitID)
	if err != nil {
		return Contact{}, err
	}
	t, err := contactType(ctx, s.db, est, in.Type)
	if err != nil || !t.Active {
		return Contact{}, core.Fields{"type": core.Because("unknown_contact_type")}.Err()
	}
	if in.Medium == "" {
		in.Medium = t.Medium
	}
	if in.Medium == "" {
		in.Medium = "phone"
	}
	if in.Reason == "" {
		in.Reason = t.Reason
	}
	if in.Reason != "" {
		if err := s.checkReason(ctx, in.UnitID, in.Reason); err != nil {
			return Contact{}, err
		}
	}
	var out Contact
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.apply(ctx, tx, actor, t.Template, Context{PartyID: in.PartyID, ContractID: in.ContractID})
		if err != nil {
			return err
		}
		if err := s.addExtraLinks(ctx, tx, actor, &p, in.Interlocutors, in.Agents, in.Objects); err != nil {
			return err
		}
		now := s.clock.Now()
		out = Contact{ID: core.NewID(), UnitID: in.UnitID, Type: t.Code, TypeName: t.Name(actor.Locale), PartyID: in.PartyID,
			Medium: in.Medium, Direction: in.Direction, Reason: in.Reason, Comment: in.Comment,
			Interlocutors: p.Interlocutors, Agents: p.Agents, Objects: p.Objects, CaseIDs: []string{}, CreatedAt: now}
		res, err := s.history.Record(ctx, tx, actor, history.Item{Source: history.SourceContact, ExternalID: out.ID,
			Channel: in.Medium, Direction: in.Direction, OccurredAt: now.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
			Agent: actor.Login, PartyID: in.PartyID, Subject: out.TypeName, Body: in.Comment})
		if err != nil {
			return err
		}
		out.InteractionID = res.InteractionID
		if _, err := tx.Exec(ctx, `INSERT INTO contacts (id, unit_id, type_id, party_id, medium, direction, reason, comment,
			interaction_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, in.UnitID, t.ID, in.PartyID, in.Medium, in.Direction, in.Reason, in.Comment, out.InteractionID,
			db.NullIfEmpty(actor.AgentID), core.Millis(now)); err != nil {
			return fmt.Errorf("insert contact: %w", err)
		}
		if err := writeLinks(ctx, tx, out.ID, p.Links); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "contact.create", "contact", out.ID, in.PartyID,
			map[string]any{"type": t.Code, "medium": in.Medium})
	})
	if err != nil {
		return Contact{}, err
	}
	return out, nil
}

// checkReason refuses a reason that is not an active report reason of the
// unit's catalogue.
func (s *Store) checkReason(ctx context.Context, unitID, code string) error {
	book, err := s.books.ForUnit(ctx, s.db, unitID)
	if err != nil {
		return err
	}
	if !book.IsActive(catalogue.ReportReasons, code) {
		return core.Fields{"reason": core.Because("unknown_reason")}.Err()
	}
	return nil
}

// checkExtraLinks checks the texts of the links an agent adds by hand.
func checkExtraLinks(f core.Fields, parties []string, agents []AgentRef, objects []ObjectRef) {
	if len(parties) > maxLinks {
		f.Add("interlocutors", core.TooMany(maxLinks))
	}
	core.CheckTexts(f, "interlocutors", parties, core.MaxCode)
	if len(agents) > maxLinks {
		f.Add("agents", core.TooMany(maxLinks))
	}
	for i, a := range agents {
		core.CheckText(f, fmt.Sprintf("agents[%d].login", i), a.Login, core.MaxCode)
		if !slices.Contains(AgentRoles, a.Role) {
			f.Add(fmt.Sprintf("agents[%d].role", i), core.OneOf(AgentRoles...))
		}
	}
	if len(objects) > maxLinks {
		f.Add("objects", core.TooMany(maxLinks))
	}
	for i, o := range objects {
		if o.Kind == "" {
			f.Add(fmt.Sprintf("objects[%d].kind", i), core.Required())
		}
		core.CheckText(f, fmt.Sprintf("objects[%d].kind", i), o.Kind, core.MaxCode)
		if o.ID == "" {
			f.Add(fmt.Sprintf("objects[%d].id", i), core.Required())
		}
		core.CheckText(f, fmt.Sprintf("objects[%d].id", i), o.ID, core.MaxExternalID)
		core.CheckText(f, fmt.Sprintf("objects[%d].label", i), o.Label, core.MaxName)
	}
}

// maxLinks bounds each list of links a contact or a case holds by hand.
const maxLinks = 50

// addExtraLinks adds the links an agent chose by hand to a proposal: the
// parties must be visible, the agents active, a contract held by the
// current party (its first interlocutor).
func (s *Store) addExtraLinks(ctx context.Context, q db.Querier, actor *core.Actor, p *Proposal, parties []string, agents []AgentRef, objects []ObjectRef) error {
	f := core.Fields{}
	for i, id := range parties {
		n := len(p.Interlocutors)
		p.addParty(ctx, q, actor.Scope, id, "interlocutor")
		if len(p.Interlocutors) == n && !slices.ContainsFunc(p.Interlocutors, func(r PartyRef) bool { return r.PartyID == id }) {
			f.Add(fmt.Sprintf("interlocutors[%d]", i), core.Because("party_not_found"))
		}
	}
	for i, a := range agents {
		found, err := activeAgent(ctx, q, a.Login)
		if core.ErrorCode(err) == core.NotFound {
			f.Add(fmt.Sprintf("agents[%d].login", i), core.Because("unknown_agent"))
			continue
		}
		if err != nil {
			return err
		}
		found.Role = a.Role
		p.addAgent(found)
	}
	var held map[string]*heldContract
	if len(p.Interlocutors) > 0 {
		var err error
		if held, err = heldContracts(ctx, q, p.Interlocutors[0].PartyID); err != nil {
			return err
		}
	}
	for i, o := range objects {
		if o.Kind == ObjectContract {
			k, ok := held[o.ID]
			if !ok {
				f.Add(fmt.Sprintf("objects[%d].id", i), core.Because("contract_not_held"))
				continue
			}
			o = k.ref
		} else if o.Label == "" {
			o.Label = o.ID
		}
		p.addObject(o)
	}
	return f.Err()
}

// writeLinks stores the links of a new contact or case (its owner).
func writeLinks(ctx context.Context, tx *db.Tx, ownerID string, l Links) error {
	return appendLinks(ctx, tx, ownerID, Links{}, l)
}
