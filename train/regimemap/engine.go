package regimemap

import (
	"context"
	"errors"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// Files and folders of a map folder.
const (
	MapFile   = "map.csv"   // every cell's rows, in cell order
	CellsDir  = "cells"     // one CSV per finished cell, the resume state
	SpotsDir  = "spots"     // one comparison folder per spot cell
	SpotsFile = "spots.csv" // the spot checks' verdicts
)

// Options say how to run a map.
type Options struct {
	// Observe is told how many cells are finished (of the total) after
	// each one, from Run's goroutine; nil: nothing.
	Observe func(done, total int)
	// Workers is the number of cells computed at once (0: GOMAXPROCS).
	Workers int
	// NoSpot skips the spot checks.
	NoSpot bool
	// SpotWorkers is the number of spot runs at once (0: one per CPU).
	SpotWorkers int
	// SpotObserve is told how many runs of the current spot are finished.
	SpotObserve func(done, total int)
	// Slurm, when set, submits the spots' runs as Slurm job arrays instead
	// of running them here; a later Run with Slurm set collects them.
	Slurm *sweep.SlurmOptions
}

// Map is a finished map.
type Map struct {
	Spec    Spec
	Config  config.Config // the base config, knob and curator set
	Dir     string
	Rows    []Row
	Regions []Region
	Spots   []Spot
	Cells   int // cells computed by this call (the others were resumed)
}

// Cell is one grid point.
type Cell struct {
	Index  int // IX*len(Y values) + IY
	IX, IY int
	X, Y   float64
}

// Name is the cell's file name stem, e.g. "x03-y07".
func (c Cell) Name() string { return fmt.Sprintf("x%02d-y%02d", c.IX, c.IY) }

// Cells lists the grid in order: x slowest.
func (s Spec) Cells() []Cell {
	var out []Cell
	for ix, x := range s.X.Values {
		for iy, y := range s.Y.Values {
			out = append(out, Cell{Index: len(out), IX: ix, IY: iy, X: x, Y: y})
		}
	}
	return out
}

// Run computes the map of spec into dir (created, or continued when it
// holds the same map), then its spot checks, figures and report.md.
func Run(ctx context.Context, spec Spec, dir string, o Options) (*Map, error) {
	spec, cfg, err := spec.resolve()
	if err != nil {
		return nil, err
	}
	cells := spec.Cells()
	// every cell's config is checked before any work
	for _, c := range cells {
		cc, err := CellConfig(cfg, spec.X, spec.Y, c.X, c.Y)
		if err == nil {
			err = train.CheckConfig(cc)
		}
		if err != nil {
			return nil, fmt.Errorf("map: cell %s (%s = %g, %s = %g): %w", c.Name(), spec.X.Label(), c.X, spec.Y.Label(), c.Y, err)
		}
	}
	if err := prepare(dir, spec); err != nil {
		return nil, err
	}
	m := &Map{Spec: spec, Config: cfg, Dir: dir}
	var todo []Cell
	for _, c := range cells {
		if _, err := os.Stat(cellFile(dir, c)); err != nil {
			todo = append(todo, c)
		}
	}
	if len(todo) > 0 {
		if err := m.compute(ctx, cells, todo, o); err != nil {
			return nil, err
		}
	}
	if m.Rows, err = collect(dir, cells); err != nil {
		return nil, err
	}
	m.Regions = Regions(m.Rows)
	if !o.NoSpot && len(spec.Spots.Cells) > 0 {
		if m.Spots, err = m.spotChecks(ctx, o); err != nil {
			return nil, err
		}
	} else if m.Spots, err = readSpots(dir); err != nil {
		return nil, err
	}
	return m, nil
}

// prepare creates dir with the resolved spec, or checks that dir already
// holds the same map (the same cells: spot checks may change between runs)
// and records the spec's spots.
func prepare(dir string, spec Spec) error {
	y, err := spec.YAML()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, SpecFile)
	if raw, err := os.ReadFile(path); err == nil {
		var old Spec
		if err := yaml.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("map: %s: %w", path, err)
		}
		a, _ := old.cellsOnly().YAML()
		b, _ := spec.cellsOnly().YAML()
		if string(a) != string(b) {
			return fmt.Errorf("map: %s holds a different map (its %s differs in the base, curator, knob or axes): choose another --out", dir, SpecFile)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	} else if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return fmt.Errorf("map: %s is not empty and holds no %s: choose a new or empty --out", dir, SpecFile)
	}
	if err := os.MkdirAll(filepath.Join(dir, CellsDir), 0o755); err != nil {
		return err
	}
	return runfolder.WriteFileAtomic(path, y)
}

// cellsOnly is the part of the spec that determines the cells.
func (s Spec) cellsOnly() Spec {
	s.Name, s.Spots = "", Spots{}
	return s
}

