package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Contact returns a contact within the actor's scope (NotFound outside).
func (s *Store) Contact(ctx context.Context, actor *core.Actor, id string) (Contact, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Contact{}, err
	}
	if !core.ValidID(id) {
		return Contact{}, core.Errorf(core.NotFound, "contact %s not found", id)
	}
	cond, args := scopeCond("k.unit_id", actor.Scope)
	var k Contact
	var created int64
	var nameFR, nameEN string
	err := s.db.QueryRow(ctx, `SELECT k.id, k.interaction_id, k.unit_id, t.code, t.name_fr, t.name_en, k.party_id, k.medium,
		k.direction, k.reason, k.comment, k.created_at FROM contacts k JOIN contact_types t ON t.id = k.type_id
		WHERE k.id = ?`+cond, append([]any{id}, args...)...).Scan(&k.ID, &k.InteractionID, &k.UnitID, &k.Type, &nameFR, &nameEN,
		&k.PartyID, &k.Medium, &k.Direction, &k.Reason, &k.Comment, &created)
	if db.IsNoRows(err) {
		return Contact{}, core.Errorf(core.NotFound, "contact %s not found", id)
	}
	if err != nil {
		return Contact{}, fmt.Errorf("read contact %s: %w", id, err)
	}
	k.TypeName, k.CreatedAt = pick(actor.Locale, nameFR, nameEN), core.FromMillis(created)
	l, err := linksOf(ctx, s.db, k.ID)
	if err != nil {
		return Contact{}, err
	}
	k.Interlocutors, k.Agents, k.Objects = l.Interlocutors, l.Agents, l.Objects
	k.CaseIDs = []string{}
	cond, args = scopeCond("c.unit_id", actor.Scope)
	rows, err := s.db.Query(ctx, `SELECT c.id FROM case_elements e JOIN cases c ON c.id = e.case_id
		WHERE e.kind = 'contact' AND e.ref_id = ?`+cond+` ORDER BY e.created_at`, append([]any{k.ID}, args...)...)
	if err != nil {
		return Contact{}, fmt.Errorf("cases of contact %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return Contact{}, err
		}
		k.CaseIDs = append(k.CaseIDs, c)
	}
	return k, rows.Err()
}

