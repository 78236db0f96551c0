package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/train"
)

func newBenchCmd() *cobra.Command {
	var c common
	var generations int
	var cpuProfile string
	cmd := &cobra.Command{
		Use:   "bench CONFIG",
		Short: "Time the loop: seconds per phase, training GFLOP/s, allocations, generations per second",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := flagRange("-n/--generations", generations, 1, maxGenerations()); err != nil {
				return err
			}
			cfg, err := c.load(args[0])
			if err != nil {
				return err
			}
			var startProfile func()
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				startProfile = func() {
					if err := pprof.StartCPUProfile(f); err != nil {
						fmt.Fprintln(cmd.ErrOrStderr(), "cpu profile:", err)
					}
				}
				defer pprof.StopCPUProfile()
			}
			ctx, stop := interruptible()
			defer stop()
			res, err := train.Bench(ctx, cfg, generations, generationBar(c.progress()), startProfile)
			if err != nil {
				return err
			}
			printBench(cmd.OutOrStdout(), cfg, res)
			return nil
		},
	}
	c.register(cmd)
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the timed generations to this file (go tool pprof)")
	cmd.Flags().IntVarP(&generations, "generations", "n", 20, "generations to time (after set-up and generation 0)")
	return cmd
}

func printBench(w io.Writer, cfg config.Config, res train.BenchResult) {
	fmt.Fprintf(w, "%s: %d models, %d generations timed, GOMAXPROCS %d, %s/%s, BLAS: %s\n",
		cfg.Name, len(cfg.Models), res.Generations, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, models.BackendName())
	fmt.Fprintf(w, "set-up and generation 0: %.2fs\n", res.SetupSeconds)
	total := 0.0
	for _, s := range res.PhaseSeconds {
		total += s
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "phase\ts/generation\tshare\t\n")
	for p := train.Phase(0); p < train.NumPhases; p++ {
		fmt.Fprintf(tw, "%s\t%.4f\t%.1f%%\t\n", p, res.PhaseSeconds[p], 100*res.PhaseSeconds[p]/total)
	}
	tw.Flush()
	fmt.Fprintf(w, "training: %.3g GFLOP per generation, %.2f GFLOP/s\n", res.TrainFLOPs/1e9, res.TrainGFLOPS())
	fmt.Fprintf(w, "allocations per generation: %.0f (%.1f MiB)\n", res.Allocs, res.AllocBytes/(1<<20))
	fmt.Fprintf(w, "generations_per_second: %.3f\n", res.GenerationsPerSecond())
}