func cellFile(dir string, c Cell) string { return filepath.Join(dir, CellsDir, c.Name()+".csv") }

// compute fits the base world once (generation 0 and the learned
// curators do not depend on the mixture), then runs the analytic map of
// every cell of todo and writes its rows, one file per cell.
func (m *Map) compute(ctx context.Context, cells, todo []Cell, o Options) error {
	world, start, err := fitBase(ctx, m.Config)
	if err != nil {
		return err
	}
	done := len(cells) - len(todo)
	if o.Observe != nil {
		o.Observe(done, len(cells))
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Cell)
	results := make(chan error, len(todo))
	var wg sync.WaitGroup
	for range min(workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				results <- m.computeCell(ctx, world, start, c)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, c := range todo {
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	// every cell in flight is waited for (a cancelled one returns at once),
	// so that the cells counted are the cells written
	var first error
	for err := range results {
		if err != nil {
			if first == nil {
				first = err
			}
			cancel()
			continue
		}
		m.Cells++
		done++
		if o.Observe != nil {
			o.Observe(done, len(cells))
		}
	}
	if first == nil && parent.Err() != nil {
		first = parent.Err()
	}
	return train.Interrupted(parent, first)
}

// computeCell runs one cell and writes its file.
func (m *Map) computeCell(ctx context.Context, world *train.World, start []*data.Table, c Cell) error {
	rows, err := CellRows(ctx, m.Spec, m.Config, world, start, c)
	if err != nil {
		return train.Interrupted(ctx, fmt.Errorf("map: cell %s: %w", c.Name(), err))
	}
	return runfolder.WriteFileAtomic(cellFile(m.Dir, c), rowsCSV(rows))
}

// fitBase runs the base config's set-up and generation 0 (as predict does):
// the world with its learned curators, and the generation-0 tables.
func fitBase(ctx context.Context, cfg config.Config) (*train.World, []*data.Table, error) {
	zero := cfg
	zero.Generations = 0
	zero.Theory.Predict = false
	zero.Metrics = config.MetricsFull
	res, err := train.Run(ctx, zero, train.Options{})
	if err != nil {
		return nil, nil, err
	}
	return res.World, res.Tables[0], nil
}

// CellRows runs the analytic map of one cell (train.PredictMean on the
// cell's config, with the base world's tables re-weighted by WithMix and,
// for reward axes, the cell's rewards) and returns its rows: one per model
// and population.
func CellRows(ctx context.Context, spec Spec, base config.Config, world *train.World, start []*data.Table, c Cell) ([]Row, error) {
	cfg, err := CellConfig(base, spec.X, spec.Y, c.X, c.Y)
	if err != nil {
		return nil, err
	}
	w, err := world.WithMix(cfg)
	if err != nil {
		return nil, err
	}
	if movesRewards(spec) {
		if w.Truth, err = CellRewards(cfg, world, spec.X, spec.Y, c.X, c.Y); err != nil {
			return nil, err
		}
		w.Curator = nil // true curators (resolve insists)
	}
	p, err := train.PredictMean(ctx, cfg, w, start, spec.Curator)
	if err != nil {
		return nil, err
	}
	return predictionRows(cfg, w, p, spec.Knob, c), nil
}

// movesRewards says whether an axis changes the true rewards.
func movesRewards(s Spec) bool {
	for _, p := range []string{s.X.Param, s.Y.Param} {
		if p == ParamScale || p == ParamAlignment {
			return true
		}
	}
	return false
}

// predictionRows lays one cell's prediction out as rows.
func predictionRows(cfg config.Config, w *train.World, p *train.Prediction, knob string, c Cell) []Row {
	var rows []Row
	for i, mc := range cfg.Models {
		note := ""
		switch {
		case p.Fixed == nil:
			note = fmt.Sprintf("no fixed point: %v", p.FixedErr)
		case !p.Predicted(i):
			note = "fixed point " + p.Stability(i) + ": not a prediction"
		case p.Influence == nil && p.InfluenceErr != nil:
			note = p.InfluenceErr.Error()
		}
		for a, pop := range cfg.Populations {
			r := Row{Cell: c, Model: mc.Name, Population: pop.Name, Aligned: w.PopIndex[i] == a,
				Role: RoleCross, J: math.NaN(), Rho: p.Rho(), Stability: p.Stability(i),
				Total: math.NaN(), Isolated: math.NaN(), Note: note}
			if mc.Name == knob {
				r.Role = RoleSelf
			}
			if p.Fixed != nil && p.Predicted(i) {
				r.J = p.Fixed.J[i][a]
			}
			if in := p.Influence; in != nil {
				r.Total, r.Isolated = in.Total[i][a], in.Isolated[i][a]
				if r.Aligned {
					r.Label = in.Labels[i]
					r.Inversion = inversion(r.Label, r.Total, r.Isolated)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}
