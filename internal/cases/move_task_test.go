package cases

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// moveFixture is a bare store with one unit, the claim classification and
// a case in status, for moveCase's rules (the application's wiring is
// out of reach of the package's own tests).
func moveFixture(t *testing.T, d *db.DB, status string) (*Store, caseHead) {
	t.Helper()
	ctx := context.Background()
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s := NewStore(Deps{DB: d, Clock: clock, Audit: audit.New(d, clock)})
	unit, class, id := core.NewID(), core.NewID(), core.NewID()
	raw, _ := json.Marshal(claim)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO units (id, code, name, kind, path, created_at, updated_at) VALUES (?, ?, 'Banque', 'establishment', ?, 0, 0)",
			[]any{unit, "U" + unit[len(unit)-12:], "/" + unit + "/"}},
		{`INSERT INTO case_classifications (id, establishment_id, code, name_fr, name_en, process, created_at, updated_at)
			VALUES (?, ?, 'claim', 'Réclamation', 'Claim', ?, 0, 0)`, []any{class, unit, string(raw)}},
		{`INSERT INTO cases (id, reference, unit_id, classification_id, status, origin, establishment_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'manual', ?, 0, 0)`, []any{id, "C-" + id[len(id)-12:], unit, class, status, unit}},
	} {
		if _, err := d.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	h, err := headOf(ctx, d, core.Scope{All: true}, id)
	if err != nil {
		t.Fatal(err)
	}
	return s, h
}

func TestATaskMovesItsCaseWithoutAStepButOnlyToAnExistingStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, tc := range []struct {
			name, from, to, why string
			want                string // the status after, "" when refused
			reason              string
		}{
			{"a task skips the process's steps", "received", "answered", "task", "answered", ""},
			{"a task to the case's status changes nothing", "analysis", "analysis", "task", "analysis", ""},
			{"a task to a status the process lacks", "received", "archived", "task", "", "unknown_status"},
			{"the board follows the steps", "received", "answered", "board", "", "no_step"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s, h := moveFixture(t, d, tc.from)
				err := s.db.WithTx(ctx, func(tx *db.Tx) error { return s.moveCase(ctx, tx, core.System(), h, tc.to, tc.why) })
				var status string
				var closed *int64
				if err := d.QueryRow(ctx, "SELECT status, closed_at FROM cases WHERE id = ?", h.ID).Scan(&status, &closed); err != nil {
					t.Fatal(err)
				}
				var events int
				if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'status'", h.ID).Scan(&events); err != nil {
					t.Fatal(err)
				}
				if tc.reason != "" {
					if e, ok := err.(*core.Error); !ok || e.Fields["status"].Code != tc.reason || status != tc.from || events != 0 {
						t.Errorf("moveCase = %v (status %s, %d events), want refused with %s", err, status, events, tc.reason)
					}
					return
				}
				if err != nil || status != tc.want {
					t.Fatalf("moveCase = %v, status %s; want %s", err, status, tc.want)
				}
				wantEvents := 1
				if tc.from == tc.to {
					wantEvents = 0
				}
				if events != wantEvents {
					t.Errorf("%d status events, want %d", events, wantEvents)
				}
				if st, _ := claim.Status(tc.want); st.Closed != (closed != nil) {
					t.Errorf("closed_at set = %v for status %s", closed != nil, tc.want)
				}
			})
		}
	})
}
