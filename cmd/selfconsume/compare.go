package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"selfconsume/train"
	"selfconsume/train/compare"
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
It writes comparison.csv, influence.csv and theory.json, and ends with how many checks agree.
Running it again on the same --out continues an interrupted comparison.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := c.load(args[0])
			if err != nil {
				return err
			}
			if out == "" {
				out = defaultOut(cfg.Name + "-compare")
			}
			ctx, stop := interruptible()
			defer stop()
			res, err := compare.Run(ctx, args[0], c.sets, out, compare.Options{Seeds: seeds, Workers: workers, Progress: c.progress()})
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
	fmt.Fprintf(tw, "model\tmetric\tmeasured (gen %d)\t95%% CI\tpredicted\tabs. error\t\n", cfg.Generations)
	for _, c := range r.Comparison {
		if c.Generation == cfg.Generations && len(c.Metric) > 7 && c.Metric[:7] == "reward/" {
			fmt.Fprintf(tw, "%s\t%s\t%.4f\t[%.4f, %.4f]\t%.4f\t%.4f\t\n", c.Model, c.Metric, c.Mean, c.CILow, c.CIHigh, c.Predicted, c.AbsError)
		}
	}
	tw.Flush()
	obs := "not reached"
	if !math.IsNaN(r.ObservedGen) {
		obs = fmt.Sprintf("generation %.0f", r.ObservedGen)
	}
	obs += fmt.Sprintf(" (noise floor after burn-in %.3g)", r.NoiseFloor)
	if !slices.ContainsFunc(r.Comparison, func(c train.ComparisonRow) bool { return c.Metric == "tv_prev" }) {
		obs = "not measured (no tv_prev: metrics " + cfg.Metrics + ")"
	}
	pred := "not within the predicted trajectory"
	if g := float64(r.Theory.PredictedConvergence); !math.IsNaN(g) {
		pred = fmt.Sprintf("generation %.1f", g)
	}
	fmt.Fprintf(w, "convergence (tv_prev < %g): observed %s; predicted %s; rho %.4f: %.0f generations to shrink by %g\n",
		cfg.Theory.Tol, obs, pred, float64(r.Theory.SpectralRadius), float64(r.Theory.GenerationsToTol), cfg.Theory.Tol)
	if len(r.Influence) > 0 {
		fmt.Fprintf(w, "influence of model %s's curated share (delta %g):\n", cfg.Theory.Knob.Model, cfg.Theory.Delta)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "model\tpredicted\tlabel\tmeasured\t95%% CI\tsign\tinside\t\n")
		for _, in := range r.Influence {
			fmt.Fprintf(tw, "%s\t%+.4f\t%s\t%+.4f\t+-%.4f\t%v\t%v\t\n", in.Model, in.Predicted, in.Label, in.Measured, in.Half, yes(in.SignAgrees), yes(in.Inside))
		}
		tw.Flush()
	}
	for _, c := range r.Checks {
		mark := "agrees   "
		if !c.Agrees {
			mark = "DISAGREES"
		}
		fmt.Fprintf(w, "  %s  %s: %s\n", mark, c.What, c.Detail)
	}
	fmt.Fprintf(w, "%d of %d checks agree\n", r.Agreeing(), len(r.Checks))
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
