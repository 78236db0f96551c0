package main

import (
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/train/regimemap"
	"github.com/selfconsume/selfconsume/train/sweep"
)

func newMapCmd() *cobra.Command {
	var c common
	var out string
	var workers int
	var noSpot, noReport bool
	var backend string
	var so sweep.SlurmOptions
	cmd := &cobra.Command{
		Use:   "map MAP.yaml",
		Short: "Map the theory over a plane of mixtures: fixed point, stability, influence and its label per cell, with neural spot checks",
		Long: `map reads a map file: a base config, a curator (learned | true) and a knob model, two axes and
optional spot checks. It fits the base config's generation 0 (and learned curators) once, then for
every cell of the grid runs the analytic map at that cell's mixture: the fixed point, its
stability and spectral radius, and the self- and cross-influence of the knob model's curated
share, with feedback (total) and without (isolated), labelled helps / dampened / backfire / hurts /
induced / negligible, and marked where feedback inverts the isolated effect's sign.

Axes (param:): curated, cross, real (with model: NAME or models: [..]), k, tau, scale
(population:), alignment (population:, of:); values: [..] or from:, to:, steps: (default 9).
Renormalisation: curated scales the curated block (its split over sources kept) and the real and
raw shares fill the rest in their proportions; cross moves the curated block between the model
itself and the other sources (block total kept, other sources in their base proportions); real
scales raw and curated to fill the rest. scale and alignment change the true rewards and need
curator: true.

It writes map.csv (one row per cell, model and population), plots/map-*.png and report.md into
--out. Spot checks (spots: {cells: [[ix, iy], ..], seeds: N, generations: G}) run the neural
loop at those cells through the comparison machinery (the sweep engine: here, or with
--backend slurm as Slurm job arrays, collected by running the map again) and mark agree /
disagree / unresolved on the figures; --no-spot skips them. Running it again on the same --out computes only the missing
cells and continues the spot comparisons.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := flagRange("--workers", workers, 0, maxWorkers); err != nil {
				return err
			}
			spec, err := regimemap.LoadSpec(args[0])
			if err != nil {
				return err
			}
			// the base config sees the environment's overrides as --set ones
			env, err := config.EnvSets(spec.Base, os.Environ())
			if err != nil {
				return err
			}
			spec.Sets = append(append(spec.Sets, env...), c.sets...)
			if out == "" {
				out = defaultOut(spec.Name + "-map")
			}
			var slurm *sweep.SlurmOptions
			switch backend {
			case "local":
			case "slurm":
				slurmFlags(cmd, &spec.Spots.Slurm, so)
				slurm = &spec.Spots.Slurm
			default:
				return fmt.Errorf("--backend %s: allowed: local, slurm", backend)
			}
			ctx, stop := interruptible()
			defer stop()
			t0 := time.Now()
			cellsBar := &bar{w: c.progress(), what: "cells"}
			m, err := regimemap.Run(ctx, spec, out, regimemap.Options{Observe: cellsBar.set, Workers: workers, NoSpot: noSpot,
				SpotWorkers: workers, SpotObserve: cellBar(c.progress(), "spot runs"), Slurm: slurm})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s (base %s): %d x %d cells (%d computed now), %s\n", m.Spec.Name, m.Config.Name, len(m.Spec.X.Values), len(m.Spec.Y.Values), m.Cells, time.Since(t0).Round(time.Millisecond))
			fmt.Fprintf(w, "x: %s; y: %s; knob: curated share of %s; curator: %s\n", m.Spec.X.Label(), m.Spec.Y.Label(), m.Spec.Knob, m.Spec.Curator)
			for _, l := range m.Summary() {
				fmt.Fprintln(w, l)
			}
			fmt.Fprintf(w, "map folder: %s\n", out)
			if noReport {
				return nil
			}
			path, figs, err := m.WriteReport()
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "report: %s (%d figures)\n", path, len(figs))
			return nil
		},
	}
	c.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "map folder (default runs/NAME-map-TIMESTAMP); an existing one is continued")
	f := cmd.Flags()
	f.IntVar(&workers, "workers", 0, "cells, and spot-check runs, at once (0: one per CPU)")
	f.StringVar(&backend, "backend", "local", "where spot checks run: local | slurm (submitted once; run the map again to collect them)")
	slurmFlagSet(cmd, &so, "the map file's spots.slurm")
	cmd.Flags().BoolVar(&noSpot, "no-spot", false, "skip the spot checks")
	cmd.Flags().BoolVar(&noReport, "no-report", false, "skip the plots and report.md")
	return cmd
}
