package cases_test

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAStepMovesTheCaseAndWritesItsHistoryAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "received")
		res, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "qualify", nil, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if res.FromStatus != "received" || res.ToStatus != "analysis" || len(res.Elements) != 0 {
			t.Errorf("result = %+v, want received → analysis without elements", res)
		}
		if st, closed := f.status(t, id); st != "analysis" || closed {
			t.Errorf("case is %s (closed %v), want analysis, open", st, closed)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'step' AND step = 'qualify'
			AND from_status = 'received' AND to_status = 'analysis'`, id); n != 1 {
			t.Errorf("%d step events in the case's history, want 1", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.step' AND object_id = ?", id); n != 1 {
			t.Errorf("%d case.step audit entries, want 1", n)
		}
	})
}

func TestAClosedStatusSetsTheClosingTimeAndLeavingItClearsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "analysis")
		if _, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "cancel", nil, "fr"); err != nil {
			t.Fatal(err)
		}
		if st, closed := f.status(t, id); st != "cancelled" || !closed {
			t.Errorf("case is %s (closed %v), want cancelled and closed", st, closed)
		}
		id2 := f.newCase(t, f.A1, f.P1.ID, "answered")
		if _, err := f.DB.Exec(f.ctx, "UPDATE cases SET closed_at = 1 WHERE id = ?", id2); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Cases.RunStep(f.ctx, f.Adv1, id2, "reopen", nil, "fr"); err != nil {
			t.Fatal(err)
		}
		if st, closed := f.status(t, id2); st != "analysis" || closed {
			t.Errorf("reopened case is %s (closed %v), want analysis, open", st, closed)
		}
	})
}

func TestAStepsFieldsAreRefusedAndTheCaseStaysPut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "analysis")
		for _, tc := range []struct {
			values map[string]string
			field  string
			reason string
		}{
			{map[string]string{"amount": "12"}, "field.decision", "required"},
			{map[string]string{"decision": "perhaps"}, "field.decision", "one_of"},
			{map[string]string{"decision": "accepted", "amount": "douze"}, "field.amount", "number"},
			{map[string]string{"decision": "accepted", "colour": "red"}, "field.colour", "unknown_field"},
		} {
			_, err := f.Cases.RunStep(f.ctx, f.Adv1, id, "answer", tc.values, "fr")
			if code, why := reasonOf(err, tc.field); code != core.Invalid || why != tc.reason {
				t.Errorf("RunStep(%v) = %v, want %s refused with %s", tc.values, err, tc.field, tc.reason)
			}
		}
		if st, _ := f.status(t, id); st != "analysis" {
			t.Errorf("case is %s after refused steps, want analysis", st)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ?", id); n != 0 {
			t.Errorf("%d events written by refused steps", n)
		}
	})
}

func TestOnlyTheStepsOfTheCurrentStatusCanBeRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "received")
		for _, step := range []string{"answer", "reopen", "nope"} {
			_, err := f.Cases.RunStep(f.ctx, f.Adv1, id, step, map[string]string{"decision": "accepted"}, "fr")
			if code, why := reasonOf(err, "step"); code != core.Conflict || why != "step_not_available" {
				t.Errorf("RunStep(%s) from received = %v, want a conflict step_not_available", step, err)
			}
		}
	})
}

func TestStepsAndMovesNeedCaseManageAndTheCaseInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		other := f.newCase(t, f.A2, f.P2.ID, "received")
		if _, err := f.Cases.RunStep(f.ctx, f.Adv1, other, "qualify", nil, "fr"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("step on a case of another agency = %v, want not found", err)
		}
		if err := f.Cases.MoveCase(f.ctx, f.Adv1, other, "analysis"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("move of a case of another agency = %v, want not found", err)
		}
		mine := f.newCase(t, f.A1, f.P1.ID, "received")
		if _, err := f.Cases.RunStep(f.ctx, f.Viewer, mine, "qualify", nil, "fr"); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("step by a viewer = %v, want forbidden", err)
		}
		if err := f.Cases.MoveCase(f.ctx, f.Viewer, mine, "analysis"); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("move by a viewer = %v, want forbidden", err)
		}
		if st, _ := f.status(t, other); st != "received" {
			t.Errorf("the other agency's case is %s, want received", st)
		}
	})
}

func TestTheBoardMovesACaseAlongAStepWithoutFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		id := f.newCase(t, f.A1, f.P1.ID, "received")
		if err := f.Cases.MoveCase(f.ctx, f.Adv1, id, "analysis"); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, id); st != "analysis" {
			t.Errorf("case is %s, want analysis", st)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'status'
			AND from_status = 'received' AND to_status = 'analysis' AND detail LIKE '%board%'`, id); n != 1 {
			t.Errorf("%d status events from the board, want 1", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.status' AND object_id = ?", id); n != 1 {
			t.Errorf("%d case.status audit entries, want 1", n)
		}
	})
}

func TestTheBoardsRefusedMoveSaysWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newProcFixture(t, d)
		for _, tc := range []struct {
			from, to string
			code     core.Code
			reason   string
		}{
			{"received", "answered", core.Conflict, "no_step"},
			{"analysis", "answered", core.Conflict, "step_needs_fields"},
			{"cancelled", "received", core.Conflict, "no_step"},
			{"received", "archived", core.Invalid, "unknown_status"},
		} {
			id := f.newCase(t, f.A1, f.P1.ID, tc.from)
			err := f.Cases.MoveCase(f.ctx, f.Adv1, id, tc.to)
			if code, why := reasonOf(err, "status"); code != tc.code || why != tc.reason {
				t.Errorf("move %s → %s = %v, want %s %s", tc.from, tc.to, err, tc.code, tc.reason)
			}
			if st, _ := f.status(t, id); st != tc.from {
				t.Errorf("refused move left the case in %s, want %s", st, tc.from)
			}
		}
	})
}
