package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// TestAWaitingLeadIsAssignedByTheMinuteJobOnceAnAgentIsBack: a lead that
// arrived while A1's only agent was absent waits; once the absence is
// removed, the background's periodic job gives it to them.
func TestAWaitingLeadIsAssignedByTheMinuteJobOnceAnAgentIsBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := webtest.New(t, d)
		ctx, sys := context.Background(), core.System()
		now := app.App.Clock.Now()
		absence, err := app.App.Leads.AddAbsence(ctx, sys, "adv1", leads.AbsenceInput{StartsAt: now, EndsAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := app.Orgs.AgentByLogin(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		actor, err := app.Orgs.Actor(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		l, _, err := app.App.Leads.Create(ctx, actor, leads.Input{Source: "website", ExternalID: "W-1", LastName: "Martin",
			Email: "martin@example.org", UnitCode: "A1"})
		if err != nil || l.Status != leads.StatusNew {
			t.Fatalf("a lead while adv1 is absent: %s, %v", l.Status, err)
		}
		if err := app.App.Leads.RemoveAbsence(ctx, sys, absence.ID); err != nil {
			t.Fatal(err)
		}
		bg, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); app.App.RunBackground(bg) }()
		defer func() { cancel(); wg.Wait() }()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			got, err := app.App.Leads.Get(ctx, actor, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Assignee != nil {
				if got.Assignee.Login != "adv1" || got.Status != leads.StatusAssigned {
					t.Errorf("assigned to %s (%s), want adv1", got.Assignee.Login, got.Status)
				}
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("the waiting lead was not assigned by the job")
	})
}
