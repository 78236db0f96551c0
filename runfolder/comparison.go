package runfolder

import (
	"math"
	"strconv"
)

// ComparisonRow is one line of comparison.csv: one metric of one model at
// one generation over the seeds: the empirical mean with its 95% interval,
// the mean prediction (each seed has its own: its learned curator and
// generation-0 tables), and the paired difference empirical - predicted with
// its 95% interval and the p-value of its paired t-test. Intervals are
// Student-t over the seeds (train/stats); the p-value is per row, not
// adjusted for the many rows.
type ComparisonRow struct {
	Generation          int
	Model, Metric       string
	Seeds               int
	Mean, CILow, CIHigh float64
	Predicted           float64
	AbsError            float64 // |Mean - Predicted|
	Diff, DiffHalf      float64 // mean paired difference and its 95% half-width
	DiffP               float64 // two-sided paired t-test of H0 diff = 0, unadjusted (NaN: fewer than two seeds)
	// SD is the standard deviation over seeds of the measured metric and
	// DiffSD that of the paired difference measured - predicted (the spread
	// around each seed's own prediction). PredictedSD is the theory's
	// standard deviation around a seed's prediction (sd/<metric> rows of
	// prediction.csv: finite-sample noise given generation 0 and the
	// curator), the root mean square over seeds; NaN where there is none.
	// By the law of total variance SD^2 is about PredictedSD^2 plus the
	// variance of the seeds' predictions.
	SD, DiffSD, PredictedSD float64
	// PredictedFinite is the finite-sample expectation of the metric where
	// the infinite loop's prediction is not it (finite/<metric> rows:
	// tv_prev's noise floor), the mean over seeds; NaN where there is none.
	PredictedFinite float64
}

// Agrees reports whether the paired difference's 95% interval contains 0
// (needs two seeds or more).
func (c ComparisonRow) Agrees() bool { return c.Seeds >= 2 && math.Abs(c.Diff) <= c.DiffHalf }

// WriteComparison writes comparison.csv (ComparisonColumns) to path.
func WriteComparison(path string, rows []ComparisonRow) error {
	recs := make([][]string, len(rows))
	f := FormatFloat
	for i, r := range rows {
		recs[i] = []string{strconv.Itoa(r.Generation), r.Model, r.Metric, f(r.Mean),
			f(r.CILow), f(r.CIHigh), f(r.Predicted), f(r.AbsError), strconv.Itoa(r.Seeds),
			f(r.Diff), f(r.Diff - r.DiffHalf), f(r.Diff + r.DiffHalf), f(r.DiffP),
			f(r.SD), f(r.DiffSD), f(r.PredictedSD), f(r.PredictedFinite)}
	}
	return WriteCSV(path, ComparisonColumns, recs)
}

// comparisonRequired are the columns every comparison.csv has had; the
// later ones read as NaN (Seeds as 0) when absent.
var comparisonRequired = ComparisonColumns[:8]

// ReadComparison reads comparison.csv; found is false when it is absent.
// DiffHalf is read back from diff_ci_high - diff.
func ReadComparison(path string) (rows []ComparisonRow, found bool, err error) {
	found, err = Read(path, comparisonRequired, func(r Record) error {
		var c ComparisonRow
		var err error
		if c.Generation, c.Model, c.Metric, err = r.GenModelMetric(); err != nil {
			return err
		}
		if r.Str("seeds") != "" {
			if c.Seeds, err = r.Int("seeds"); err != nil {
				return err
			}
		}
		var diffHigh float64
		for _, f := range []struct {
			col string
			dst *float64
		}{{"mean", &c.Mean}, {"ci_low", &c.CILow}, {"ci_high", &c.CIHigh}, {"predicted", &c.Predicted}, {"abs_error", &c.AbsError},
			{"diff", &c.Diff}, {"diff_ci_high", &diffHigh}, {"diff_p", &c.DiffP}, {"sd", &c.SD}, {"diff_sd", &c.DiffSD},
			{"predicted_sd", &c.PredictedSD}, {"predicted_finite", &c.PredictedFinite}} {
			if *f.dst, err = r.Float(f.col); err != nil {
				return err
			}
		}
		c.DiffHalf = diffHigh - c.Diff
		rows = append(rows, c)
		return nil
	})
	return rows, found, err
}
