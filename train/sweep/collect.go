package sweep

import (
	"path/filepath"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/runfolder"
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

	var sweepRows [][]string
	for _, c := range cells {
		if st, _ := stateOf(dir, c); st != stateDone {
			continue
		}
		prefix := make([]string, 0, len(keys)+1)
		for _, kv := range c.Keys {
			prefix = append(prefix, runfolder.ColumnText(kv.Value))
		}
		pointKeys[c.Point] = slices.Clone(prefix)
		prefix = append(prefix, strconv.FormatUint(c.Seed, 10))
		path := filepath.Join(CellDir(dir, c), runfolder.MetricsFile)
		found, err := runfolder.EachRow(path, func(row runfolder.Row, r runfolder.Record) error {
			rec := r.Fields(runfolder.MetricsColumns)
			sweepRows = append(sweepRows, append(slices.Clone(prefix), rec...))
			g := group{c.Point, rec[0], rec[1], rec[2]}
			if _, ok := values[g]; !ok {
				order = append(order, g)
			}
			values[g] = append(values[g], row.Value)
			return nil
		})
		if err := runfolder.Found(path, found, err); err != nil {
			return err
		}
	}

	var summaryRows [][]string
	f := runfolder.FormatFloat
	for _, g := range order {
		s := stats.Summarize(values[g])
		se, half := s.SE, s.Half()
		if s.N < 2 {
			se = 0
		}
		row := append(slices.Clone(pointKeys[g.point]), g.generation, g.model, g.metric,
			strconv.Itoa(s.N), f(s.Mean), f(se), f(s.Mean-half), f(s.Mean+half))
		summaryRows = append(summaryRows, row)
	}
	if err := runfolder.WriteCSV(filepath.Join(dir, runfolder.SweepCSV), append(slices.Clone(keys), runfolder.SweepColumns...), sweepRows); err != nil {
		return err
	}
	return runfolder.WriteCSV(filepath.Join(dir, runfolder.SummaryCSV), append(slices.Clone(keys), runfolder.SummaryColumns...), summaryRows)
}
