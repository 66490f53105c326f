package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/history"
)

func newRetentionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "retention",
		Short: "Run the day's retention of the contact history once and print what it purged",
		Long: `Purge what the retention of each establishment no longer keeps: inline images,
attachments and bodies past their durations, and interactions past the subject's.

"rapport serve" runs the same job every day. A run that finished today is not
redone (its counts are printed again); one interrupted today is resumed.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd.Context(), func(a *app) error {
				run, err := a.History.Retain(cmd.Context(), loadConfig().logger())
				if err != nil {
					return err
				}
				printRetention(cmd.OutOrStdout(), run)
				return nil
			})
		},
	}
}

// printRetention writes a run's counts, one line per source.
func printRetention(w io.Writer, run history.RetentionRun) {
	switch {
	case run.AlreadyDone:
		fmt.Fprintf(w, "retention of %s already done at %s\n", run.Day, run.FinishedAt.Format(time.RFC3339))
	case run.Resumed:
		fmt.Fprintf(w, "retention of %s resumed and finished\n", run.Day)
	default:
		fmt.Fprintf(w, "retention of %s finished\n", run.Day)
	}
	for _, src := range slices.Sorted(maps.Keys(run.Purged)) {
		fmt.Fprintf(w, "  %-16s", src)
		for _, kind := range history.PurgedKinds {
			fmt.Fprintf(w, " %s %d", kind, run.Purged[src][kind])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  total            %d\n", run.Purged.Total())
}

// retainDaily runs the retention job first after first, then at every
// tick of every until ctx ends. A day's finished run is not redone, so
// ticking hourly purges once a day, soon after midnight (UTC), and takes up
// a run a crash interrupted within the hour.
func retainDaily(ctx context.Context, logger *slog.Logger, h *history.Store, first, every time.Duration) {
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if _, err := h.Retain(ctx, logger); err != nil && ctx.Err() == nil {
			logger.Error("retention run failed; it resumes at the next tick", "err", err)
		}
		timer.Reset(every)
	}
}
