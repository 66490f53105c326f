package catalogue_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestASavedReasonIsUsedAtOnceHereAndWithinASecondOnAnotherInstance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := core.NewFixedClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		here := catalogue.NewStore(d, clock, audit.New(d, clock))
		bank, _ := twoBanks(t, d, clock)
		agent := &core.Actor{UnitID: bank.ID, Login: "a"}
		// Both instances have read the catalogues before the save.
		var there *catalogue.Store
		if d.Dialect() == db.Postgres {
			other := dbtest.SecondHandle(t, d)
			there = catalogue.NewStore(other, clock, audit.New(other, clock))
		}
		for _, s := range []*catalogue.Store{here, there} {
			if s == nil {
				continue
			}
			if b, err := s.Book(ctx, agent); err != nil || b.IsActive(catalogue.ReportReasons, "succession") {
				t.Fatalf("before the save: %v", err)
			}
		}
		if _, err := here.SaveReportReason(ctx, core.System(), "BANK", catalogue.TermInput{Code: "succession",
			LabelFR: "Succession", LabelEN: "Estate", Active: true}); err != nil {
			t.Fatal(err)
		}
		if b, err := here.Book(ctx, agent); err != nil || !b.IsActive(catalogue.ReportReasons, "succession") {
			t.Errorf("the instance that saved still reads the old catalogue (%v)", err)
		}
		if there == nil {
			return // SQLite: one process owns the file
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			b, err := there.Book(ctx, agent)
			if err == nil && b.IsActive(catalogue.ReportReasons, "succession") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the other instance never read the saved reason (%v)", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
