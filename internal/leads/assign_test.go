package leads_test

import (
	"errors"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestAReassignmentTellsTheNewAgentOnceWithThePreviousOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		l := f.create(t, input("R-1")) // to adv1
		before := len(f.told())
		got, err := f.Leads.Assign(f.ctx, f.Admin, l.ID, "adv1c")
		if err != nil || assigneeOf(got) != "adv1c" || got.AssignedBy != leads.AssignedManual || got.Status != leads.StatusAssigned {
			t.Fatalf("reassign: %q by %q, %v", assigneeOf(got), got.AssignedBy, err)
		}
		told := f.told()[before:]
		if len(told) != 1 || told[0].Lead.ID != l.ID || told[0].Previous != l.Assignee.ID || told[0].By == nil ||
			told[0].By.Login != "admin" || told[0].AgentID != got.Assignee.ID {
			t.Fatalf("told %+v, want one reassignment from adv1 by admin", told)
		}
		// To the agent who has it: nothing changes, nobody is alerted.
		again, err := f.Leads.Assign(f.ctx, f.Admin, l.ID, "adv1c")
		if err != nil || assigneeOf(again) != "adv1c" || !again.UpdatedAt.Equal(got.UpdatedAt) {
			t.Errorf("the same agent again: %q, %v", assigneeOf(again), err)
		}
		if n := len(f.told()); n != before+1 {
			t.Errorf("%d assignments told, want %d", n, before+1)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.reassign' AND object_id = ?", l.ID); n != 1 {
			t.Errorf("%d reassignments audited, want 1", n)
		}
		// The round-robin's turn is not moved by a manager.
		if next := f.create(t, input("R-2")); assigneeOf(next) != "adv1b" {
			t.Errorf("next turn %q, want adv1b", assigneeOf(next))
		}
	})
}

func TestALeadIsReassignedOnlyToAnActiveAgentWhoWorksLeadsOfItsUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		l := f.create(t, input("R-1"))
		inactive := false
		if _, err := f.Orgs.UpdateAgent(f.ctx, core.System(), "adv1b", org.AgentUpdate{Active: &inactive}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ login, reason string }{
			{"nobody", "unknown_agent"},
			{"adv1b", "agent_deactivated"},
			{"viewer", "agent_without_leads"},
			{"adv2", "agent_outside_unit"},
			{"", "required"},
		} {
			_, err := f.Leads.Assign(f.ctx, f.Admin, l.ID, c.login)
			var e *core.Error
			if !errors.As(err, &e) || e.Fields["agent"].Code != c.reason {
				t.Errorf("to %q: %v, want %s", c.login, err, c.reason)
			}
		}
		if _, err := f.Leads.Assign(f.ctx, f.actor(t, "adv1"), l.ID, "adv1b"); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor reassigns: %v, want forbidden", err)
		}
		if got, _ := f.Leads.Get(f.ctx, f.Admin, l.ID); assigneeOf(got) != "adv1" {
			t.Errorf("assignee %q after refusals, want adv1", assigneeOf(got))
		}
		if n := len(f.told()); n != 1 {
			t.Errorf("%d assignments told, want only the first", n)
		}
	})
}

func TestLeadsOutsideTheActorsScopeAreNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.Leads.SaveRules(f.ctx, f.Admin, "BR", []leads.RuleInput{{Source: "lyon", UnitCode: "A2"}, {UnitCode: "A1"}}); err != nil {
			t.Fatal(err)
		}
		inA1 := f.create(t, input("S-1"))
		lyon := input("S-2")
		lyon.Source = "lyon"
		inA2 := f.create(t, lyon)
		adv2, mgr2 := f.actor(t, "adv2"), f.actor(t, "mgr2")
		if _, err := f.Leads.Get(f.ctx, adv2, inA1.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("adv2 reads A1's lead: %v, want not found", err)
		}
		if got, err := f.Leads.Get(f.ctx, adv2, inA2.ID); err != nil || got.ID != inA2.ID || assigneeOf(got) != "adv2" {
			t.Errorf("adv2 reads A2's lead: %v", err)
		}
		page, err := f.Leads.List(f.ctx, adv2, leads.Filter{})
		if err != nil || len(page.Leads) != 1 || page.Leads[0].ID != inA2.ID {
			t.Errorf("adv2's list: %+v %v", page.Leads, err)
		}
		if _, err := f.Leads.Assign(f.ctx, mgr2, inA1.ID, "adv2"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("A2's manager reassigns A1's lead: %v, want not found", err)
		}
		if got, err := f.Leads.Assign(f.ctx, mgr2, inA2.ID, "mgr2"); err != nil || assigneeOf(got) != "mgr2" {
			t.Errorf("A2's manager reassigns A2's lead: %v", err)
		}
		if _, err := f.Leads.Get(f.ctx, f.actor(t, "viewer"), inA1.ID); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("the viewer (no lead.work): %v, want forbidden", err)
		}
	})
}

