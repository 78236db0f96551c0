package compare

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// CheckSpread is the kind of the spread checks: at the last generation, a
// model's own-population reward varies over seeds around each seed's
// prediction as the finite-sample theory says.
const CheckSpread = "spread"

// valueAt returns the value of (generation, model, metric) in rows (NaN if
// absent).
func valueAt(rows []train.Row, g int, model, metric string) float64 {
	for _, r := range rows {
		if r.Generation == g && r.Model == model && r.Metric == metric {
			return r.Value
		}
	}
	return math.NaN()
}

// spreadChecks adds, per model whose prediction has a spread, the check
// that its own-population reward at the last generation spreads over seeds
// as predicted. Each seed's paired difference measured - predicted is
// divided by that seed's predicted standard deviation (sd/reward/<pop>:
// sampling noise given generation 0 and the curator); under the theory
// these have variance 1, which a chi-square test with seeds-1 degrees of
// freedom checks (stats.Variance), in the same Holm family as the other
// checks. The detail gives the variance ratio with its 95% interval.
func (r *Result) spreadChecks(emp, pred [][]train.Row) {
	last := r.Config.Generations
	for i, m := range r.Config.Models {
		metric := "reward/" + r.Config.Models[i].Population
		var z []float64
		ok := true
		for s := range emp {
			d := valueAt(emp[s], last, m.Name, metric) - valueAt(pred[s], last, m.Name, metric)
			sd := valueAt(pred[s], last, m.Name, train.SpreadMetric+metric)
			if !(sd > 0) || math.IsNaN(d) {
				ok = false
				break
			}
			z = append(z, d/sd)
		}
		if !ok || len(z) == 0 {
			continue
		}
		zs := stats.Summarize(z)
		ratio, lo, hi := zs.VarianceRatioCI(1, stats.Alpha)
		r.Checks = append(r.Checks, Check{
			What: fmt.Sprintf("%s %s spread at generation %d", m.Name, metric, last), Kind: CheckSpread,
			Detail: fmt.Sprintf("variance around the prediction / predicted variance %.3g, 95%% interval [%.3g, %.3g] (sd ratio %.3g)",
				ratio, lo, hi, math.Sqrt(ratio)),
			test: stats.Test{Kind: stats.Variance, S: zs, Null: 1}, influence: -1,
		})
	}
}
