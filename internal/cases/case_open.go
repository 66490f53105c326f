package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// NewCase is a case opened without a contact: by an agent from the 360°
// page or by an external event through the API (with an idempotency key,
// so that the same event twice opens one case).
type NewCase struct {
	Classification string
	PartyID        string
	ContractID     string
	UnitID         string // the actor's unit by default
	Title          string
	IdempotencyKey string
	Origin         string // manual (default) or api
	Interlocutors  []string
	Agents         []AgentRef
	Objects        []ObjectRef
}

// OpenCase opens a case and reports whether it is new: a case already
// opened with the same idempotency key in the establishment is returned
// as it is. Requires case.manage, the unit in scope and the party visible.
func (s *Store) OpenCase(ctx context.Context, actor *core.Actor, in NewCase) (Case, bool, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Case{}, false, err
	}
	in.Classification, in.Title = strings.TrimSpace(in.Classification), strings.TrimSpace(in.Title)
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if in.UnitID == "" {
		in.UnitID = actor.UnitID
	}
	if in.Origin == "" {
		in.Origin = OriginManual
	}
	f := core.Fields{}
	if in.Classification == "" {
		f.Add("classification", core.Required())
	}
	core.CheckText(f, "classification", in.Classification, core.MaxCode)
	core.CheckText(f, "party_id", in.PartyID, core.MaxCode)
	core.CheckText(f, "contract_id", in.ContractID, core.MaxCode)
	core.CheckText(f, "title", in.Title, core.MaxSubject)
	core.CheckText(f, "idempotency_key", in.IdempotencyKey, core.MaxExternalID)
	checkExtraLinks(f, in.Interlocutors, in.Agents, in.Objects)
	if !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Case{}, false, err
	}
	if in.PartyID != "" {
		if err := s.parties.Visible(ctx, actor, in.PartyID); err != nil {
			return Case{}, false, core.Fields{"party_id": core.Because("party_not_found")}.Err()
		}
	}
	est, err := establishmentOf(ctx, s.db, in.UnitID)
	if err != nil {
		return Case{}, false, err
	}
	if in.IdempotencyKey != "" {
		if c, err := s.caseByKey(ctx, actor, est, in.IdempotencyKey); err == nil || core.ErrorCode(err) != core.NotFound {
			return c, false, err
		}
	}
	cl, err := classificationByCode(ctx, s.db, est, in.Classification)
	if err != nil || !cl.Active {
		return Case{}, false, core.Fields{"classification": core.Because("unknown_classification")}.Err()
	}
	var id string
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.apply(ctx, tx, actor, cl.Template, Context{PartyID: in.PartyID, ContractID: in.ContractID})
		if err != nil {
			return err
		}
		if err := s.addExtraLinks(ctx, tx, actor, &p, in.Interlocutors, in.Agents, in.Objects); err != nil {
			return err
		}
		title := in.Title
		if title == "" {
			title = cl.Name(actor.Locale)
		}
		id, err = s.insertCase(ctx, tx, actor, caseDraft{unitID: in.UnitID, establishmentID: est, cl: cl, title: title,
			partyID: in.PartyID, origin: in.Origin, key: in.IdempotencyKey, links: p.Links})
		return err
	})
	if db.IsUniqueViolation(err) && in.IdempotencyKey != "" {
		// The same event arrived twice at once: the other one opened it.
		c, err := s.caseByKey(ctx, actor, est, in.IdempotencyKey)
		return c, false, err
	}
	if err != nil {
		return Case{}, false, err
	}
	c, err := s.Get(ctx, actor, id)
	return c, true, err
}

// caseByKey finds the case an establishment opened with an idempotency key.
func (s *Store) caseByKey(ctx context.Context, actor *core.Actor, establishmentID, key string) (Case, error) {
	var id string
	err := s.db.QueryRow(ctx, "SELECT id FROM cases WHERE establishment_id = ? AND idempotency_key = ?", establishmentID, key).Scan(&id)
	if db.IsNoRows(err) {
		return Case{}, core.Errorf(core.NotFound, "no case opened with key %q", key)
	}
	if err != nil {
		return Case{}, fmt.Errorf("case by key: %w", err)
	}
	c, err := s.Get(ctx, actor, id)
	if core.ErrorCode(err) == core.NotFound {
		// Opened in a unit the caller cannot see: the key is taken all the same.
		return Case{}, core.Errorf(core.Conflict, "idempotency key %q was used for a case outside your scope", key)
	}
	return c, err
}

// caseDraft is a case about to be inserted, whatever its origin.
type caseDraft struct {
	unitID, establishmentID, title, partyID, origin, key string
	cl                                                   Classification
	links                                                Links
}

