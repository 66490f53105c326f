// Package audit writes and reads the audit log: who looked at which customer
// and who changed what, when (banking secrecy).
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Entry is one line of the audit log.
type Entry struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	AgentID    string          `json:"agent_id,omitempty"`
	AgentLogin string          `json:"agent_login,omitempty"`
	AgentName  string          `json:"agent_name,omitempty"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	PartyID    string          `json:"party_id,omitempty"`
	PartyName  string          `json:"party_name,omitempty"`  // the customer's name, for a reader
	ObjectName string          `json:"object_name,omitempty"` // an agent's, unit's or role's name, for a reader
	Detail     json.RawMessage `json:"detail,omitempty"`
}

// Change is one field's old and new value, the detail of an update entry.
type Change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// Log records and lists audit entries.
type Log struct {
	db    *db.DB
	clock core.Clock
}

// New returns a Log writing to d with times from clock.
func New(d *db.DB, clock core.Clock) *Log { return &Log{db: d, clock: clock} }

// Record writes an entry through q, normally the transaction of the change it
// describes so that the change and its trace commit together. The actor is
// taken from the entry's AgentID; detail is marshalled to JSON.
func (l *Log) Record(ctx context.Context, q db.Querier, actor *core.Actor, action, objectType, objectID, partyID string, detail any) error {
	var raw []byte
	if detail != nil {
		var err error
		if raw, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
	}
	var agentID, party any
	if actor != nil && actor.AgentID != "" {
		agentID = actor.AgentID
	}
	if partyID != "" {
		party = partyID
	}
	_, err := q.Exec(ctx, `INSERT INTO audit_log (id, at, agent_id, action, object_type, object_id, party_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		core.NewID(), core.Millis(l.clock.Now()), agentID, action, objectType, objectID, party, string(raw))
	if err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// Filter selects audit entries; empty fields match everything.
type Filter struct {
	PartyID string
	AgentID string
	Action  string
	Cursor  string
	Limit   int
	scope   core.Scope // the reader's; the zero value reads no party's entries
}

// Page is one page of entries, newest first.
type Page struct {
	Items      []Entry `json:"items"`
	NextCursor string  `json:"next_cursor,omitempty"`
}

// List returns entries newest first. It requires the audit.read permission.
// Entries about a customer (party) outside the actor's scope are left out,
// as every other read of customer data: a manager reads the trace of the
// parties of their units only; entries about no party (sign-ins,
// administration) are listed for every reader.
func (l *Log) List(ctx context.Context, actor *core.Actor, f Filter) (Page, error) {
	if err := actor.Require(core.PermAuditRead); err != nil {
		return Page{}, err
	}
	f.scope = actor.Scope
	return l.query(ctx, f)
}

// PartyChanges returns the latest entries about a party other than
// consultations (creation, changes, conversion, relations, contracts),
// newest first, for the party's own page. It checks no permission: the
// caller has just read the party within the actor's scope.
func (l *Log) PartyChanges(ctx context.Context, partyID string, limit int) ([]Entry, error) {
	page, err := l.query(ctx, Filter{PartyID: partyID, Limit: limit, scope: core.Scope{All: true}}, Consultations...)
	return page.Items, err
}

// Consultations are the actions that record a reading, not a change: the
// party's page, its contact history, an interaction's detail, a file.
var Consultations = []string{"party.view", "history.timeline", "history.interaction", "history.attachment"}

// query lists the entries f selects, leaving out the actions skip.
func (l *Log) query(ctx context.Context, f Filter, skip ...string) (Page, error) {
	limit := core.PageLimit(f.Limit, 50, 500)
	q := `SELECT l.id, l.at, COALESCE(l.agent_id, ''), COALESCE(a.login, ''), COALESCE(a.name, ''),
		l.action, l.object_type, l.object_id, COALESCE(l.party_id, ''), l.detail,
		COALESCE(CASE WHEN p.kind = 'organization' THEN p.name ELSE TRIM(p.first_name || ' ' || p.last_name) END, ''),
		COALESCE(oa.name, ou.name, oro.name, '')
		FROM audit_log l LEFT JOIN agents a ON a.id = l.agent_id
		LEFT JOIN parties p ON p.id = l.party_id
		LEFT JOIN agents oa ON l.object_type = 'agent' AND oa.id = l.object_id
		LEFT JOIN units ou ON l.object_type = 'unit' AND ou.id = l.object_id
		LEFT JOIN roles oro ON l.object_type = 'role' AND oro.code = l.object_id WHERE 1=1`
	var args []any
	if f.PartyID != "" {
		q += " AND l.party_id = ?"
		args = append(args, f.PartyID)
	}
	if !f.scope.All {
		// In the SQL, like every customer read: audit cannot import party.
		q += " AND (l.party_id IS NULL"
		if len(f.scope.UnitIDs) > 0 {
			q += " OR l.party_id IN (SELECT p.id FROM parties p WHERE p.agency_id IN (" + db.Placeholders(len(f.scope.UnitIDs)) + "))"
			for _, id := range f.scope.UnitIDs {
				args = append(args, id)
			}
		}
		q += ")"
	}
	if f.AgentID != "" {
		q += " AND l.agent_id = ?"
		args = append(args, f.AgentID)
	}
	if f.Action != "" {
		q += " AND l.action = ?"
		args = append(args, f.Action)
	}
	if len(skip) > 0 {
		q += " AND l.action NOT IN (" + db.Placeholders(len(skip)) + ")"
		for _, a := range skip {
			args = append(args, a)
		}
	}
	q, args, err := db.NewestFirst(q, args, "l.at", "l.id", f.Cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := l.db.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var page Page
	for rows.Next() {
		var e Entry
		var at int64
		var detail string
		if err := rows.Scan(&e.ID, &at, &e.AgentID, &e.AgentLogin, &e.AgentName, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.PartyID, &detail, &e.PartyName, &e.ObjectName); err != nil {
			return Page{}, err
		}
		e.At = core.FromMillis(at)
		if detail != "" {
			e.Detail = json.RawMessage(detail)
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	page.Items, page.NextCursor = db.NewestPage(page.Items, limit, func(e Entry) (time.Time, string) { return e.At, e.ID })
	return page, nil
}
