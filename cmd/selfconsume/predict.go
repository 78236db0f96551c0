package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime/pprof"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/theory"
)

func newPredictCmd() *cobra.Command {
	var c common
	var out, curator, from, cpuProfile string
	cmd := &cobra.Command{
		Use:   "predict CONFIG | predict --from RUNDIR",
		Short: "Analytic trajectory, fixed point, convergence rate and influence of an experiment",
		Long: `predict fits the experiment's reward models and generation-0 models (as run does), then runs the
population-level map of the same loop from those tables: trajectory, the fixed point it is attracted
to (with each model's stability), the generations it takes to get there along the map and by the
spectral radius, and with theory.knob.model the self- and cross-influence of curation. The global
contraction condition is written to theory.json.

With --from RUNDIR it trains nothing: it reads the run folder's config.yaml, its world files
(world_*.csv) and its generation-0 tables, and recomputes the run's theory.json, prediction.csv
and prediction_tables.csv (identical to the run's with the run's curator).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if curator != config.CuratorLearned && curator != config.CuratorTrue {
				return fmt.Errorf("--curator %q: allowed: learned, true", curator)
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			if from != "" {
				return predictFrom(cmd, args, c, from, out, curator)
			}
			if len(args) != 1 {
				return fmt.Errorf("predict needs a CONFIG, or --from RUNDIR")
			}
			cfg, err := c.load(args[0])
			if err != nil {
				return err
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
	cmd.Flags().StringVar(&curator, "curator", config.CuratorLearned, "curator in the map: learned (the reward models, as in the run) or true (the true rewards); with --from the default is the run's theory.curator")
	cmd.Flags().StringVar(&from, "from", "", "recompute the prediction of this run folder from its files, without training")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole command (generation-0 fits and theory) to this file (go tool pprof)")
	return cmd
}

// startCPUProfile starts a CPU profile written to path and returns the
// function that stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// predictFrom is predict --from RUNDIR.
func predictFrom(cmd *cobra.Command, args []string, c common, from, out, curator string) error {
	if len(args) > 0 || len(c.sets) > 0 {
		return fmt.Errorf("--from %s predicts with the run's own config.yaml: give no CONFIG and no --set", from)
	}
	if !cmd.Flags().Changed("curator") {
		curator = "" // the run's theory.curator
	}
	if out == "" {
		cfg, err := train.LoadRunConfig(from)
		if err != nil {
			return err
		}
		out = defaultOut(cfg.Name + "-predict")
	}
	ctx, stop := interruptible()
	defer stop()
	cfg, p, ts, err := train.PredictFromDir(ctx, from, out, curator)
	if err != nil {
		return err
	}
	printPrediction(cmd.OutOrStdout(), cfg, p, ts)
	fmt.Fprintf(cmd.OutOrStdout(), "written to %s\n", out)
	return nil
}

// printPrediction prints the fixed point's J matrix with each model's
// stability, the convergence numbers and the influence table.
func printPrediction(w io.Writer, cfg config.Config, p *train.Prediction, ts runfolder.Theory) {
	fmt.Fprintf(w, "%s: analytic map, curator %s\n", cfg.Name, p.Curator)
	if p.FixedErr != nil {
		fmt.Fprintf(w, "fixed point: not found (%v)\n", p.FixedErr)
	} else {
		printFixedPoint(w, cfg, p)
	}
	fmt.Fprintf(w, "generations for the distance to p* to shrink by %g (along the map from generation 0; asymptotic):\n", p.Tol)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "models\tspectral radius rho\talong the map\t%s\t\n", p.AsymptoticFormula())
	if len(p.Components) != 1 {
		fmt.Fprintf(tw, "all\t%.4f\t%s\t%s\t\n", p.Rho(), fmtGenerations(p.GenerationsMap, p.Accumulate), fmtAsymptotic(p.GenerationsToTol()))
	}
	for _, c := range p.Components {
		fmt.Fprintf(tw, "%s\t%.4f\t%s\t%s\t\n", strings.Join(c.Models, ", "), c.Rho, fmtGenerations(c.GenerationsMap, p.Accumulate), fmtAsymptotic(p.ComponentGenerationsToTol(c.Rho)))
	}
	tw.Flush()
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

// printFixedPoint prints the solve's counts and, per model, J at the fixed
// point and its stability; a model whose component is repelling gets no J
// (it is not a prediction) and a line saying what the solver found.
func printFixedPoint(w io.Writer, cfg config.Config, p *train.Prediction) {
	fp := p.Fixed
	fmt.Fprintf(w, "fixed point: residual %.2g after %d iterations and %d Newton steps", fp.Residual, fp.Iterations, fp.NewtonSteps)
	if fp.Rejected > 0 {
		fmt.Fprintf(w, " (%d rejected: left the simplex)", fp.Rejected)
	}
	fmt.Fprintln(w)
	for _, r := range fp.Left {
		fmt.Fprintf(w, "  restarted from a repelling fixed point (spectral radius %.4f)\n", r)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	pops := make([]string, len(cfg.Populations))
	for a, pop := range cfg.Populations {
		pops[a] = "J/" + pop.Name
	}
	fmt.Fprintf(tw, "model\tcurated by\t%s\tfixed point\t\n", strings.Join(pops, "\t"))
	var lost []string
	for i, m := range cfg.Models {
		fmt.Fprintf(tw, "%s\t%s", m.Name, m.Population)
		for a := range cfg.Populations {
			if p.Predicted(i) {
				fmt.Fprintf(tw, "\t%.4f", fp.J[i][a])
			} else {
				fmt.Fprint(tw, "\t-")
				lost = append(lost, fmt.Sprintf("%s J/%s %.4f", m.Name, cfg.Populations[a].Name, fp.J[i][a]))
			}
		}
		st := p.Stability(i)
		if theory.Boundary(fp.Emptied[i]) {
			st += fmt.Sprintf(" (%.3g of real mass lost)", fp.Emptied[i])
		}
		fmt.Fprintf(tw, "\t%s\t\n", st)
	}
	tw.Flush()
	if len(lost) > 0 {
		fmt.Fprintf(w, "no attracting fixed point found for some models; the repelling one found (%s) is not a prediction\n", strings.Join(lost, ", "))
	}
}

// fmtGenerations prints a generation count along the map, "never" for -1,
// and "not followed" under the accumulating regimes.
func fmtGenerations(g int, accumulate bool) string {
	switch {
	case accumulate:
		return "not followed" // the accumulating map's count (theory.AccumulateGenerationsTo)
	case g < 0:
		return "never"
	}
	return fmt.Sprint(g)
}

// fmtAsymptotic prints an asymptotic generation count: one decimal, or in
// exponent form when it is astronomically large (the accumulating regimes'
// power law).
func fmtAsymptotic(g float64) string {
	if g >= 1e6 && !math.IsInf(g, 1) {
		return fmt.Sprintf("%.3g", g)
	}
	return fmt.Sprintf("%.1f", g)
}
