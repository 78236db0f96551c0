package report

import (
	"math"
	"slices"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// seriesKey names one curve: a model and a metric.
type seriesKey struct{ model, metric string }

// metricTable holds the values of tidy generation,model,metric,value rows:
// for each model and metric, each generation's values (one per seed file).
type metricTable struct {
	vals   map[seriesKey]map[int][]float64
	models names // in order of first appearance
	files  int   // metrics files read into the table
}

func newMetricTable() *metricTable {
	return &metricTable{vals: make(map[seriesKey]map[int][]float64)}
}

// empty reports whether the table holds no row.
func (t *metricTable) empty() bool { return t == nil || len(t.vals) == 0 }

// read adds the rows of one metrics-like CSV; found is false when the file is
// absent.
func (t *metricTable) read(path string) (found bool, err error) {
	found, err = runfolder.EachRow(path, func(row runfolder.Row, _ runfolder.Record) error {
		t.add(row.Generation, row.Model, row.Metric, row.Value)
		return nil
	})
	if found && err == nil {
		t.files++
	}
	return found, err
}

func (t *metricTable) add(gen int, model, metric string, v float64) {
	key := seriesKey{model, metric}
	byGen := t.vals[key]
	if byGen == nil {
		byGen = make(map[int][]float64)
		t.vals[key] = byGen
	}
	byGen[gen] = append(byGen[gen], v)
	t.models.add(model)
}

// has reports whether the table has any row of the metric for the model.
func (t *metricTable) has(model, metric string) bool {
	if t == nil {
		return false
	}
	_, ok := t.vals[seriesKey{model, metric}]
	return ok
}

// hasMetric reports whether any model has a finite value of the metric.
func (t *metricTable) hasMetric(metric string) bool {
	if t == nil {
		return false
	}
	for k, byGen := range t.vals {
		if k.metric != metric {
			continue
		}
		for _, vs := range byGen {
			for _, v := range vs {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					return true
				}
			}
		}
	}
	return false
}

// suffixes returns the sorted X of every metric named prefix+X.
func (t *metricTable) suffixes(prefix string) []string {
	var out names
	if t == nil {
		return nil
	}
	var all []string
	for k := range t.vals {
		if s, ok := strings.CutPrefix(k.metric, prefix); ok && s != "" {
			all = append(all, s)
		}
	}
	sortNatural(all)
	for _, s := range all {
		out.add(s)
	}
	return out.list
}

// series summarises one curve over its values per generation: the mean and
// a 95% Student-t band, t(0.975, n-1) standard errors (none with one value). Non-finite
// values are left out. It returns nil when the table has no finite value.
func (t *metricTable) series(model, metric string) *series {
	if t == nil {
		return nil
	}
	byGen := t.vals[seriesKey{model, metric}]
	if len(byGen) == 0 {
		return nil
	}
	gens := make([]int, 0, len(byGen))
	for g := range byGen {
		gens = append(gens, g)
	}
	slices.Sort(gens)
	s := &series{}
	for _, g := range gens {
		mean, half, n := stats.MeanCI(byGen[g])
		if n == 0 {
			continue
		}
		s.gens = append(s.gens, g)
		s.mean = append(s.mean, mean)
		s.half = append(s.half, half)
		s.n = append(s.n, n)
	}
	if len(s.gens) == 0 {
		return nil
	}
	return s
}

// series is one curve: per generation, the mean over seeds, the half-width
// of its 95% band, and how many seeds gave a finite value.
type series struct {
	gens []int
	mean []float64
	half []float64
	n    []int
}

// banded reports whether any generation has a band to draw.
func (s *series) banded() bool {
	for _, h := range s.half {
		if h > 0 {
			return true
		}
	}
	return false
}

// at returns the index of generation g, or -1.
func (s *series) at(g int) int {
	if s == nil {
		return -1
	}
	i, ok := slices.BinarySearch(s.gens, g)
	if !ok {
		return -1
	}
	return i
}
