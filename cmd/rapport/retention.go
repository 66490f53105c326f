package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapport-crm/rapport/internal/app"
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
			return withApp(cmd.Context(), func(a *app.App) error {
				run, err := a.History.Retain(cmd.Context(), a.Logger)
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
