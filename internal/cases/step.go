package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// StepResult is what running a step did: the case moved from one status
// to another and the elements the step generated (a letter, an email).
type StepResult struct {
	CaseID     string    `json:"case_id"`
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	Elements   []Element `json:"elements"`
}

// RunStep runs a step of the case's process with the fields the agent
// filled in: the step must be one the case's status offers
// (step_not_available otherwise, a Conflict), its fields are checked
// (field.CODE), then the status, the step's data, the history, the audit
// log and the document the step generates are written in one
// transaction. A letter's PDF is put in the file store before. Requires
// case.manage and the case in scope.
func (s *Store) RunStep(ctx context.Context, actor *core.Actor, caseID, stepCode string, values map[string]string, lang string) (StepResult, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return StepResult{}, err
	}
	h, err := headOf(ctx, s.db, actor.Scope, caseID)
	if err != nil {
		return StepResult{}, err
	}
	cl, err := classificationByID(ctx, s.db, h.ClassificationID)
	if err != nil {
		return StepResult{}, err
	}
	p := cl.Process
	step, ok := p.Step(stepCode)
	if !ok || !slices.ContainsFunc(p.StepsFrom(h.Status), func(x Step) bool { return x.Code == stepCode }) {
		name, status := stepCode, h.Status
		if ok {
			name = step.Name(lang)
		}
		if st, ok := p.Status(h.Status); ok {
			status = st.Name(lang)
		}
		return StepResult{}, &core.Error{Code: core.Conflict,
			Message: fmt.Sprintf("the step %s cannot be taken from the status %s", name, status),
			Fields:  core.Fields{"step": core.Because("step_not_available", "step", name, "status", status)}}
	}
	clean, err := CheckFields(step, values)
	if err != nil {
		return StepResult{}, err
	}
	to, _ := p.Status(step.To)
	doc, err := s.prepareDocument(ctx, actor, h, step, clean, lang)
	if err != nil {
		return StepResult{}, err
	}
	res := StepResult{CaseID: h.ID, FromStatus: h.Status, ToStatus: step.To}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		res.Elements = nil
		data := make(map[string]map[string]string, len(h.StepData)+1)
		for k, v := range h.StepData {
			data[k] = v
		}
		data[step.Code] = clean
		if err := s.writeCaseStatus(ctx, tx, h, to, data); err != nil {
			return err
		}
		e := Event{Action: EventStep, FromStatus: h.Status, ToStatus: step.To, Step: step.Code}
		if len(clean) > 0 {
			e.Detail = map[string]any{"fields": clean}
		}
		if err := s.addEvent(ctx, tx, actor, h.ID, e); err != nil {
			return err
		}
		if doc != nil {
			el, err := doc.write(ctx, tx)
			if err != nil {
				return err
			}
			res.Elements = append(res.Elements, el)
		}
		return s.log.Record(ctx, tx, actor, "case.step", "case", h.ID, h.PartyID,
			map[string]any{"step": step.Code, "from": h.Status, "to": step.To, "fields": clean})
	})
	if err != nil {
		return StepResult{}, err
	}
	return res, nil
}

// writeCaseStatus moves the case to status, if it is still in the status h
// read (a Conflict otherwise: someone moved it meanwhile); the closing
// time is set on entering a closed status and cleared on leaving one.
// data, when not nil, replaces the case's step data.
func (s *Store) writeCaseStatus(ctx context.Context, tx *db.Tx, h caseHead, to Status, data map[string]map[string]string) error {
	now := core.Millis(s.clock.Now())
	var closed any
	if to.Closed {
		closed = now
	}
	q, args := "UPDATE cases SET status = ?, updated_at = ?, closed_at = ?", []any{to.Code, now, closed}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("case step data: %w", err)
		}
		q, args = q+", step_data = ?", append(args, string(raw))
	}
	res, err := tx.Exec(ctx, q+" WHERE id = ? AND status = ?", append(args, h.ID, h.Status)...)
	if err != nil {
		return fmt.Errorf("move case %s: %w", h.Reference, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("move case %s: %w", h.Reference, err)
	} else if n == 0 {
		return core.Errorf(core.Conflict, "case %s changed status meanwhile: reload it", h.Reference)
	}
	return nil
}

// moveCase moves a case to the status to without a step's fields: the
// board's drag (why "board") must follow a step without required fields
// (Process.Move's refusals); a task's completion (why "task") is trusted,
// its plan step naming an existing status. A task moving a case to the
// status it is in changes nothing. It writes the history (EventStatus
// with the why) and the audit entry "case.status" in tx.
func (s *Store) moveCase(ctx context.Context, tx *db.Tx, actor *core.Actor, h caseHead, to, why string) error {
	cl, err := classificationByID(ctx, tx, h.ClassificationID)
	if err != nil {
		return err
	}
	target, ok := cl.Process.Status(to)
	if why == "task" {
		if !ok {
			return &core.Error{Code: core.Invalid, Message: "unknown status " + to,
				Fields: core.Fields{"status": core.Because("unknown_status", "status", to)}}
		}
		if h.Status == to {
			return nil
		}
	} else if _, err := cl.Process.Move(h.Status, to); err != nil {
		return err
	}
	if err := s.writeCaseStatus(ctx, tx, h, target, nil); err != nil {
		return err
	}
	if err := s.addEvent(ctx, tx, actor, h.ID, Event{Action: EventStatus, FromStatus: h.Status, ToStatus: to,
		Detail: map[string]any{"why": why}}); err != nil {
		return err
	}
	return s.log.Record(ctx, tx, actor, "case.status", "case", h.ID, h.PartyID,
		map[string]string{"from": h.Status, "to": to, "why": why})
}

// MoveCase moves a case to another status from the board: along a step
// without required fields, else refused with the reason (no_step,
// step_needs_fields). Requires case.manage and the case in scope.
func (s *Store) MoveCase(ctx context.Context, actor *core.Actor, caseID, to string) error {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		h, err := headOf(ctx, tx, actor.Scope, caseID)
		if err != nil {
			return err
		}
		return s.moveCase(ctx, tx, actor, h, to, "board")
	})
}
