package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
)

// run is everything read from a run folder.
type run struct {
	dir   string
	found map[string]bool // file name (relative to dir) -> present

	cfg          *configBrief
	emp          *metricTable // per-seed files when present, else metrics.csv
	seeds        int          // per-seed metrics files averaged (0: metrics.csv alone)
	pred         *metricTable
	theory       *theoryFile
	tables       *tableSet
	predTables   *tableSet
	comparison   []runfolder.ComparisonRow
	influence    []runfolder.InfluenceRow
	measured     bool // influence rows carry measurements (influence.csv)
	rewardModels []runfolder.RewardModelRow
	plane        *planar

	models []string // every model, in the order of the config, then of appearance
	pops   []string // every population, likewise
	colors colorMap
}

// load reads every file of the run folder that is present.
func load(dir string) (*run, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	r := &run{dir: dir, found: make(map[string]bool)}
	path := func(name string) string { return filepath.Join(dir, name) }
	note := func(name string, ok bool) { r.found[name] = ok }

	var ok bool
	var err error
	if r.cfg, ok, err = readConfig(path(runfolder.ConfigFile)); err != nil {
		return nil, err
	}
	note(runfolder.ConfigFile, ok)

	single := newMetricTable()
	if ok, err = single.read(path(runfolder.MetricsFile)); err != nil {
		return nil, err
	}
	note(runfolder.MetricsFile, ok)
	seedFiles, err := seedMetricFiles(dir)
	if err != nil {
		return nil, err
	}
	r.emp = single
	if len(seedFiles) > 0 {
		r.emp = newMetricTable()
		for _, f := range seedFiles {
			if _, err := r.emp.read(f); err != nil {
				return nil, err
			}
		}
		r.seeds = len(seedFiles)
	}
	note(runfolder.SeedsDir, len(seedFiles) > 0)

	r.pred = newMetricTable()
	if ok, err = r.pred.read(path(runfolder.PredictionFile)); err != nil {
		return nil, err
	}
	note(runfolder.PredictionFile, ok)

	if r.theory, ok, err = readTheory(path(runfolder.TheoryFile)); err != nil {
		return nil, err
	}
	note(runfolder.TheoryFile, ok)

	if r.tables, ok, err = readTables(path(runfolder.TablesFile)); err != nil {
		return nil, err
	}
	note(runfolder.TablesFile, ok)
	if r.predTables, ok, err = readTables(path(runfolder.PredictionTablesFile)); err != nil {
		return nil, err
	}
	note(runfolder.PredictionTablesFile, ok)

	if r.comparison, ok, err = runfolder.ReadComparison(path(runfolder.ComparisonFile)); err != nil {
		return nil, err
	}
	note(runfolder.ComparisonFile, ok)

	if r.influence, ok, err = runfolder.ReadInfluence(path(runfolder.InfluenceFile)); err != nil {
		return nil, err
	}
	note(runfolder.InfluenceFile, ok)
	r.measured = ok
	r.mergeTheoryInfluence()

	if r.rewardModels, ok, err = runfolder.ReadRewardModels(path(runfolder.RewardModelsFile)); err != nil {
		return nil, err
	}
	note(runfolder.RewardModelsFile, ok)

	var pf map[string]bool
	if r.plane, pf, err = readPlanar(path(runfolder.SamplesFile), path(runfolder.DensityFile), path(runfolder.ModesFile), path(runfolder.RewardGridFile)); err != nil {
		return nil, err
	}
	for _, name := range []string{runfolder.SamplesFile, runfolder.DensityFile, runfolder.ModesFile, runfolder.RewardGridFile} {
		note(name, pf[path(name)])
	}

	r.collectNames()
	if len(r.models) == 0 && r.theory == nil {
		return nil, fmt.Errorf("%s holds no run files (want %s, %s/seed-N/%s or %s)", dir, runfolder.MetricsFile, runfolder.SeedsDir, runfolder.MetricsFile, runfolder.PredictionFile)
	}
	r.colors = newColorMap(r.models)
	return r, nil
}

// seedMetricFiles lists seeds/seed-<n>/metrics.csv in numeric order of n.
func seedMetricFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, runfolder.SeedsDir, "seed-*", runfolder.MetricsFile))
	if err != nil {
		return nil, err
	}
	seedNum := func(f string) int {
		s := strings.TrimPrefix(filepath.Base(filepath.Dir(f)), "seed-")
		n, err := strconv.Atoi(s)
		if err != nil {
			return int(^uint(0) >> 1)
		}
		return n
	}
	slices.SortStableFunc(files, func(a, b string) int { return seedNum(a) - seedNum(b) })
	return files, nil
}

// mergeTheoryInfluence completes the influence rows with theory.json's labels,
// or takes theory.json's predictions alone when influence.csv is absent.
func (r *run) mergeTheoryInfluence() {
	if r.theory == nil {
		return
	}
	for _, ti := range r.theory.Influence {
		matched := false
		for i := range r.influence {
			in := &r.influence[i]
			if in.Knob == ti.Knob && in.Model == ti.Model && in.Population == ti.Population {
				in.Label = ti.Label
				matched = true
			}
		}
		if !matched && !r.measured {
			nan := math.NaN()
			r.influence = append(r.influence, runfolder.InfluenceRow{
				Knob: ti.Knob, Model: ti.Model, Population: ti.Population,
				Predicted: ti.Predicted, Isolated: ti.Isolated,
				Measured: nan, CILow: nan, CIHigh: nan, Label: ti.Label,
			})
		}
	}
}

// collectNames fixes the order of models and populations used by every
// figure, so that a model keeps its colour throughout.
func (r *run) collectNames() {
	var ms, ps names
	if r.cfg != nil {
		for _, m := range r.cfg.models {
			if m.name != "" {
				ms.add(m.name)
			}
		}
		for _, p := range r.cfg.populations {
			if p != "" {
				ps.add(p)
			}
		}
		for _, m := range r.cfg.models {
			if m.population != "" {
				ps.add(m.population)
			}
		}
	}
	ms.add(r.emp.models.list...)
	ms.add(r.pred.models.list...)
	if r.tables != nil {
		ms.add(r.tables.models.list...)
	}
	if r.predTables != nil {
		ms.add(r.predTables.models.list...)
	}
	ms.add(r.plane.models.list...)
	for _, in := range r.influence {
		ms.add(in.Model)
	}
	ps.add(r.emp.suffixes("reward/")...)
	ps.add(r.pred.suffixes("reward/")...)
	ps.add(r.plane.pops.list...)
	if r.theory != nil {
		var fm, fp []string
		for m, vals := range r.theory.FixedPoint {
			fm = append(fm, m)
			for k := range vals {
				if p, ok := strings.CutPrefix(k, "reward/"); ok && p != "" {
					fp = append(fp, p)
				}
			}
		}
		sortNatural(fm)
		sortNatural(fp)
		ms.add(fm...)
		ps.add(fp...)
	}
	r.models, r.pops = ms.list, ps.list
}

// checkDir reports an error unless dir exists and is a directory.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}
