package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// caseHead is what the writes on a case read of it first.
type caseHead struct {
	ID, Reference, UnitID, EstablishmentID, ClassificationID string
	Status, Title, PartyID                                   string
	StepData                                                 map[string]map[string]string
}

// headOf reads a case within the scope; outside it, the case does not
// exist (NotFound).
func headOf(ctx context.Context, q db.Querier, scope core.Scope, id string) (caseHead, error) {
	var h caseHead
	if !core.ValidID(id) {
		return h, core.Errorf(core.NotFound, "case %s not found", id)
	}
	cond, args := scopeCond("c.unit_id", scope)
	var party sql.NullString
	var data string
	err := q.QueryRow(ctx, `SELECT c.id, c.reference, c.unit_id, c.establishment_id, c.classification_id, c.status,
		c.title, c.party_id, c.step_data FROM cases c WHERE c.id = ?`+cond, append([]any{id}, args...)...).
		Scan(&h.ID, &h.Reference, &h.UnitID, &h.EstablishmentID, &h.ClassificationID, &h.Status, &h.Title, &party, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return h, core.Errorf(core.NotFound, "case %s not found", id)
	}
	if err != nil {
		return h, fmt.Errorf("read case %s: %w", id, err)
	}
	h.PartyID = party.String
	if err := json.Unmarshal([]byte(data), &h.StepData); err != nil || h.StepData == nil {
		h.StepData = map[string]map[string]string{}
	}
	return h, nil
}

// addEvent writes a line of the case's history.
func (s *Store) addEvent(ctx context.Context, tx *db.Tx, actor *core.Actor, caseID string, e Event) error {
	detail := "{}"
	if len(e.Detail) > 0 {
		raw, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("case event detail: %w", err)
		}
		detail = string(raw)
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_events (id, case_id, action, from_status, to_status, step, detail, agent_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, core.NewID(), caseID, e.Action, e.FromStatus, e.ToStatus, e.Step, detail,
		db.NullIfEmpty(actor.AgentID), core.Millis(s.clock.Now()))
	if err != nil {
		return fmt.Errorf("record case event: %w", err)
	}
	return nil
}

// addElement adds an element to a case and says so in its history; it
// returns the element's id.
func (s *Store) addElement(ctx context.Context, tx *db.Tx, actor *core.Actor, caseID string, e Element) (string, error) {
	id := core.NewID()
	now := core.Millis(s.clock.Now())
	_, err := tx.Exec(ctx, `INSERT INTO case_elements (id, case_id, kind, ref_id, title, body, file_hash, file_name,
		content_type, size, step, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, caseID, e.Kind, e.RefID, e.Title, e.Body, e.FileHash, e.FileName, e.ContentType, e.Size, e.Step,
		db.NullIfEmpty(actor.AgentID), now)
	if err != nil {
		return "", fmt.Errorf("add case element: %w", err)
	}
	if _, err := tx.Exec(ctx, "UPDATE cases SET updated_at = ? WHERE id = ?", now, caseID); err != nil {
		return "", fmt.Errorf("touch case: %w", err)
	}
	return id, s.addEvent(ctx, tx, actor, caseID, Event{Action: EventElement, Step: e.Step,
		Detail: map[string]any{"kind": e.Kind, "title": e.Title}})
}
