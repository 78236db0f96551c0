package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// Collect gathers the finished cells of the sweep in dir (unfinished ones
// are left out) into two tidy tables:
//
//	sweep.csv    one column per swept key, seed, generation, model, metric, value
//	             (each cell's metrics.csv rows as they are, cells in index order)
//	summary.csv  one column per swept key, generation, model, metric, n, mean,
//	             stderr, ci_low, ci_high: over the seeds of each grid point, the
//	             finite values' mean, standard error (sd/sqrt(n)) and 95%
//	             Student-t interval, mean -/+ t(0.975, n-1) standard errors
//	             (train/stats: 4.303 standard errors for 3 seeds, 2.571 for
//	             6); with one seed stderr is 0 and the interval the mean
func Collect(dir string) error {
	s, cells, err := open(dir)
	if err != nil {
		return err
	}
	keys := make([]string, len(s.Grid))
	for i, a := range s.Grid {
		keys[i] = a.Key
	}
	type group struct {
		point                     int
		generation, model, metric string
	}
	var order []group
	values := map[group][]float64{}
	pointKeys := map[int][]string{}

	var sweep bytes.Buffer
	w := csv.NewWriter(&sweep)
	_ = w.Write(append(slices.Clone(keys), "seed", "generation", "model", "metric", "value"))
	for _, c := range cells {
		if st, _ := stateOf(dir, c); st != stateDone {
			continue
		}
		prefix := make([]string, 0, len(keys)+1)
		for _, kv := range c.Keys {
			prefix = append(prefix, column(kv.Value))
		}
		pointKeys[c.Point] = slices.Clone(prefix)
		prefix = append(prefix, strconv.FormatUint(c.Seed, 10))
		err := eachMetric(filepath.Join(CellDir(dir, c), train.MetricsFile), func(rec []string, v float64) {
			_ = w.Write(append(slices.Clone(prefix), rec...))
			g := group{c.Point, rec[0], rec[1], rec[2]}
			if _, ok := values[g]; !ok {
				order = append(order, g)
			}
			values[g] = append(values[g], v)
		})
		if err != nil {
			return err
		}
	}
	w.Flush()

	var summary bytes.Buffer
	sw := csv.NewWriter(&summary)
	_ = sw.Write(append(slices.Clone(keys), "generation", "model", "metric", "n", "mean", "stderr", "ci_low", "ci_high"))
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, g := range order {
		s := stats.Summarize(values[g])
		se, half := s.SE, s.Half()
		if s.N < 2 {
			se = 0
		}
		row := append(slices.Clone(pointKeys[g.point]), g.generation, g.model, g.metric,
			strconv.Itoa(s.N), f(s.Mean), f(se), f(s.Mean-half), f(s.Mean+half))
		_ = sw.Write(row)
	}
	sw.Flush()
	if err := train.WriteFileAtomic(filepath.Join(dir, SweepCSV), sweep.Bytes()); err != nil {
		return err
	}
	return train.WriteFileAtomic(filepath.Join(dir, SummaryCSV), summary.Bytes())
}

// eachMetric calls f with every row of a run's metrics.csv
// (generation, model, metric, value) and its parsed value.
func eachMetric(path string, f func(rec []string, v float64)) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.FieldsPerRecord = 4
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !slices.Equal(head, []string{"generation", "model", "metric", "value"}) {
		return fmt.Errorf("%s: header %v, want generation,model,metric,value", path, head)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			line, _ := r.FieldPos(3)
			return fmt.Errorf("%s:%d: value %q: %w", path, line, rec[3], err)
		}
		f(rec, v)
	}
}
