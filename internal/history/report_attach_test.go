package history

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// push ingests one item as the fixture's integration and returns its id.
func (f *fixture) push(t *testing.T, it Item) string {
	t.Helper()
	res, err := f.store.Ingest(context.Background(), f.integration, []Item{it})
	if err != nil || res[0].Status != Stored {
		t.Fatalf("push %s: %+v %v", it.ExternalID, res, err)
	}
	return res[0].InteractionID
}

func TestAnOrphanIsNeverSuggestedAnAutomatedMessageALetterOrANotification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		f.push(t, Item{Source: "sms", ExternalID: "reminder", Channel: "sms", Direction: DirectionOutbound,
			OccurredAt: on(9, 0).Format(time.RFC3339), To: []string{"06 12 34 56 78"}, Subject: "Rappel de rendez-vous"})
		f.push(t, Item{Source: "notification", ExternalID: "n1", Channel: "notification", Direction: DirectionOutbound,
			OccurredAt: on(9, 30).Format(time.RFC3339), PartyID: f.helene.ID, Category: "appointment", Agent: "jmartin"})
		f.push(t, Item{Source: "letter", ExternalID: "l1", Channel: "letter", Direction: DirectionOutbound,
			OccurredAt: on(8, 0).Format(time.RFC3339), PartyID: f.helene.ID, LetterType: "PND", Agent: "jmartin"})
		r := f.report(t, julie, f.helene, "phone", "outbound", on(10, 0))
		if r.Status != Orphan || len(r.Suggestions) != 0 {
			t.Errorf("report %s with suggestions %+v: nothing a person took part in, so none", r.Status, r.Suggestions)
		}
	})
}

func TestSuggestionsComeClosestFirstAndAttachingChangesOnlyWhatWasShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		far := f.call(t, "far", "inbound", "06 12 34 56 78", on(8, 0), 120)
		near := f.call(t, "near", "inbound", "06 12 34 56 78", on(11, 0), 120)
		r := f.report(t, julie, f.helene, "phone", "outbound", on(11, 30))
		if r.Status != Orphan || len(r.Suggestions) != 2 || r.Suggestions[0].InteractionID != near || r.Suggestions[1].InteractionID != far {
			t.Fatalf("suggestions %+v, want the 11:00 call before the 8:00 one", r.Suggestions)
		}
		// Reading the orphans changes nothing.
		if _, err := f.store.Orphans(ctx, julie, "", 50); err != nil {
			t.Fatal(err)
		}
		if again, _ := f.store.Report(ctx, julie, r.ID); again.Initiative != "outbound" || again.Status != Orphan {
			t.Fatalf("listing the orphans changed the report: %+v", again)
		}
		// The agent picks the earlier call, not the one the rule would pick.
		got, err := f.store.AttachReport(ctx, julie, r.ID, far, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != Reconciled || got.InteractionID != far || got.Initiative != "inbound" || got.Medium != "phone" ||
			got.Comment != r.Comment || got.Reason != r.Reason {
			t.Errorf("attached %+v: want on the 8:00 call, initiative inbound, the rest as written", got)
		}
		for _, l := range f.lines(t, f.helene) {
			if l.Report != nil && l.ID != far {
				t.Errorf("the report shows on %s, not the chosen call", l.ID)
			}
		}
		// A stale page, or an exchange that is no suggestion, is refused.
		if _, err := f.store.AttachReport(ctx, julie, r.ID, near, r.Version); core.ErrorCode(err) != core.Conflict &&
			core.ErrorCode(err) != core.NotFound {
			t.Errorf("attaching again from a stale page: %v", err)
		}
		other := f.report(t, f.author(t, d, "jmartin"), f.zoe, "email", "inbound", on(11, 30))
		if _, err := f.store.AttachReport(ctx, julie, other.ID, near, other.Version); core.ErrorCode(err) != core.NotFound {
			t.Errorf("attaching Zoé's report to Hélène's call: %v", err)
		}
	})
}

func TestAVoicemailIsOnlyAttachedWhenTheAgentChoosesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		secs := 40
		vm := f.push(t, Item{Source: "telephony", ExternalID: "vm", Channel: "phone", Direction: DirectionInbound, Agent: "jmartin",
			OccurredAt: on(9, 0).Format(time.RFC3339), From: "06 12 34 56 78", Outcome: "voicemail", DurationSeconds: &secs})
		r := f.report(t, julie, f.helene, "phone", "inbound", on(9, 10))
		if r.Status != Orphan || len(r.Suggestions) != 1 || r.Suggestions[0].InteractionID != vm || r.Suggestions[0].Outcome != "voicemail" {
			t.Fatalf("report %s, suggestions %+v: the voicemail is offered, not taken", r.Status, r.Suggestions)
		}
		if _, err := f.store.AttachReport(ctx, julie, r.ID, vm, r.Version); err != nil {
			t.Fatal(err)
		}
		// Another voicemail the same day does not undo the agent's choice.
		f.push(t, Item{Source: "telephony", ExternalID: "vm2", Channel: "phone", Direction: DirectionInbound, Agent: "jmartin",
			OccurredAt: on(16, 0).Format(time.RFC3339), From: "06 12 34 56 78", Outcome: "voicemail", DurationSeconds: &secs})
		if got, _ := f.store.Report(ctx, julie, r.ID); got.Status != Reconciled || got.InteractionID != vm {
			t.Errorf("after a second voicemail the report is %s on %s, want still on the chosen one", got.Status, got.InteractionID)
		}
	})
}
