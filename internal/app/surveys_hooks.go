package app

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// SurveysSendJob is the kind of the job that, every minute, sends the
// satisfaction surveys due and expires the answer links past their date.
const SurveysSendJob = "surveys.send_due"

// wireSurveys subscribes the satisfaction surveys to the exchanges that
// trigger them — a call or meeting stored in the history, a desk request
// closed — each scheduled in its cause's transaction, and schedules the
// job that sends them.
func (a *App) wireSurveys() {
	a.History.OnStored.Subscribe(func(ctx context.Context, tx *db.Tx, items []history.StoredInteraction) error {
		in := make([]surveys.Interaction, 0, len(items))
		for _, it := range items {
			in = append(in, surveys.Interaction{ID: it.InteractionID, Channel: it.Channel, Direction: it.Direction,
				Outcome: it.Outcome, AgentID: it.AgentID, At: it.At, PartyIDs: it.PartyIDs})
		}
		return a.Surveys.InteractionsStoredTx(ctx, tx, in)
	})
	a.Desk.OnClosed.Subscribe(func(ctx context.Context, tx *db.Tx, c desk.Closed) error {
		return a.Surveys.RequestClosedTx(ctx, tx, surveys.RequestClosed{RequestID: c.RequestID, UnitID: c.UnitID,
			PartyID: c.PartyID, AgentID: c.AgentID, ClosedAt: c.ClosedAt})
	})
	a.SchedulePeriodic(SurveysSendJob, time.Minute, func(ctx context.Context) error {
		n, err := a.Surveys.SendDue(ctx)
		if n > 0 {
			a.Logger.Info("satisfaction surveys sent", "surveys", n)
		}
		return err
	})
}
