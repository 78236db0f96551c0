package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/report"
)

func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report DIR",
		Short: "Draw the plots and write report.md for a finished run, comparison or collected sweep folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := interruptible()
			defer stop()
			return writeReport(ctx, cmd.OutOrStdout(), args[0])
		},
	}
}

// writeReport draws a run folder's figures and report.md and says where; a
// cancelled ctx stops it before the next figure, as an interruption.
func writeReport(ctx context.Context, w io.Writer, dir string) error {
	sum, err := report.WriteContext(ctx, dir)
	if err != nil {
		return train.Interrupted(ctx, err)
	}
	fmt.Fprintf(w, "report: %s (%d figures", sum.Report, len(sum.Figures))
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(w, ", %d not drawn: see the report", len(sum.Skipped))
	}
	fmt.Fprintln(w, ")")
	return nil
}
