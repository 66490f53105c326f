package app

import (
	"context"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/leads"
)

// wireLeadActivities subscribes the leads to what answers them: a desk
// reply sent on a request associated with a lead, a task associated with
// one completed, a call or meeting of the lead's party stored in the
// history. Each is recorded in its cause's transaction.
func (a *App) wireLeadActivities() {
	a.Desk.OnReplySent.Subscribe(func(ctx context.Context, tx *db.Tx, r desk.ReplySent) error {
		return a.Leads.RecordReplyTx(ctx, tx, r.LeadID, r.MessageID, r.AgentID, r.Automatic, r.SentAt)
	})
	a.Cases.OnTaskCompleted.Subscribe(func(ctx context.Context, tx *db.Tx, t cases.TaskCompleted) error {
		return a.Leads.RecordTaskTx(ctx, tx, t.LeadID, t.TaskID, t.Kind, t.AgentID, t.DoneAt)
	})
	a.History.OnStored.Subscribe(func(ctx context.Context, tx *db.Tx, items []history.StoredInteraction) error {
		in := make([]leads.Interaction, len(items))
		for i, it := range items {
			in[i] = leads.Interaction{ID: it.InteractionID, Source: it.Source, Channel: it.Channel,
				Direction: it.Direction, Outcome: it.Outcome, AgentID: it.AgentID, At: it.At, PartyIDs: it.PartyIDs}
		}
		return a.Leads.RecordInteractionsTx(ctx, tx, in)
	})
}
