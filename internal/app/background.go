package app

import (
	"context"
)

// RunBackground runs the application's background work until ctx ends:
// the durable job runner, with the periodic jobs registered by
// SchedulePeriodic (the hourly retention of the contact history among
// them) and the outbox's deliveries. It returns once the runner has
// stopped cleanly (running handlers waited for, or given back).
func (a *App) RunBackground(ctx context.Context) {
	a.Jobs.Run(ctx)
}