func TestTheListFiltersAndPagesNewestReceivedFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		var ids []string
		for i := range 5 {
			ids = append(ids, f.create(t, input(ext(i))).ID)
			f.Clock.Advance(60_000_000_000)
		}
		var seen []string
		cursor := ""
		for {
			page, err := f.Leads.List(f.ctx, f.Admin, leads.Filter{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range page.Leads {
				seen = append(seen, l.ID)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
			t.Errorf("pages %v, want the 5 newest first", seen)
		}
		mine, err := f.Leads.List(f.ctx, f.Admin, leads.Filter{AssigneeLogin: "adv1b"})
		if err != nil || len(mine.Leads) != 2 {
			t.Errorf("adv1b's leads: %d, %v", len(mine.Leads), err)
		}
		waiting, err := f.Leads.List(f.ctx, f.Admin, leads.Filter{Status: leads.StatusNew})
		if err != nil || len(waiting.Leads) != 0 {
			t.Errorf("waiting: %d, %v", len(waiting.Leads), err)
		}
		if _, err := f.Leads.List(f.ctx, f.Admin, leads.Filter{Status: "lost"}); core.ErrorCode(err) != core.Invalid {
			t.Errorf("an unknown status: %v", err)
		}
		if _, err := f.Leads.List(f.ctx, f.Admin, leads.Filter{Cursor: "garbage"}); core.ErrorCode(err) != core.BadRequest {
			t.Errorf("a bad cursor: %v", err)
		}
	})
}

func TestAbsencesAreManagedByAnAdministratorOrTheAgentsManager(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		now := f.Clock.Now()
		in := leads.AbsenceInput{StartsAt: now, EndsAt: now.Add(8 * 3600_000_000_000), Note: "Congé"}
		mgr2 := f.actor(t, "mgr2")
		b, err := f.Leads.AddAbsence(f.ctx, mgr2, "adv2", in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Leads.AddAbsence(f.ctx, mgr2, "adv1", in); core.ErrorCode(err) != core.NotFound {
			t.Errorf("A2's manager, an agent of A1: %v, want not found", err)
		}
		if _, err := f.Leads.AddAbsence(f.ctx, f.actor(t, "adv2"), "adv2", in); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor: %v, want forbidden", err)
		}
		bad := in
		bad.EndsAt = in.StartsAt
		if _, err := f.Leads.AddAbsence(f.ctx, mgr2, "adv2", bad); err == nil || err.(*core.Error).Fields["ends_at"].Code != "ends_after_start" {
			t.Errorf("ends at its start: %v", err)
		}
		list, err := f.Leads.Absences(f.ctx, f.Admin, "adv2")
		if err != nil || len(list) != 1 || list[0].ID != b.ID || list[0].Note != "Congé" || !list[0].EndsAt.Equal(in.EndsAt) {
			t.Errorf("absences %+v %v", list, err)
		}
		if err := f.Leads.RemoveAbsence(f.ctx, f.actor(t, "adv1"), b.ID); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor removes: %v", err)
		}
		if err := f.Leads.RemoveAbsence(f.ctx, mgr2, b.ID); err != nil {
			t.Errorf("remove: %v", err)
		}
		if err := f.Leads.RemoveAbsence(f.ctx, mgr2, b.ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("remove again: %v", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'agent.absence_%'"); n != 2 {
			t.Errorf("%d absence audit entries, want 2", n)
		}
	})
}
