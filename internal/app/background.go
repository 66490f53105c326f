package app

import (
	"context"
	"time"
)

// RunBackground runs the application's periodic work until ctx ends: the
// daily retention of the contact history, first a minute after start,
// then hourly (a day's finished run is not redone, so it purges once a
// day, soon after midnight UTC, and takes up a run a crash interrupted
// within the hour).
func (a *App) RunBackground(ctx context.Context) {
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
		timer.Reset(time.Hour)
	}
}
