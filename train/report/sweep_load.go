package report

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// isSweepDir reports whether dir is a sweep folder: it holds sweep.yaml or
// summary.csv and none of a run folder's measured or predicted files. (A
// comparison folder, train/compare, is a sweep folder too, but it
// aggregates its cells into a run folder's files: it gets the run report.)
func isSweepDir(dir string) bool {
	exists := func(name string) bool {
		st, err := os.Stat(filepath.Join(dir, name))
		return err == nil && !st.IsDir()
	}
	if !exists(runfolder.SpecFile) && !exists(runfolder.SummaryCSV) {
		return false
	}
	for _, f := range []string{runfolder.MetricsFile, runfolder.PredictionFile, runfolder.ComparisonFile, runfolder.TheoryFile} {
		if exists(f) {
			return false
		}
	}
	seedFiles, _ := seedMetricFiles(dir)
	return len(seedFiles) == 0
}

// sweepRun is everything read from a sweep folder.
type sweepRun struct {
	dir   string
	found map[string]bool // file name (relative to dir) -> present

	spec      *sweep.Spec   // nil when sweep.yaml is absent
	status    *sweep.Status // nil when the cell markers could not be read
	statusErr error
	cfgFile   string // the config the model order came from ("" for none)

	keys    []*sweepKey
	points  []*sweepPoint // grid points with at least one row, in order of appearance
	models  []string      // in the order of the config, then of appearance
	pops    []string
	metrics []string // the key metrics summary.csv has, in report order
	colors  colorMap

	rowModels, rowMetrics names // in order of appearance in summary.csv
}

// sweepKey is one swept config key.
type sweepKey struct {
	name    string
	values  []string           // as summary.csv writes them: the grid's order, then of appearance
	num     map[string]float64 // every value's number, when numeric
	numeric bool               // every value is a finite number
	log     bool               // numeric, positive, spanning more than logSpan
}

// logSpan is the ratio of largest to smallest value from which a positive
// numeric key is drawn on a log axis.
const logSpan = 30

// sweepPoint is one grid point: its key values and the final-generation
// summary of every model and metric.
type sweepPoint struct {
	vals   []string // one per key
	finals map[seriesKey]finalValue
}

// finalValue is the summary of a model's metric at a grid point's last
// generation: the mean over n finite seeds and its 95% interval.
type finalValue struct {
	gen, n               int
	mean, stderr, lo, hi float64
}

// half returns the half-width of the 95% interval (0 when there is none).
func (f finalValue) half() float64 {
	if !finite(f.lo) || !finite(f.hi) || f.hi <= f.lo {
		return 0
	}
	return (f.hi - f.lo) / 2
}

// loadSweep reads a sweep folder: sweep.yaml (the grid), summary.csv (the
// numbers) and the cells' markers (the counts).
func loadSweep(dir string) (*sweepRun, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	s := &sweepRun{dir: dir, found: make(map[string]bool)}
	specPath := filepath.Join(dir, runfolder.SpecFile)
	if _, err := os.Stat(specPath); err == nil {
		spec, err := sweep.LoadSpec(specPath)
		if err != nil {
			return nil, err
		}
		s.spec = &spec
		s.found[runfolder.SpecFile] = true
		status, err := sweep.ReadStatus(dir)
		if err != nil {
			s.statusErr = err
		} else {
			s.status = &status
		}
	}

	sumPath := filepath.Join(dir, runfolder.SummaryCSV)
	header, err := runfolder.Header(sumPath, "<swept keys>,"+strings.Join(runfolder.SummaryColumns, ","))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: collect the sweep first (selfconsume sweep collect %s)", dir, runfolder.SummaryCSV, dir)
	}
	if err != nil {
		return nil, err
	}
	s.found[runfolder.SummaryCSV] = true
	if err := s.setKeys(sumPath, header); err != nil {
		return nil, err
	}
	if err := s.readSummary(sumPath); err != nil {
		return nil, err
	}
	if err := s.collectNames(); err != nil {
		return nil, err
	}
	for _, k := range s.keys {
		k.classify()
	}
	return s, nil
}

// setKeys takes the swept keys from sweep.yaml (their values in grid
// order), or else from summary.csv's header: every column but the fixed ones.
func (s *sweepRun) setKeys(path string, header []string) error {
	if s.spec != nil {
		for _, a := range s.spec.Grid {
			if !slices.Contains(header, a.Key) {
				return fmt.Errorf("%s:1: the header has no column %q, which %s sweeps", path, a.Key, runfolder.SpecFile)
			}
			k := &sweepKey{name: a.Key}
			for _, v := range a.Values {
				if c := runfolder.ColumnText(v); !slices.Contains(k.values, c) {
					k.values = append(k.values, c)
				}
			}
			s.keys = append(s.keys, k)
		}
		return nil
	}
	for _, h := range header {
		if !slices.Contains(runfolder.SummaryColumns, h) {
			s.keys = append(s.keys, &sweepKey{name: h})
		}
	}
	return nil
}

