package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"selfconsume/train/report"
)

func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report DIR",
		Short: "Draw the plots and write report.md for a finished run, comparison or collected sweep folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeReport(cmd.OutOrStdout(), args[0])
		},
	}
}

// writeReport draws a run folder's figures and report.md and says where.
func writeReport(w io.Writer, dir string) error {
	sum, err := report.Write(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "report: %s (%d figures", sum.Report, len(sum.Figures))
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(w, ", %d not drawn: see the report", len(sum.Skipped))
	}
	fmt.Fprintln(w, ")")
	return nil
}
