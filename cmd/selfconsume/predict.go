package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"selfconsume/train"
)

func newPredictCmd() *cobra.Command {
	var c common
	var out, curator string
	cmd := &cobra.Command{
		Use:   "predict CONFIG",
		Short: "Analytic trajectory, fixed point, convergence rate and influence of an experiment",
		Long: `predict fits the experiment's reward models and generation-0 models (as run does), then runs the
population-level map of the same loop from those tables: trajectory, fixed point, spectral radius,
contraction condition, and with theory.knob.model the self- and cross-influence of curation.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := c.load(args[0])
			if err != nil {
				return err
			}
			if curator != train.CuratorLearned && curator != train.CuratorTrue {
				return fmt.Errorf("--curator %q: allowed: learned, true", curator)
			}
			if out == "" {
				out = defaultOut(cfg.Name + "-predict")
			}
			ctx, stop := interruptible()
			defer stop()
			p, ts, err := train.PredictExperiment(ctx, cfg, out, curator)
			if err != nil {
				return err
			}
			printPrediction(cmd.OutOrStdout(), cfg, p, ts)
			fmt.Fprintf(cmd.OutOrStdout(), "written to %s\n", out)
			return nil
		},
	}
	c.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "output folder (default runs/NAME-predict-TIMESTAMP)")
	cmd.Flags().StringVar(&curator, "curator", train.CuratorLearned, "curator in the map: learned (the reward models, as in the run) or true (the true rewards)")
	return cmd
}

// printPrediction prints the fixed point's J matrix, the convergence numbers
// and the influence table.
func printPrediction(w io.Writer, cfg train.Config, p *train.Prediction, ts train.TheorySummary) {
	fmt.Fprintf(w, "%s: analytic map, curator %s\n", cfg.Name, p.Curator)
	if p.FixedErr != nil {
		fmt.Fprintf(w, "fixed point: not found (%v)\n", p.FixedErr)
	} else {
		fmt.Fprintf(w, "fixed point: residual %.2g after %d iterations and %d Newton steps\n", p.Fixed.Residual, p.Fixed.Iterations, p.Fixed.NewtonSteps)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		pops := make([]string, len(cfg.Populations))
		for a, pop := range cfg.Populations {
			pops[a] = "J/" + pop.Name
		}
		fmt.Fprintf(tw, "model\tcurated by\t%s\t\n", strings.Join(pops, "\t"))
		for i, m := range cfg.Models {
			fmt.Fprintf(tw, "%s\t%s", m.Name, m.Population)
			for a := range cfg.Populations {
				fmt.Fprintf(tw, "\t%.4f", p.Fixed.J[i][a])
			}
			fmt.Fprint(tw, "\t\n")
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "spectral radius %.4f: distance to p* shrinks by %g in %.1f generations\n", p.Rho(), p.Tol, p.GenerationsToTol())
	if len(p.Components) > 1 {
		for _, c := range p.Components {
			fmt.Fprintf(w, "  models %s: spectral radius %.4f\n", strings.Join(c.Models, ", "), c.Rho)
		}
	}
	fmt.Fprintf(w, "contraction condition: %s (bound %.3g, lower bound %.3g)\n", ts.Contraction.Verdict, ts.Contraction.Bound, ts.Contraction.BoundLower)
	if p.InfluenceErr != nil {
		fmt.Fprintf(w, "influence: %v\n", p.InfluenceErr)
	}
	if len(ts.Influence) > 0 {
		fmt.Fprintf(w, "influence of %s (d alignment / d lambda at the fixed point):\n", ts.Influence[0].Knob)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "model\tpopulation\ttotal\tisolated\tfinite diff.\tlabel\t\n")
		for _, in := range ts.Influence {
			fmt.Fprintf(tw, "%s\t%s\t%+.4f\t%+.4f\t%+.4f\t%s\t\n", in.Model, in.Population, in.Predicted, in.Isolated, in.FiniteDifference, in.Label)
		}
		tw.Flush()
	}
}