// insertCase writes a new case in its classification's first status with
// its links and its "opened" event; it returns its id.
func (s *Store) insertCase(ctx context.Context, tx *db.Tx, actor *core.Actor, d caseDraft) (string, error) {
	var n int64
	if err := tx.QueryRow(ctx, "UPDATE desk_counters SET value = value + 1 WHERE name = 'case' RETURNING value").Scan(&n); err != nil {
		return "", fmt.Errorf("next case reference: %w", err)
	}
	id, ref, now := core.NewID(), fmt.Sprintf("C-%06d", n), core.Millis(s.clock.Now())
	if d.partyID == "" && len(d.links.Interlocutors) > 0 {
		d.partyID = d.links.Interlocutors[0].PartyID
	}
	status := d.cl.Process.Initial()
	var closedAt any
	if status.Closed {
		closedAt = now
	}
	if _, err := tx.Exec(ctx, `INSERT INTO cases (id, reference, unit_id, classification_id, status, title, party_id, origin,
		idempotency_key, establishment_id, step_data, created_by, created_at, updated_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)`, id, ref, d.unitID, d.cl.ID, status.Code, d.title,
		db.NullIfEmpty(d.partyID), d.origin, db.NullIfEmpty(d.key), d.establishmentID, db.NullIfEmpty(actor.AgentID), now, now, closedAt); err != nil {
		return "", fmt.Errorf("insert case: %w", err)
	}
	if err := writeLinks(ctx, tx, id, d.links); err != nil {
		return "", err
	}
	if d.partyID != "" {
		// The case is in its customer's timeline, from its opening.
		direction := history.DirectionOutbound
		if d.origin == OriginContact {
			direction = history.DirectionInbound
		}
		if _, err := s.history.Record(ctx, tx, actor, history.Item{Source: history.SourceCase, ExternalID: id,
			Channel: history.ChannelCase, Direction: direction, OccurredAt: s.clock.Now().UTC().Format(time.RFC3339Nano),
			Agent: actor.Login, PartyID: d.partyID, Subject: ref + " · " + d.title}); err != nil {
			return "", err
		}
	}
	if err := s.addEvent(ctx, tx, actor, id, Event{Action: EventOpened, ToStatus: status.Code,
		Detail: map[string]any{"origin": d.origin, "reference": ref}}); err != nil {
		return "", err
	}
	return id, s.log.Record(ctx, tx, actor, "case.open", "case", id, d.partyID,
		map[string]any{"reference": ref, "classification": d.cl.Code, "origin": d.origin})
}

// CaseFromContact opens a case of classification code from a contact:
// everything the contact holds (interlocutors, agents, objects) moves into
// the case, with what the classification's template adds, and the
// contact becomes the case's first element.
func (s *Store) CaseFromContact(ctx context.Context, actor *core.Actor, contactID, classification string) (Case, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Case{}, err
	}
	f := core.Fields{}
	if strings.TrimSpace(classification) == "" {
		f.Add("classification", core.Required())
	}
	core.CheckText(f, "classification", classification, core.MaxCode)
	if err := f.Err(); err != nil {
		return Case{}, err
	}
	k, err := s.Contact(ctx, actor, contactID)
	if err != nil {
		return Case{}, err
	}
	est, err := establishmentOf(ctx, s.db, k.UnitID)
	if err != nil {
		return Case{}, err
	}
	cl, err := classificationByCode(ctx, s.db, est, strings.TrimSpace(classification))
	if err != nil || !cl.Active {
		return Case{}, core.Fields{"classification": core.Because("unknown_classification")}.Err()
	}
	var id string
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		contract := ""
		for _, o := range k.Objects {
			if o.Kind == ObjectContract {
				contract = o.ID
				break
			}
		}
		p, err := s.apply(ctx, tx, actor, cl.Template, Context{PartyID: k.PartyID, ContractID: contract})
		if err != nil {
			return err
		}
		links := Links{Interlocutors: k.Interlocutors, Agents: k.Agents, Objects: k.Objects}
		links = mergeLinks(links, p.Links)
		id, err = s.insertCase(ctx, tx, actor, caseDraft{unitID: k.UnitID, establishmentID: est, cl: cl,
			title: k.TypeName, partyID: k.PartyID, origin: OriginContact, links: links})
		if err != nil {
			return err
		}
		_, err = s.addElement(ctx, tx, actor, id, Element{Kind: ElementContact, RefID: k.ID, Title: k.TypeName, Body: k.Comment})
		return err
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, actor, id)
}

