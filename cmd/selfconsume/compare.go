package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/train/compare"
	"github.com/selfconsume/selfconsume/train/stats"
)

func newCompareCmd() *cobra.Command {
	var c common
	var out string
	var seeds, workers int
	var noReport bool
	cmd := &cobra.Command{
		Use:   "compare CONFIG",
		Short: "Run the loop over seeds and hold it against its prediction, with a verdict per check",
		Long: `compare runs the experiment for --seeds seeds (the real data and true rewards fixed, the
training randomness varied) through the sweep engine, each run with its own prediction from its
generation-0 models and learned curators. With theory.knob.model it also runs every seed at
lambda - delta and lambda + delta (common random numbers) to measure the influence of curation.
It writes comparison.csv, influence.csv and theory.json, prints every check as agree, disagree
or unresolved (paired t-tests over the seeds, Holm-adjusted over all checks at family-wise 5%;
a sign is resolved only when its interval excludes 0), and ends with how many agree.
Running it again on the same --out continues an interrupted comparison.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := flagRange("--seeds", seeds, 1, maxSeeds); err != nil {
				return err
			}
			if err := flagRange("--workers", workers, 0, maxWorkers); err != nil {
				return err
			}
			r, err := c.resolve(args[0])
			if err != nil {
				return err
			}
			if out == "" {
				out = defaultOut(r.Config.Name + "-compare")
			}
			ctx, stop := interruptible()
			defer stop()
			// the runs see the environment's overrides as --set ones
			sets := append(slices.Clone(r.EnvSets), c.sets...)
			res, err := compare.Run(ctx, args[0], sets, out, compare.Options{Seeds: seeds, Workers: workers, Observe: cellBar(c.progress(), "runs")})
			if err != nil {
				return err
			}
			printComparison(cmd.OutOrStdout(), res)
			if noReport {
				return nil
			}
			return writeReport(ctx, cmd.OutOrStdout(), out)
		},
	}
	c.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "comparison folder (default runs/NAME-compare-TIMESTAMP); an existing one is continued")
	cmd.Flags().IntVar(&seeds, "seeds", 8, "seeds (training randomness; the world is fixed)")
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (0: one per CPU)")
	cmd.Flags().BoolVar(&noReport, "no-report", false, "skip the plots and report.md")
	return cmd
}

// printComparison prints the final rewards against the prediction, the
// convergence, the influence and the checks.
func printComparison(w io.Writer, r *compare.Result) {
	cfg := r.Config
	fmt.Fprintf(w, "%s: %d seeds, %d generations, averages after generation %d\n", cfg.Name, r.Seeds, cfg.Generations, r.BurnIn)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "model\tmetric\tmeasured (gen %d)\t95%% CI\tpredicted\tabs. error\tsd\tsd around prediction\tpredicted sd\t\n", cfg.Generations)
	for _, c := range r.Comparison {
		if c.Generation == cfg.Generations && len(c.Metric) > 7 && c.Metric[:7] == "reward/" {
			fmt.Fprintf(tw, "%s\t%s\t%.4f\t[%.4f, %.4f]\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n", c.Model, c.Metric, c.Mean, c.CILow, c.CIHigh, c.Predicted, c.AbsError,
				c.SD, c.DiffSD, c.PredictedSD)
		}
	}
	tw.Flush()
	fmt.Fprintln(w, r.ConvergenceLine())
	if len(r.Influence) > 0 {
		fmt.Fprintf(w, "influence of model %s's curated share (delta %g):\n", cfg.Theory.Knob.Model, cfg.Theory.Delta)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "model\tpredicted\tlabel\tmeasured\t95%% CI\tmeasured label\tsign\tmeasured = predicted\t\n")
		for _, in := range r.Influence {
			fmt.Fprintf(tw, "%s\t%+.4f\t%s\t%+.4f\t+-%.4f\t%s\t%s\t%s\t\n", in.Model, in.Predicted, in.Label, in.Measured, in.Half,
				in.MeasuredLabel, dash(in.SignVerdict), dash(in.InsideVerdict))
		}
		tw.Flush()
	}
	for _, m := range r.Merged {
		fmt.Fprintf(w, "merged: %s, so reward/%s's level checks repeat reward/%s's and are left out\n",
			m.Describe(cfg), cfg.Populations[m.Pop].Name, cfg.Populations[m.Of].Name)
	}
	tests := "t-tests"
	if slices.ContainsFunc(r.Checks, func(c compare.Check) bool { return c.Kind == compare.CheckSpread }) {
		tests += " and chi-square tests of spread"
	}
	fmt.Fprintf(w, "checks (%s over %d seeds, Holm-adjusted over the %d whose values vary over seeds):\n", tests, r.Seeds, r.Family)
	for _, c := range r.Checks {
		mark := c.Verdict
		if c.Verdict == stats.Disagree {
			mark = "DISAGREE"
		}
		fmt.Fprintf(w, "  %-10s  %s: %s\n", mark, c.What, c.Detail)
	}
	fmt.Fprintln(w, r.Summary())
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