// linksOf reads the links of a contact or a case, with names, in the
// order they were added.
func linksOf(ctx context.Context, q db.Querier, ownerID string) (Links, error) {
	l := Links{Interlocutors: []PartyRef{}, Agents: []AgentRef{}, Objects: []ObjectRef{}}
	rows, err := q.Query(ctx, `SELECT w.party_id, w.role, p.kind, p.first_name, p.last_name, p.name FROM work_parties w
		JOIN parties p ON p.id = w.party_id WHERE w.owner_id = ? ORDER BY w.position`, ownerID)
	if err != nil {
		return l, fmt.Errorf("interlocutors of %s: %w", ownerID, err)
	}
	for rows.Next() {
		var r PartyRef
		var kind, first, last, name string
		if err := rows.Scan(&r.PartyID, &r.Role, &kind, &first, &last, &name); err != nil {
			rows.Close()
			return l, err
		}
		r.Name = party.DisplayName(kind, first, last, name)
		l.Interlocutors = append(l.Interlocutors, r)
	}
	rows.Close()
	rows, err = q.Query(ctx, `SELECT a.id, a.login, a.name, w.role FROM work_agents w JOIN agents a ON a.id = w.agent_id
		WHERE w.owner_id = ? ORDER BY w.position`, ownerID)
	if err != nil {
		return l, fmt.Errorf("agents of %s: %w", ownerID, err)
	}
	for rows.Next() {
		var a AgentRef
		if err := rows.Scan(&a.ID, &a.Login, &a.Name, &a.Role); err != nil {
			rows.Close()
			return l, err
		}
		l.Agents = append(l.Agents, a)
	}
	rows.Close()
	rows, err = q.Query(ctx, "SELECT kind, object_id, label FROM work_objects WHERE owner_id = ? ORDER BY position", ownerID)
	if err != nil {
		return l, fmt.Errorf("objects of %s: %w", ownerID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var o ObjectRef
		if err := rows.Scan(&o.Kind, &o.ID, &o.Label); err != nil {
			return l, err
		}
		l.Objects = append(l.Objects, o)
	}
	return l, rows.Err()
}

const caseColumns = `c.id, c.reference, c.unit_id, u.code, u.name, c.classification_id, cl.code, cl.name_fr, cl.name_en,
	cl.process, c.status, c.title, COALESCE(c.party_id, ''), COALESCE(p.kind, ''), COALESCE(p.first_name, ''),
	COALESCE(p.last_name, ''), COALESCE(p.name, ''), c.origin, c.step_data, c.created_at, c.updated_at, c.closed_at`

const caseJoins = ` FROM cases c JOIN units u ON u.id = c.unit_id JOIN case_classifications cl ON cl.id = c.classification_id
	LEFT JOIN parties p ON p.id = c.party_id`

func scanCase(row interface{ Scan(...any) error }, lang string) (Case, error) {
	var c Case
	var nameFR, nameEN, process, kind, first, last, name, data string
	var created, updated int64
	var closed sql.NullInt64
	if err := row.Scan(&c.ID, &c.Reference, &c.UnitID, &c.UnitCode, &c.UnitName, &c.ClassificationID, &c.Classification,
		&nameFR, &nameEN, &process, &c.Status, &c.Title, &c.PartyID, &kind, &first, &last, &name, &c.Origin, &data,
		&created, &updated, &closed); err != nil {
		return c, err
	}
	c.ClassificationName = pick(lang, nameFR, nameEN)
	if c.PartyID != "" {
		c.PartyName = party.DisplayName(kind, first, last, name)
	}
	if err := json.Unmarshal([]byte(process), &c.Process); err == nil {
		if st, ok := c.Process.Status(c.Status); ok {
			c.Closed = st.Closed
		}
	}
	if err := json.Unmarshal([]byte(data), &c.StepData); err != nil || c.StepData == nil {
		c.StepData = map[string]map[string]string{}
	}
	c.CreatedAt, c.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
	if closed.Valid {
		t := core.FromMillis(closed.Int64)
		c.ClosedAt = &t
	}
	return c, nil
}

// Get returns a case within the actor's scope with its links and its
// elements grouped by kind. Requires case.manage.
func (s *Store) Get(ctx context.Context, actor *core.Actor, id string) (Case, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Case{}, err
	}
	if !core.ValidID(id) {
		return Case{}, core.Errorf(core.NotFound, "case %s not found", id)
	}
	cond, args := scopeCond("c.unit_id", actor.Scope)
	c, err := scanCase(s.db.QueryRow(ctx, "SELECT "+caseColumns+caseJoins+" WHERE c.id = ?"+cond,
		append([]any{id}, args...)...), actor.Locale)
	if db.IsNoRows(err) {
		return Case{}, core.Errorf(core.NotFound, "case %s not found", id)
	}
	if err != nil {
		return Case{}, fmt.Errorf("read case %s: %w", id, err)
	}
	l, err := linksOf(ctx, s.db, c.ID)
	if err != nil {
		return Case{}, err
	}
	c.Interlocutors, c.Agents, c.Objects = l.Interlocutors, l.Agents, l.Objects
	if c.Elements, err = s.elements(ctx, c.ID); err != nil {
		return Case{}, err
	}
	tasks, err := s.Tasks(ctx, actor, TaskFilter{CaseID: c.ID, Limit: maxCaseTasks})
	if err != nil {
		return Case{}, err
	}
	c.Elements.Tasks = tasks.Tasks
	return c, nil
}

// maxCaseTasks bounds the tasks a case shows (the task list pages the rest).
const maxCaseTasks = 200