// MoveContact puts a contact into an existing case: what the case lacks
// of the contact's interlocutors, agents and objects is added, nothing is
// duplicated, and the contact becomes one of its elements (once: moving
// it again changes nothing).
func (s *Store) MoveContact(ctx context.Context, actor *core.Actor, contactID, caseID string) (Case, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Case{}, err
	}
	if strings.TrimSpace(caseID) == "" {
		return Case{}, core.Fields{"case_id": core.Required()}.Err()
	}
	k, err := s.Contact(ctx, actor, contactID)
	if err != nil {
		return Case{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		h, err := headOf(ctx, tx, actor.Scope, caseID)
		if core.ErrorCode(err) == core.NotFound {
			return core.Fields{"case_id": core.Because("case_not_found")}.Err()
		}
		if err != nil {
			return err
		}
		have, err := linksOf(ctx, tx, h.ID)
		if err != nil {
			return err
		}
		missing := missingLinks(have, Links{Interlocutors: k.Interlocutors, Agents: k.Agents, Objects: k.Objects})
		if err := appendLinks(ctx, tx, h.ID, have, missing); err != nil {
			return err
		}
		var already int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM case_elements WHERE case_id = ? AND kind = ? AND ref_id = ?",
			h.ID, ElementContact, k.ID).Scan(&already); err != nil {
			return fmt.Errorf("contact in case: %w", err)
		}
		if already > 0 && len(missing.Interlocutors)+len(missing.Agents)+len(missing.Objects) == 0 {
			return nil
		}
		if already == 0 {
			if _, err := s.addElement(ctx, tx, actor, h.ID, Element{Kind: ElementContact, RefID: k.ID, Title: k.TypeName, Body: k.Comment}); err != nil {
				return err
			}
		}
		if err := s.addEvent(ctx, tx, actor, h.ID, Event{Action: EventContactMoved, Detail: map[string]any{"contact_id": k.ID,
			"interlocutors": len(missing.Interlocutors), "agents": len(missing.Agents), "objects": len(missing.Objects)}}); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "case.contact_move", "case", h.ID, h.PartyID, map[string]any{"contact_id": k.ID})
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, actor, caseID)
}

// mergeLinks returns a with what b adds.
func mergeLinks(a, b Links) Links {
	m := missingLinks(a, b)
	a.Interlocutors = append(slices.Clone(a.Interlocutors), m.Interlocutors...)
	a.Agents = append(slices.Clone(a.Agents), m.Agents...)
	a.Objects = append(slices.Clone(a.Objects), m.Objects...)
	return a
}

// missingLinks returns what of b a lacks: parties by id, agents by id and
// role, objects by kind and id.
func missingLinks(a, b Links) Links {
	var m Links
	for _, p := range b.Interlocutors {
		if !slices.ContainsFunc(a.Interlocutors, func(x PartyRef) bool { return x.PartyID == p.PartyID }) {
			m.Interlocutors = append(m.Interlocutors, p)
		}
	}
	for _, g := range b.Agents {
		if !slices.ContainsFunc(a.Agents, func(x AgentRef) bool { return x.ID == g.ID && x.Role == g.Role }) {
			m.Agents = append(m.Agents, g)
		}
	}
	for _, o := range b.Objects {
		if !slices.ContainsFunc(a.Objects, func(x ObjectRef) bool { return x.Kind == o.Kind && x.ID == o.ID }) {
			m.Objects = append(m.Objects, o)
		}
	}
	return m
}

// appendLinks adds links to an owner after those it has.
func appendLinks(ctx context.Context, tx *db.Tx, ownerID string, have, add Links) error {
	var parties, agents, objects [][]any
	for i, p := range add.Interlocutors {
		parties = append(parties, []any{ownerID, p.PartyID, p.Role, len(have.Interlocutors) + i})
	}
	for i, a := range add.Agents {
		agents = append(agents, []any{ownerID, a.ID, a.Role, len(have.Agents) + i})
	}
	for i, o := range add.Objects {
		objects = append(objects, []any{ownerID, o.Kind, o.ID, o.Label, len(have.Objects) + i})
	}
	if err := db.InsertMany(ctx, tx, "INSERT INTO work_parties (owner_id, party_id, role, position) VALUES ", "(?, ?, ?, ?)", parties); err != nil {
		return fmt.Errorf("link interlocutors: %w", err)
	}
	if err := db.InsertMany(ctx, tx, "INSERT INTO work_agents (owner_id, agent_id, role, position) VALUES ", "(?, ?, ?, ?)", agents); err != nil {
		return fmt.Errorf("link agents: %w", err)
	}
	if err := db.InsertMany(ctx, tx, "INSERT INTO work_objects (owner_id, kind, object_id, label, position) VALUES ", "(?, ?, ?, ?, ?)", objects); err != nil {
		return fmt.Errorf("link objects: %w", err)
	}
	return nil
}
