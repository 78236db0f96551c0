package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/train"
)

func newRunCmd() *cobra.Command {
	var c common
	var out string
	var resume, noReport, dryRun bool
	cmd := &cobra.Command{
		Use:   "run CONFIG",
		Short: "Run a self-consuming experiment and write its run folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dryRun {
				return c.validate(cmd.OutOrStdout(), args[0])
			}
			cfg, err := c.load(args[0])
			if err != nil {
				return err
			}
			if out == "" {
				out = defaultOut(cfg.Name)
			}
			ctx, stop := interruptible()
			defer stop()
			start := time.Now()
			res, err := train.Run(ctx, cfg, train.Options{Out: out, Resume: resume, Observe: generationBar(c.progress())})
			if err != nil {
				if res != nil && res.Dir != "" {
					fmt.Fprintf(os.Stderr, "run folder %s keeps the last completed generation; continue with --resume --out %s\n", res.Dir, res.Dir)
				}
				return err
			}
			printSummary(cmd.OutOrStdout(), res, time.Since(start))
			if noReport {
				return nil
			}
			return writeReport(ctx, cmd.OutOrStdout(), res.Dir)
		},
	}
	c.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "run folder (default runs/NAME-TIMESTAMP)")
	cmd.Flags().BoolVar(&resume, "resume", false, "continue the run in --out from its last checkpoint")
	cmd.Flags().BoolVar(&noReport, "no-report", false, "skip the plots and report.md")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the config and print it with its sources and estimate, as validate does; run nothing")
	return cmd
}

// printSummary prints the reward models' quality and each model's numbers at
// generation 0 and at the last generation.
func printSummary(w io.Writer, res *train.Result, took time.Duration) {
	cfg := res.Config
	fmt.Fprintf(w, "%s: %d models, %d generations, seed %d, %.1fs\n", cfg.Name, len(cfg.Models), cfg.Generations, cfg.Seed, took.Seconds())
	for _, s := range res.RewardStats {
		fmt.Fprintf(w, "reward model %-8s pair agreement %.3f, Spearman %.3f, BT loss %.3f\n", s.Population, s.PairAgreement, s.Spearman, s.FinalLoss)
	}
	last := map[string]float64{}
	first := map[string]float64{}
	measured := map[string]bool{}
	for _, r := range res.Rows {
		k := r.Model + "\x00" + r.Metric
		measured[r.Metric] = true
		if r.Generation == 0 {
			first[k] = r.Value
		}
		if r.Generation == cfg.Generations {
			last[k] = r.Value
		}
	}
	metrics := []string{}
	for _, p := range cfg.Populations {
		metrics = append(metrics, "reward/"+p.Name)
	}
	for _, m := range []string{"entropy", "kl_real", "zero_mass"} {
		if measured[m] { // metrics: minimal leaves some out
			metrics = append(metrics, m)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "model\tcurated by\t%s\t\n", strings.Join(metrics, "\t"))
	for _, m := range cfg.Models {
		fmt.Fprintf(tw, "%s\t%s", m.Name, m.Population)
		for _, name := range metrics {
			k := m.Name + "\x00" + name
			fmt.Fprintf(tw, "\t%.3f -> %.3f", first[k], last[k])
		}
		fmt.Fprint(tw, "\t\n")
	}
	tw.Flush()
	if res.Dir != "" {
		fmt.Fprintf(w, "(generation 0 -> %d)  run folder: %s\n", cfg.Generations, res.Dir)
	}
}
