package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/surveys"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// TestAnAnsweredCallIsSurveyedByTheMinuteJob: a call stored in the history
// schedules the campaign's survey (the history hook), and the background's
// periodic job sends it once due.
func TestAnAnsweredCallIsSurveyedByTheMinuteJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := webtest.New(t, d)
		ctx, sys := context.Background(), core.System()
		if _, err := d.Exec(ctx, "UPDATE parties SET consent_email = ? WHERE id = ?", true, app.P1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := app.App.Surveys.CreateCampaign(ctx, sys, surveys.CampaignInput{EstablishmentCode: "BR", Code: "calls",
			Name: "Après un appel", Active: true, Triggers: []string{surveys.TriggerCall}, Channel: surveys.ChannelEmail,
			Scale: surveys.Scale5, Texts: map[string]surveys.Texts{"fr": {Subject: "Votre avis", Question: "Satisfait ?"}}}); err != nil {
			t.Fatal(err)
		}
		res, err := app.History.Ingest(ctx, sys, []history.Item{{Source: "telephony", ExternalID: "c-1", Channel: "phone",
			Direction: "inbound", Outcome: "answered", Agent: "adv1", PartyID: app.P1.ID,
			OccurredAt: app.App.Clock.Now().Format(time.RFC3339)}})
		if err != nil || res[0].Status != history.Stored {
			t.Fatalf("%+v %v", res, err)
		}
		bg, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); app.App.RunBackground(bg) }()
		defer func() { cancel(); wg.Wait() }()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			var status string
			if err := d.QueryRow(ctx, "SELECT status FROM surveys WHERE interaction_id = ?", res[0].InteractionID).Scan(&status); err != nil {
				t.Fatal(err)
			}
			if status == surveys.StatusSent {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the survey was not sent by the minute job")
	})
}
