package app

import (
	"context"
	"time"
)

// RunBackground runs the application's periodic work until ctx ends:
// first the move of attachments still held in the database to the file
// store (resumable), then, a minute after start and hourly, the daily
// retention of the contact history (a day's finished run is not redone,
// so it purges once a day, soon after midnight UTC, and takes up a run a
// crash interrupted within the hour) and the collection of files no
// attachment holds.
func (a *App) RunBackground(ctx context.Context) {
	if n, err := a.History.MoveAttachmentsToFiles(ctx); err != nil && ctx.Err() == nil {
		a.Logger.Error("moving attachments to the file store failed; it resumes at the next start", "err", err)
	} else if n > 0 {
		a.Logger.Info("attachments moved to the file store", "files", n)
	}
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if _, err := a.History.Retain(ctx, a.Logger); err != nil && ctx.Err() == nil {
			a.Logger.Error("retention run failed; it resumes at the next tick", "err", err)
		}
		if n, err := a.History.CollectFiles(ctx); err != nil && ctx.Err() == nil {
			a.Logger.Error("collecting unreferenced files failed", "err", err)
		} else if n > 0 {
			a.Logger.Info("unreferenced files collected", "files", n)
		}
		timer.Reset(time.Hour)
	}
}
