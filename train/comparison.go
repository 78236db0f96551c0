package train

import (
	"math"
	"slices"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// comparedMetrics are the metrics the prediction also gives.
func comparedMetric(m string) bool {
	return strings.HasPrefix(m, "reward/") || slices.Contains([]string{"kl_real", "tv_real", "entropy", "zero_mass", "tv_prev"}, m)
}

// CompareRows pairs each seed's empirical rows with that seed's predicted
// rows and summarises every (generation, model, metric) over the seeds.
func CompareRows(emp, pred [][]Row) []runfolder.ComparisonRow {
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
	out := make([]runfolder.ComparisonRow, 0, len(order))
	for _, k := range order {
		m, h, n := stats.MeanCI(e[k])
		pm, _, _ := stats.MeanCI(p[k])
		d := make([]float64, len(e[k]))
		for i := range d {
			d[i] = e[k][i] - p[k][i]
		}
		ds := stats.Summarize(d)
		row := runfolder.ComparisonRow{Generation: k.g, Model: k.model, Metric: k.metric, Seeds: n,
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
