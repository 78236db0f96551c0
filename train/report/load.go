package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The files of a run folder the report reads.
const (
	configFile          = "config.yaml"
	metricsFile         = "metrics.csv"
	predictionFile      = "prediction.csv"
	theoryFileName      = "theory.json"
	tablesFile          = "tables.csv"
	predictionTablesCSV = "prediction_tables.csv"
	comparisonFile      = "comparison.csv"
	influenceFile       = "influence.csv"
	samplesFile         = "samples.csv"
	densityFile         = "density.csv"
	modesFile           = "modes.csv"
	rewardGridFile      = "reward_grid.csv"
	rewardModelsFile    = "reward_models.csv"
	seedsDir            = "seeds"
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
	comparison   []comparisonRow
	influence    []influenceRow
	measured     bool // influence rows carry measurements (influence.csv)
	rewardModels []rewardModelRow
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
	if r.cfg, ok, err = readConfig(path(configFile)); err != nil {
		return nil, err
	}
	note(configFile, ok)

	single := newMetricTable()
	if ok, err = single.read(path(metricsFile)); err != nil {
		return nil, err
	}
	note(metricsFile, ok)
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
	note(seedsDir, len(seedFiles) > 0)

	r.pred = newMetricTable()
	if ok, err = r.pred.read(path(predictionFile)); err != nil {
		return nil, err
	}
	note(predictionFile, ok)

	if r.theory, ok, err = readTheory(path(theoryFileName)); err != nil {
		return nil, err
	}
	note(theoryFileName, ok)

	if r.tables, ok, err = readTables(path(tablesFile)); err != nil {
		return nil, err
	}
	note(tablesFile, ok)
	if r.predTables, ok, err = readTables(path(predictionTablesCSV)); err != nil {
		return nil, err
	}
	note(predictionTablesCSV, ok)

	if r.comparison, ok, err = readComparison(path(comparisonFile)); err != nil {
		return nil, err
	}
	note(comparisonFile, ok)

	if r.influence, ok, err = readInfluence(path(influenceFile)); err != nil {
		return nil, err
	}
	note(influenceFile, ok)
	r.measured = ok
	r.mergeTheoryInfluence()

	if r.rewardModels, ok, err = readRewardModels(path(rewardModelsFile)); err != nil {
		return nil, err
	}
	note(rewardModelsFile, ok)

	var pf map[string]bool
	if r.plane, pf, err = readPlanar(path(samplesFile), path(densityFile), path(modesFile), path(rewardGridFile)); err != nil {
		return nil, err
	}
	for _, name := range []string{samplesFile, densityFile, modesFile, rewardGridFile} {
		note(name, pf[path(name)])
	}

	r.collectNames()
	if len(r.models) == 0 && r.theory == nil {
		return nil, fmt.Errorf("%s holds no run files (want %s, %s/seed-N/%s or %s)", dir, metricsFile, seedsDir, metricsFile, predictionFile)
	}
	r.colors = newColorMap(r.models)
	return r, nil
}

// seedMetricFiles lists seeds/seed-<n>/metrics.csv in numeric order of n.
func seedMetricFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, seedsDir, "seed-*", metricsFile))
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
			if in.knob == ti.Knob && in.model == ti.Model && in.population == ti.Population {
				in.label = ti.Label
				matched = true
			}
		}
		if !matched && !r.measured {
			nan := math.NaN()
			r.influence = append(r.influence, influenceRow{
				knob: ti.Knob, model: ti.Model, population: ti.Population,
				predicted: ti.Predicted, isolated: ti.Isolated,
				measured: nan, lo: nan, hi: nan, label: ti.Label,
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
		ms.add(in.model)
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
