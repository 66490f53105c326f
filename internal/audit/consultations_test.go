package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// TestPartyChangesLeaveConsultationsToTheAuditLog: reading a party's page,
// its history, an interaction or a file is not a change of the party.
func TestPartyChangesLeaveConsultationsToTheAuditLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := audit.New(d, core.NewFixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
		for _, action := range append([]string{"party.update"}, audit.Consultations...) {
			if err := log.Record(ctx, d, core.System(), action, "party", "p1", "p1", nil); err != nil {
				t.Fatal(err)
			}
		}
		changes, err := log.PartyChanges(ctx, "p1", 10)
		if err != nil || len(changes) != 1 || changes[0].Action != "party.update" {
			t.Errorf("changes %+v (%v), want the update only", changes, err)
		}
		all, err := log.List(ctx, core.System(), audit.Filter{PartyID: "p1"})
		if err != nil || len(all.Items) != 1+len(audit.Consultations) {
			t.Errorf("the audit log lists %d entries (%v), want them all", len(all.Items), err)
		}
	})
}