// readSummary reads summary.csv, keeping each grid point's last generation
// of every model and metric.
func (s *sweepRun) readSummary(path string) error {
	index := make(map[string]*sweepPoint)
	_, err := runfolder.Read(path, runfolder.SummaryColumns, func(r runfolder.Record) error {
		vals := make([]string, len(s.keys))
		for i, k := range s.keys {
			vals[i] = r.Str(k.name)
		}
		var f finalValue
		var model, metric string
		var err error
		if f.gen, model, metric, err = r.GenModelMetric(); err != nil {
			return err
		}
		if f.n, err = r.Int("n"); err != nil {
			return err
		}
		for _, c := range []struct {
			col string
			dst *float64
		}{{"mean", &f.mean}, {"stderr", &f.stderr}, {"ci_low", &f.lo}, {"ci_high", &f.hi}} {
			if *c.dst, err = r.Float(c.col); err != nil {
				return err
			}
		}
		id := strings.Join(vals, "\x00")
		p := index[id]
		if p == nil {
			p = &sweepPoint{vals: vals, finals: make(map[seriesKey]finalValue)}
			index[id] = p
			s.points = append(s.points, p)
			for i, k := range s.keys {
				if !slices.Contains(k.values, vals[i]) {
					k.values = append(k.values, vals[i])
				}
			}
		}
		s.rowModels.add(model)
		s.rowMetrics.add(metric)
		key := seriesKey{model, metric}
		if old, ok := p.finals[key]; !ok || f.gen >= old.gen {
			p.finals[key] = f
		}
		return nil
	})
	return err
}

// collectNames fixes the order of models (and so their colours) and
// populations: the config's order, then the order of appearance; and lists
// the key metrics summary.csv has.
func (s *sweepRun) collectNames() error {
	var ms, ps names
	cfg, err := s.config()
	if err != nil {
		return err
	}
	if cfg != nil {
		for _, m := range cfg.models {
			if m.name != "" {
				ms.add(m.name)
			}
		}
		for _, p := range cfg.populations {
			if p != "" {
				ps.add(p)
			}
		}
		for _, m := range cfg.models {
			if m.population != "" {
				ps.add(m.population)
			}
		}
	}
	present := s.rowMetrics
	var rewardPops []string
	for _, m := range present.list {
		if pop, ok := strings.CutPrefix(m, "reward/"); ok && pop != "" {
			rewardPops = append(rewardPops, pop)
		}
	}
	sortNatural(rewardPops)
	ps.add(rewardPops...)
	ms.add(s.rowModels.list...)
	// Colours as a cell's own run report gives them; only the models with
	// rows are drawn and listed.
	s.colors = newColorMap(ms.list)
	for _, m := range ms.list {
		if s.rowModels.seen[m] {
			s.models = append(s.models, m)
		}
	}
	s.pops = ps.list
	for _, pop := range s.pops {
		if present.seen["reward/"+pop] {
			s.metrics = append(s.metrics, "reward/"+pop)
		}
	}
	for _, m := range []string{"kl_real", "entropy", "zero_mass"} {
		if present.seen[m] {
			s.metrics = append(s.metrics, m)
		}
	}
	return nil
}

// config reads the config whose model order the report follows: the first
// cell's config.yaml (the base config with the sweep's overrides), else the
// base config the sweep names. Neither is required; a cell config that does
// not parse is an error naming it.
func (s *sweepRun) config() (*configBrief, error) {
	cells, _ := filepath.Glob(filepath.Join(s.dir, runfolder.CellsDir, "*", runfolder.ConfigFile))
	slices.Sort(cells)
	if len(cells) > 0 {
		cfg, ok, err := readConfig(cells[0])
		if err != nil {
			return nil, err
		}
		if ok {
			s.cfgFile = cells[0]
			return cfg, nil
		}
	}
	if s.spec != nil {
		// The base config may live elsewhere, or no longer exist: only a hint.
		if cfg, ok, err := readConfig(s.spec.Base); err == nil && ok {
			s.cfgFile = s.spec.Base
			return cfg, nil
		}
	}
	return nil, nil
}

// classify decides how a key's values are drawn: on a numeric axis when
// every value is a finite number (a log axis when they are positive and
// span more than logSpan), else as categories.
func (k *sweepKey) classify() {
	k.num = make(map[string]float64, len(k.values))
	k.numeric = len(k.values) > 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range k.values {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !finite(f) {
			k.numeric = false
			k.num = nil
			return
		}
		k.num[v] = f
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	}
	k.log = len(k.values) >= 3 && lo > 0 && hi/lo > logSpan
}

// pos is where a value of the key sits on the x axis: its number (base-10
// logarithm on a log axis), or its category index.
func (k *sweepKey) pos(v string) float64 {
	if k.numeric {
		if k.log {
			return math.Log10(k.num[v])
		}
		return k.num[v]
	}
	return float64(slices.Index(k.values, v))
}

// axis describes how the key is drawn.
func (k *sweepKey) axis() string {
	switch {
	case k.log:
		return "numeric, log scale"
	case k.numeric:
		return "numeric"
	}
	return "categories"
}

// gridPoints is the number of grid points sweep.yaml defines (0 without
// it; 1 for a sweep over seeds alone).
func (s *sweepRun) gridPoints() int {
	if s.spec == nil {
		return 0
	}
	if len(s.spec.Grid) == 0 {
		return 1
	}
	if s.spec.Mode == sweep.ModeZip {
		return len(s.spec.Grid[0].Values)
	}
	n := 1
	for _, a := range s.spec.Grid {
		n *= len(a.Values)
	}
	return n
}

// finalGens returns the distinct last generations of the key metrics, sorted.
func (s *sweepRun) finalGens() []int {
	var gens []int
	for _, p := range s.points {
		for k, f := range p.finals {
			if slices.Contains(s.metrics, k.metric) && !slices.Contains(gens, f.gen) {
				gens = append(gens, f.gen)
			}
		}
	}
	slices.Sort(gens)
	return gens
}
