package apiclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/examples/apiclient"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// TestTheGeneratedClientPushesACallAndReadsItInTheTimeline runs the client
// generated from the OpenAPI document against a real server: an integration
// pushes a call for a customer, then reads the customer's timeline.
func TestTheGeneratedClientPushesACallAndReadsItInTheTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		server := webtest.New(t, d)
		ctx := context.Background()
		bearer := func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+server.Tokens["admin"])
			return nil
		}
		client, err := apiclient.NewClientWithResponses(server.Server.URL+"/api/v1", apiclient.WithRequestEditorFn(bearer))
		if err != nil {
			t.Fatal(err)
		}

		// Push one call, named by the customer's phone number.
		subject, from, duration := "Question sur un virement", "+33612345678", int64(240)
		var batch apiclient.IngestInteractionsJSONBody
		if err := batch.FromItem(apiclient.Item{Source: "telephony", ExternalId: "call-1", Channel: "phone",
			Direction: "inbound", OccurredAt: "2026-11-20T10:15:00+01:00", From: &from, Subject: &subject,
			DurationSeconds: &duration}); err != nil {
			t.Fatal(err)
		}
		// The body is one item or a batch (a oneOf): the generated union type
		// marshals itself, and is sent as is.
		payload, err := json.Marshal(batch)
		if err != nil {
			t.Fatal(err)
		}
		pushed, err := client.IngestInteractionsWithBodyWithResponse(ctx, nil, "application/json", bytes.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		if pushed.JSON200 == nil || pushed.JSON200.Items == nil || len(*pushed.JSON200.Items) != 1 {
			t.Fatalf("push: %d %s", pushed.StatusCode(), pushed.Body)
		}
		if got := (*pushed.JSON200.Items)[0]; got.Status != "stored" {
			t.Fatalf("push: item %s, want stored (%s)", got.Status, pushed.Body)
		}

		// Read Hélène Dupré's timeline: the call is there, without a report
		// and with no agent (the report and the agent are null in JSON).
		timeline, err := client.PartyTimelineWithResponse(ctx, server.P1.ID, &apiclient.PartyTimelineParams{})
		if err != nil {
			t.Fatal(err)
		}
		if timeline.JSON200 == nil {
			t.Fatalf("timeline: %d %s", timeline.StatusCode(), timeline.Body)
		}
		var found bool
		if timeline.JSON200.Items == nil {
			t.Fatalf("timeline without items: %s", timeline.Body)
		}
		for _, e := range *timeline.JSON200.Items {
			if e.Channel == "phone" && e.Subject != nil && *e.Subject == subject {
				found = true
				if e.Report != nil || e.Agent != nil {
					t.Errorf("the call has a report %v or an agent %v, want neither", e.Report, e.Agent)
				}
			}
		}
		if !found {
			t.Errorf("the pushed call is not in the timeline: %s", timeline.Body)
		}

		// Without a token, the generated client reads the error envelope.
		anonymous, err := apiclient.NewClientWithResponses(server.Server.URL + "/api/v1")
		if err != nil {
			t.Fatal(err)
		}
		refused, err := anonymous.PartyTimelineWithResponse(ctx, server.P1.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if refused.JSON401 == nil || refused.JSON401.Error.Code != "unauthorized" {
			t.Errorf("without a token: %d %s, want 401 with the code unauthorized", refused.StatusCode(), refused.Body)
		}
	})
}
