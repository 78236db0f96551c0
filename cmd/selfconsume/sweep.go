package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/sweep"
)

func newSweepCmd() *cobra.Command {
	var c common
	var out, backend string
	var workers int
	var dryRun, retry, noReport bool
	var so sweep.SlurmOptions
	cmd := &cobra.Command{
		Use:   "sweep SWEEP.yaml|DIR",
		Short: "Run a config over a grid of overrides and seeds, locally or as a Slurm job array",
		Long: `sweep expands a sweep file (a base config, overrides for every cell, a grid of keys and
values, a number of seeds) into cells, each an ordinary run folder in DIR/cells/, and runs the
unfinished ones: in this process (--backend local, --workers at a time) or as one Slurm job array
(--backend slurm). Given DIR, it continues the sweep already there. Finished cells are skipped,
so an interrupted sweep resumes; a failing cell is recorded and does not stop the others.
--retry-failed runs only the failed cells again. A local sweep ends with sweep collect and the
sweep's report (DIR/report.md and DIR/plots/; --no-report skips it).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := flagRange("-w/--workers", workers, 0, maxWorkers); err != nil {
				return err
			}
			spec, dir, err := sweepSpec(args[0], out, c.sets)
			if err != nil {
				return err
			}
			slurmFlags(cmd, &spec.Slurm, so)
			if err := sweep.Prepare(dir, spec); err != nil {
				return err
			}
			var only []int
			if retry {
				st, err := sweep.ReadStatus(dir)
				if err != nil {
					return err
				}
				if only = st.Failed(); len(only) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "sweep %s: no failed cell to run again\n", dir)
					return nil
				}
			}
			w := cmd.OutOrStdout()
			switch backend {
			case "local":
				if dryRun {
					return listCells(w, dir, spec)
				}
				return sweepLocal(w, dir, only, workers, c.progress(), !noReport)
			case "slurm":
				return sweepSlurm(w, dir, spec.Slurm, only, dryRun)
			}
			return fmt.Errorf("--backend %s: allowed: local, slurm", backend)
		},
	}
	c.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "sweep folder (default runs/NAME-TIMESTAMP, NAME the sweep file's; given DIR, DIR)")
	f.IntVarP(&workers, "workers", "w", 0, "local backend: cells run at once (default one per CPU; each cell then trains one model at a time)")
	f.StringVar(&backend, "backend", "local", "local | slurm")
	f.BoolVar(&dryRun, "dry-run", false, "prepare the sweep folder, then print the batch script (slurm) or the cells (local) without running them")
	f.BoolVar(&retry, "retry-failed", false, "run (or submit) only the cells that failed")
	f.BoolVar(&noReport, "no-report", false, "local: skip the sweep's plots and report.md after collecting")
	slurmFlagSet(cmd, &so, "the sweep file's")
	cmd.AddCommand(newSweepRunCellCmd(), newSweepStatusCmd(), newSweepCollectCmd())
	return cmd
}

// sweepSpec reads the sweep to run: a sweep file with the --set overrides
// added (into --out, or runs/NAME-TIMESTAMP), or the sweep already in a
// sweep folder.
func sweepSpec(arg, out string, sets []string) (sweep.Spec, string, error) {
	continuing := false
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		continuing = true
		if out != "" && filepath.Clean(out) != filepath.Clean(arg) {
			return sweep.Spec{}, "", fmt.Errorf("--out %s: the sweep folder is %s", out, arg)
		}
		out = arg
		arg = filepath.Join(arg, runfolder.SpecFile)
	}
	spec, err := sweep.LoadSpec(arg)
	if err != nil {
		return spec, "", err
	}
	if !continuing {
		// a new sweep's cells see the environment's overrides as --set
		// ones; a sweep folder keeps the overrides it was made with
		env, err := config.EnvSets(spec.Base, os.Environ())
		if err != nil {
			return spec, "", err
		}
		spec.Sets = append(spec.Sets, env...)
	}
	spec.Sets = append(spec.Sets, sets...)
	if out == "" {
		name := strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
		out = defaultOut(name)
	}
	return spec, out, nil
}

// slurmFlagSet registers cmd's Slurm flags into so; file names where their
// defaults come from (the sweep file's slurm block, or the map file's).
func slurmFlagSet(cmd *cobra.Command, so *sweep.SlurmOptions, file string) {
	f := cmd.Flags()
	f.StringVar(&so.Partition, "partition", "", "slurm: partition (default: "+file+", else the cluster's default)")
	f.StringVar(&so.Time, "time", "", "slurm: time limit of one array task, e.g. 00:30:00")
	f.StringVar(&so.Mem, "mem", "", "slurm: memory of one array task, e.g. 2G")
	f.IntVar(&so.CPUsPerTask, "cpus-per-task", 0, "slurm: CPUs of one array task, and models each cell trains at once (default 1)")
	f.IntVar(&so.CellsPerTask, "cells-per-task", 0, "slurm: cells one array task runs one after another (default 1)")
	f.IntVar(&so.Concurrency, "concurrency", 0, "slurm: array tasks running at once at most (the % limit; default no limit)")
	f.StringVar(&so.Binary, "binary", "", "slurm: the selfconsume command on the compute nodes (default: this executable)")
}

// slurmFlags lets the Slurm flags given on the command line override the
// sweep file's slurm block.
func slurmFlags(cmd *cobra.Command, o *sweep.SlurmOptions, flags sweep.SlurmOptions) {
	set := cmd.Flags().Changed
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{{"partition", &o.Partition, flags.Partition}, {"time", &o.Time, flags.Time}, {"mem", &o.Mem, flags.Mem}, {"binary", &o.Binary, flags.Binary}} {
		if set(f.name) {
			*f.dst = f.v
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
		v    int
	}{{"cpus-per-task", &o.CPUsPerTask, flags.CPUsPerTask}, {"cells-per-task", &o.CellsPerTask, flags.CellsPerTask}, {"concurrency", &o.Concurrency, flags.Concurrency}} {
		if set(f.name) {
			*f.dst = f.v
		}
	}
}

// sweepLocal runs the cells in this process, then collects the sweep and,
// with withReport, draws its report.
func sweepLocal(w io.Writer, dir string, only []int, workers int, progress io.Writer, withReport bool) error {
	ctx, stop := interruptible()
	defer stop()
	start := time.Now()
	st, err := sweep.RunCells(ctx, dir, only, workers, cellBar(progress, "cells"))
	if err != nil {
		if st.Cells > 0 {
			fmt.Fprintf(os.Stderr, "sweep %s: %d of %d cells done; continue with: selfconsume sweep %s\n", dir, st.Done, st.Cells, dir)
		}
		return err
	}
	fmt.Fprintf(w, "sweep %s: %d cells, %d done, %d failed, %.1fs\n", dir, st.Cells, st.Done, len(st.Failures), time.Since(start).Seconds())
	if err := sweep.Collect(dir); err != nil {
		return err
	}
	fmt.Fprintf(w, "collected %s and %s\n", filepath.Join(dir, runfolder.SweepCSV), filepath.Join(dir, runfolder.SummaryCSV))
	var reportErr error
	if withReport {
		reportErr = writeReport(ctx, w, dir)
	}
	if err := st.Err(); err != nil {
		return errors.Join(reportErr, fmt.Errorf("%w\nrun them again with: selfconsume sweep %s --retry-failed", err, dir))
	}
	return reportErr
}

// sweepSlurm submits the cells as one job array, or prints its script.
func sweepSlurm(w io.Writer, dir string, o sweep.SlurmOptions, only []int, dryRun bool) error {
	script, job, err := sweep.SubmitSlurm(dir, o, only, dryRun)
	if errors.Is(err, sweep.ErrNothingToSubmit) {
		fmt.Fprintf(w, "sweep %s: every cell is done; collect with: selfconsume sweep collect %s\n", dir, dir)
		return nil
	}
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprint(w, script)
		return nil
	}
	fmt.Fprintf(w, "sweep %s: submitted job array %s\n", dir, job)
	fmt.Fprintf(w, "follow it with: squeue -j %s; selfconsume sweep status %s\nthen: selfconsume sweep collect %s\n", job, dir, dir)
	return nil
}

// listCells prints the cells a local sweep would run.
func listCells(w io.Writer, dir string, spec sweep.Spec) error {
	cells, err := spec.Cells()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sweep %s: %d cells (base %s)\n", dir, len(cells), spec.Base)
	for _, c := range cells {
		fmt.Fprintf(w, "%s\t--set %s\n", c.Name, strings.Join(c.Sets, " --set "))
	}
	return nil
}

func newSweepRunCellCmd() *cobra.Command {
	var index int
	var indexEnv string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "run-cell DIR --index I",
		Short: "Run one cell of a prepared sweep folder (what each Slurm or Kubernetes task runs)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if indexEnv != "" {
				v, ok := os.LookupEnv(indexEnv)
				if !ok {
					return fmt.Errorf("--index-env %s: the variable is not set", indexEnv)
				}
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return fmt.Errorf("--index-env %s=%q: want a cell index", indexEnv, v)
				}
				index = i
			} else if !cmd.Flags().Changed("index") {
				return fmt.Errorf("give the cell with --index I or --index-env VAR")
			}
			ctx, stop := interruptible()
			defer stop()
			c := common{quiet: quiet}
			if err := sweep.RunCell(ctx, args[0], index, generationBar(c.progress())); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sweep %s: cell %d done\n", args[0], index)
			return nil
		},
	}
	cmd.Flags().IntVarP(&index, "index", "i", 0, "the cell's index (cells.csv)")
	cmd.Flags().StringVar(&indexEnv, "index-env", "", "read the index from this environment variable (e.g. JOB_COMPLETION_INDEX in a Kubernetes Indexed Job)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

func newSweepStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status DIR",
		Short: "Count a sweep's done, failed and pending cells, and show the failures",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := sweep.ReadStatus(args[0])
			if err != nil {
				return err
			}
			printStatus(cmd.OutOrStdout(), args[0], st)
			return nil
		},
	}
}

// printStatus prints the counts and each failed cell with its error.
func printStatus(w io.Writer, dir string, st sweep.Status) {
	fmt.Fprintf(w, "sweep %s: %d cells: %d done, %d failed, %d pending\n", dir, st.Cells, st.Done, len(st.Failures), st.Pending)
	for _, f := range st.Failures {
		fmt.Fprintf(w, "failed %s: %s\n", f.Name, f.Message)
	}
}

func newSweepCollectCmd() *cobra.Command {
	var noReport bool
	cmd := &cobra.Command{
		Use:   "collect DIR",
		Short: "Gather a sweep's finished cells into sweep.csv and summary.csv (mean, stderr, 95% interval over seeds), and draw its report",
		Long: `collect gathers the finished cells of the sweep in DIR into DIR/sweep.csv (every cell's metrics)
and DIR/summary.csv (per grid point, generation, model and metric: n, mean, stderr and the 95%
interval over the seeds), then writes the sweep's report: DIR/plots/sweep-KEY-METRIC.png, the final
value of every key metric against every swept key, and DIR/report.md (--no-report skips it).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			ctx, stop := interruptible()
			defer stop()
			if err := sweep.Collect(dir); err != nil {
				return err
			}
			st, err := sweep.ReadStatus(dir)
			if err != nil {
				return err
			}
			printStatus(cmd.OutOrStdout(), dir, st)
			fmt.Fprintf(cmd.OutOrStdout(), "collected %d cells into %s and %s\n", st.Done,
				filepath.Join(dir, runfolder.SweepCSV), filepath.Join(dir, runfolder.SummaryCSV))
			if noReport {
				return nil
			}
			return writeReport(ctx, cmd.OutOrStdout(), dir)
		},
	}
	cmd.Flags().BoolVar(&noReport, "no-report", false, "skip the sweep's plots and report.md")
	return cmd
}