// elements reads a case's elements, grouped by kind, oldest first.
func (s *Store) elements(ctx context.Context, caseID string) (*Elements, error) {
	e := &Elements{Contacts: []Element{}, Letters: []Element{}, Notes: []Element{}, Documents: []Element{},
		Emails: []Element{}, Tasks: []Task{}}
	rows, err := s.db.Query(ctx, `SELECT e.id, e.kind, e.ref_id, e.title, e.body, e.file_hash, e.file_name, e.content_type,
		e.size, e.step, COALESCE(a.login, ''), COALESCE(a.name, ''), e.created_at FROM case_elements e
		LEFT JOIN agents a ON a.id = e.created_by WHERE e.case_id = ? ORDER BY e.created_at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("elements of case %s: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var el Element
		var login, name string
		var at int64
		if err := rows.Scan(&el.ID, &el.Kind, &el.RefID, &el.Title, &el.Body, &el.FileHash, &el.FileName, &el.ContentType,
			&el.Size, &el.Step, &login, &name, &at); err != nil {
			return nil, err
		}
		if login != "" {
			el.Agent = &AgentRef{Login: login, Name: name}
		}
		el.CreatedAt = core.FromMillis(at)
		switch el.Kind {
		case ElementContact:
			e.Contacts = append(e.Contacts, el)
		case ElementLetter:
			e.Letters = append(e.Letters, el)
		case ElementNote:
			e.Notes = append(e.Notes, el)
		case ElementDocument:
			e.Documents = append(e.Documents, el)
		case ElementEmail:
			e.Emails = append(e.Emails, el)
		}
	}
	return e, rows.Err()
}

// CaseFilter selects cases in a list.
type CaseFilter struct {
	PartyID        string
	Status         string
	UnitID         string
	Classification string // code
	Open           bool   // only cases not in a closed status
	Cursor         string // the last case of the previous page
	Limit          int    // 50 by default, at most 200
}

// CasePage is a page of cases, last updated first.
type CasePage struct {
	Cases []Case `json:"cases"`
	Next  string `json:"next_cursor"`
}

// Cases lists the cases of the actor's scope that match f, last updated
// first, without their elements.
func (s *Store) Cases(ctx context.Context, actor *core.Actor, f CaseFilter) (CasePage, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return CasePage{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.PartyID != "" {
		add("c.id IN (SELECT owner_id FROM work_parties WHERE party_id = ?)", f.PartyID)
	}
	if f.Status != "" {
		add("c.status = ?", f.Status)
	}
	if f.UnitID != "" {
		add("c.unit_id = ?", f.UnitID)
	}
	if f.Classification != "" {
		add("cl.code = ?", f.Classification)
	}
	if f.Open {
		add("c.closed_at IS NULL")
	}
	cond, sargs := scopeCond("c.unit_id", actor.Scope)
	q := "SELECT " + caseColumns + caseJoins + " WHERE 1=1" + cond
	args = append(sargs, args...)
	for _, w := range where {
		q += " AND " + w
	}
	q, args, err := db.NewestFirst(q, args, "c.updated_at", "c.id", f.Cursor, f.Limit)
	if err != nil {
		return CasePage{}, err
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return CasePage{}, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	page := CasePage{Cases: []Case{}}
	for rows.Next() {
		c, err := scanCase(rows, actor.Locale)
		if err != nil {
			return CasePage{}, fmt.Errorf("list cases: %w", err)
		}
		page.Cases = append(page.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return CasePage{}, fmt.Errorf("list cases: %w", err)
	}
	page.Cases, page.Next = db.NewestPage(page.Cases, f.Limit, func(c Case) (time.Time, string) { return c.UpdatedAt, c.ID })
	return page, nil
}

// Events returns a case's history, oldest first.
func (s *Store) Events(ctx context.Context, actor *core.Actor, caseID string) ([]Event, error) {
	if _, err := headOf(ctx, s.db, actor.Scope, caseID); err != nil {
		return nil, err
	}
	if err := actor.Require(core.PermCaseManage); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT e.id, e.action, e.from_status, e.to_status, e.step, e.detail, COALESCE(a.login, ''),
		COALESCE(a.name, ''), e.at FROM case_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.case_id = ?
		ORDER BY e.at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var detail, login, name string
		var at int64
		if err := rows.Scan(&e.ID, &e.Action, &e.FromStatus, &e.ToStatus, &e.Step, &detail, &login, &name, &at); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(detail), &e.Detail)
		if login != "" {
			e.Agent = &AgentRef{Login: login, Name: name}
		}
		e.At = core.FromMillis(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
