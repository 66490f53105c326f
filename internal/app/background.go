package app

import (
	"context"

	"github.com/rapport-crm/rapport/internal/desk"
)

// RunBackground runs the application's background work until ctx ends:
// first the move of attachments still held in the database to the file
// store (resumable), then the durable job runner, with the periodic jobs
// registered by SchedulePeriodic (the hourly retention of the contact
// history and collection of files no attachment holds among them) and the
// outbox's deliveries; beside it, the desk's mailbox watchers. It returns once the runner has stopped cleanly
// (running handlers waited for, or given back).
func (a *App) RunBackground(ctx context.Context) {
	if n, err := a.History.MoveAttachmentsToFiles(ctx); err != nil && ctx.Err() == nil {
		a.Logger.Error("moving attachments to the file store failed; it resumes at the next start", "err", err)
	} else if n > 0 {
		a.Logger.Info("attachments moved to the file store", "files", n)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Desk.RunMailboxes(ctx, desk.WatchOptions{})
	}()
	a.Jobs.Run(ctx)
	<-done
}
