package train

import (
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/train/stats"
)

// ComparisonFile is comparison.csv: the empirical loop against the prediction.
const ComparisonFile = "comparison.csv"

// ComparisonRow compares one metric of one model at one generation over the
// seeds: the empirical mean with its 95% interval, the mean prediction (each
// seed has its own: its learned curator and generation-0 tables), and the
// paired difference empirical - predicted with its 95% interval and the
// p-value of its paired t-test. Intervals are Student-t over the seeds
// (train/stats); the p-value is per row, not adjusted for the many rows.
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

// comparedMetrics are the metrics the prediction also gives.
func comparedMetric(m string) bool {
	return strings.HasPrefix(m, "reward/") || slices.Contains([]string{"kl_real", "tv_real", "entropy", "zero_mass", "tv_prev"}, m)
}

// CompareRows pairs each seed's empirical rows with that seed's predicted
// rows and summarises every (generation, model, metric) over the seeds.
func CompareRows(emp, pred [][]Row) []ComparisonRow {
	type key struct {
		g             int
		model, metric string
	}
	var order []key
	e := map[key][]float64{}
	p := map[key][]float64{}
	psd := map[key][]float64{}
	pfin := map[key][]float64{}
	for s := range emp {
		pv := map[key]float64{}
		for _, r := range pred[s] {
			pv[key{r.Generation, r.Model, r.Metric}] = r.Value
		}
		for _, r := range emp[s] {
			k := key{r.Generation, r.Model, r.Metric}
			v, ok := pv[k]
			if !ok || !comparedMetric(r.Metric) {
				continue
			}
			if _, seen := e[k]; !seen {
				order = append(order, k)
			}
			e[k] = append(e[k], r.Value)
			p[k] = append(p[k], v)
			if sd, ok := pv[key{k.g, k.model, SpreadMetric + k.metric}]; ok {
				psd[k] = append(psd[k], sd*sd)
			}
			if f, ok := pv[key{k.g, k.model, FiniteMetric + k.metric}]; ok {
				pfin[k] = append(pfin[k], f)
			}
		}
	}
	out := make([]ComparisonRow, 0, len(order))
	for _, k := range order {
		m, h, n := stats.MeanCI(e[k])
		pm, _, _ := stats.MeanCI(p[k])
		d := make([]float64, len(e[k]))
		for i := range d {
			d[i] = e[k][i] - p[k][i]
		}
		ds := stats.Summarize(d)
		row := ComparisonRow{Generation: k.g, Model: k.model, Metric: k.metric, Seeds: n,
			Mean: m, CILow: m - h, CIHigh: m + h, Predicted: pm, AbsError: math.Abs(m - pm),
			Diff: ds.Mean, DiffHalf: ds.Half(), DiffP: ds.P(0),
			SD: stats.Summarize(e[k]).SD, DiffSD: ds.SD, PredictedSD: math.NaN(), PredictedFinite: math.NaN()}
		if len(psd[k]) == len(e[k]) {
			row.PredictedSD = math.Sqrt(mean(psd[k]))
		}
		if len(pfin[k]) == len(e[k]) {
			row.PredictedFinite = mean(pfin[k])
		}
		out = append(out, row)
	}
	return out
}

// WriteComparison writes comparison.csv into dir (fields quoted by
// encoding/csv where needed).
func WriteComparison(dir string, rows []ComparisonRow) error {
	recs := make([][]string, len(rows))
	for i, r := range rows {
		recs[i] = []string{strconv.Itoa(r.Generation), r.Model, r.Metric, fmtFloat(r.Mean),
			fmtFloat(r.CILow), fmtFloat(r.CIHigh), fmtFloat(r.Predicted), fmtFloat(r.AbsError), strconv.Itoa(r.Seeds),
			fmtFloat(r.Diff), fmtFloat(r.Diff - r.DiffHalf), fmtFloat(r.Diff + r.DiffHalf), fmtFloat(r.DiffP),
			fmtFloat(r.SD), fmtFloat(r.DiffSD), fmtFloat(r.PredictedSD), fmtFloat(r.PredictedFinite)}
	}
	b, err := csvBytes([]string{"generation", "model", "metric", "mean", "ci_low", "ci_high", "predicted", "abs_error",
		"seeds", "diff", "diff_ci_low", "diff_ci_high", "diff_p", "sd", "diff_sd", "predicted_sd", "predicted_finite"}, recs)
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, ComparisonFile), b)
}
