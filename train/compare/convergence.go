package compare

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// CheckFloor is the kind of the convergence checks: a model's tv_prev
// averaged over the generations after burn-in equals the finite-sample
// theory's expectation of it (its noise floor), paired over seeds.
const CheckFloor = "floor"

// FloorWithin is the relative distance to its floor within which tv_prev
// counts as having reached it (Convergence.MeasuredGen, PredictedGen).
const FloorWithin = 0.1

// NearFloor reports whether a tv_prev value lies within FloorWithin of
// its floor.
func NearFloor(v, floor float64) bool { return math.Abs(v-floor) <= FloorWithin*floor }

// Floor is one model's tv_prev floor after burn-in: the mean over the
// generations after burn-in, measured and predicted (finite/tv_prev),
// each a mean over seeds.
type Floor struct {
	Model          string
	Measured, Half float64 // mean over seeds and its 95% t half-width
	Predicted      float64 // NaN: not predicted
	Diff, DiffHalf float64 // paired measured - predicted and its 95% t half-width
}

// Convergence is the loop's convergence as sampling noise lets it be seen:
// tv_prev (the TV between consecutive generations) never reaches 0 in a
// finite loop but settles on a noise floor, which the finite-sample theory
// predicts per generation (finite/tv_prev). The loop converges as
// predicted when it reaches the predicted floor (a floor check per model)
// at the predicted pace (MeasuredGen against PredictedGen, reported only).
type Convergence struct {
	Measured bool   // the runs measure tv_prev
	Why      string // when the prediction has no finite-sample tv_prev: why (theory.json's spread_error)
	Floors   []Floor
	// MeasuredGen is the first generation at which every model's mean
	// tv_prev over seeds lies within FloorWithin of its measured floor,
	// PredictedGen the same on the predicted finite-sample tv_prev and its
	// floor (0: never; PredictedGen also 0 when not predicted).
	MeasuredGen, PredictedGen int
}

// Predicted reports whether the prediction has finite-sample tv_prev.
func (c Convergence) Predicted() bool {
	return len(c.Floors) > 0 && !math.IsNaN(c.Floors[0].Predicted)
}

// convergence sets r.Convergence and, where the prediction has
// finite-sample tv_prev, adds per model the check that its tv_prev floor
// after burn-in is the predicted one: per seed, the mean over the
// generations after burn-in of tv_prev minus that of the seed's own
// finite/tv_prev, a paired t-test of mean 0 in the comparison's Holm
// family. A per-seed time average over many generations is close to
// normal, and the theory predicts exactly its expectation, so the t-test
// fits. The generation at which the floor is reached is reported but not
// tested: it is the first crossing of a noisy curve, whose distribution the
// theory does not give.
func (r *Result) convergence(emp, pred [][]train.Row) {
	c := &r.Convergence
	c.Why = r.Theory.SpreadError
	for _, m := range r.Config.Models {
		f := Floor{Model: m.Name, Predicted: math.NaN()}
		var e, q, d []float64
		for s := range emp {
			x := alignment(emp[s], m.Name, "tv_prev", r.BurnIn)
			y := alignment(pred[s], m.Name, train.FiniteMetric+"tv_prev", r.BurnIn)
			e, q, d = append(e, x), append(q, y), append(d, x-y)
		}
		es, qs, ds := stats.Summarize(e), stats.Summarize(q), stats.Summarize(d)
		if math.IsNaN(es.Mean) {
			return // no tv_prev measured
		}
		c.Measured = true
		f.Measured, f.Half = es.Mean, es.Half()
		f.Diff, f.DiffHalf = math.NaN(), math.NaN()
		if !math.IsNaN(qs.Mean) {
			f.Predicted, f.Diff, f.DiffHalf = qs.Mean, ds.Mean, ds.Half()
			r.Checks = append(r.Checks, Check{
				What: fmt.Sprintf("%s tv_prev floor after generation %d", m.Name, r.BurnIn), Kind: CheckFloor,
				Detail: fmt.Sprintf("measured %.4f +- %.4f, predicted %.4f (ratio %.3g), difference %+.4f +- %.4f",
					es.Mean, es.Half(), qs.Mean, es.Mean/qs.Mean, ds.Mean, ds.Half()),
				test: stats.Test{Kind: stats.Agreement, S: ds}, influence: -1,
			})
		}
		c.Floors = append(c.Floors, f)
	}
	c.MeasuredGen = r.reached(func(row runfolder.ComparisonRow) float64 { return row.Mean },
		func(f Floor) float64 { return f.Measured })
	if c.Predicted() {
		c.PredictedGen = r.reached(func(row runfolder.ComparisonRow) float64 { return row.PredictedFinite },
			func(f Floor) float64 { return f.Predicted })
	}
}

// reached is the first generation (from 1) at which every model's value
// of the tv_prev comparison rows lies within FloorWithin of the model's
// floor (0: never).
func (r *Result) reached(value func(runfolder.ComparisonRow) float64, floor func(Floor) float64) int {
	floors := map[string]float64{}
	for _, f := range r.Convergence.Floors {
		floors[f.Model] = floor(f)
	}
	ok := map[int]bool{}
	last := 0
	for _, row := range r.Comparison {
		if row.Metric != "tv_prev" || row.Generation < 1 {
			continue
		}
		in := NearFloor(value(row), floors[row.Model])
		if prev, seen := ok[row.Generation]; seen {
			in = in && prev
		}
		ok[row.Generation] = in
		last = max(last, row.Generation)
	}
	for g := 1; g <= last; g++ {
		if ok[g] {
			return g
		}
	}
	return 0
}

// ConvergenceLine is compare's printed convergence line: each model's
// tv_prev floor after burn-in measured (mean +- 95% half-width) and
// predicted, the generations at which the floor is reached, and the
// infinite loop's rate.
func (r *Result) ConvergenceLine() string {
	c := r.Convergence
	cfg := r.Config
	inf := fmt.Sprintf("infinite loop: rho %.4f, ", float64(r.Theory.SpectralRadius))
	if g := float64(r.Theory.GenerationsToTol); math.IsNaN(g) || math.IsInf(g, 0) {
		inf += "no contraction"
	} else {
		inf += fmt.Sprintf("%.0f generations to shrink by %g", g, cfg.Theory.Tol)
	}
	if !c.Measured {
		return fmt.Sprintf("convergence: not measured (no tv_prev: metrics %s); %s", cfg.Metrics, inf)
	}
	gen := func(g int) string {
		if g == 0 {
			return "never"
		}
		return fmt.Sprintf("generation %d", g)
	}
	meas, pred := "", ""
	for i, f := range c.Floors {
		if i > 0 {
			meas, pred = meas+", ", pred+", "
		}
		meas += fmt.Sprintf("%s %.4f +- %.4f", f.Model, f.Measured, f.Half)
		pred += fmt.Sprintf("%s %.4f (measured/predicted %.3g)", f.Model, f.Predicted, f.Measured/f.Predicted)
	}
	within := fmt.Sprintf("within %g%% of it from %s measured", 100*FloorWithin, gen(c.MeasuredGen))
	if c.Predicted() {
		within += ", " + gen(c.PredictedGen) + " predicted"
	} else {
		why := "no finite-sample theory"
		if c.Why != "" {
			why = c.Why
		}
		return fmt.Sprintf("convergence (tv_prev's floor, mean after generation %d): measured %s; not predicted (%s); %s; %s",
			r.BurnIn, meas, why, within, inf)
	}
	return fmt.Sprintf("convergence (tv_prev's floor, mean after generation %d): measured %s; predicted %s; %s; %s",
		r.BurnIn, meas, pred, within, inf)
}
