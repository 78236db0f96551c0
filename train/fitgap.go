package train

import (
	"github.com/selfconsume/selfconsume/curate"
	"math"

	"github.com/selfconsume/selfconsume/config"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/theory"
)

// The fit-gap metrics (metrics full, generations >= 1) measure how far each
// generation's fit falls short of the law it is trained towards. A model's
// target law at generation t is the population law of its training set:
// under "replace" the mixture
//
//	T_i = w_i^R q + sum_j w_ij^S p_j + sum_j w_ij^H C_pop(j)(p_j)
//
// with the weights of the counts the model actually trains on, the tables
// p_j of generation t-1 and the exact curation law with the curator the run
// used at generation t (the learned reward model's table, or the truth).
// Under the accumulate regimes a model trains on (a uniform subsample of)
// every generation's data so far, so its target is the size-weighted
// average of q (generation 0's real set) and T_1..T_t; with
// reward_model.refit the earlier generations' curators are not kept, and
// the metrics are skipped.
//
//	fit_gap    = E_c KL(T(.|c) || p(.|c)): the whole shortfall of the fit.
//
// Categorical models also split it by the empirical law e of the training
// set (context weights the set's own context frequencies):
//
//	sample_gap = E_c KL(e(.|c) || T(.|c)): how far the finite sample is from
//	             its target (about C (V-1) / (2 n) when T has full support);
//	fit_excess = E_c KL(e(.|c) || p(.|c)) = train_nll - H(e): how far the fit
//	             is from the best fit of its own sample (0 for an exact
//	             maximum-likelihood table).
//
// A small KL can hide a systematic lag (a fit that moves only part of the
// way from the previous model towards T has small per-cell errors, yet
// shifts the whole curve), so the step is also measured along its own
// direction:
//
//	fit_progress = <p_t - p_{t-1}, T - p_{t-1}> / |T - p_{t-1}|^2 (context-
//	               weighted inner product over cells): 1 when the fit reaches
//	               T on average, below 1 when it lags; not written when T = p_{t-1}
//	               (no step to make, e.g. K = 1 without real data).
//	               Sample noise enters the numerator with mean about 0, so
//	               it averages out over seeds; near the fixed point the
//	               denominator shrinks and the ratio becomes noisy.
//
// What the curves show is the reward, so the shortfall is also measured in
// reward units:
//
//	fit_reward_gap = E_p[r] - E_T[r] with r the true reward of the model's
//	                 own population (on the grid for planar models): the
//	                 reward the fit lost or gained against its target; its
//	                 mean over seeds is the systematic part.
//
// The direction of the split is from the sample because KL(T || e) is
// infinite as soon as a cell with target mass is missing from the sample.
// On the plane fit_gap is on the theory grid's cells and there is no split
// (the flow fits points, not the binned sample).
const (
	MetricFitGap      = "fit_gap"
	MetricSampleGap   = "sample_gap"
	MetricFitExcess   = "fit_excess"
	MetricFitProgress = "fit_progress"
	MetricFitReward   = "fit_reward_gap"
)

// fitTargets returns every model's target law at generation t >= 1, or nil
// when it is not defined (no finite-support world, metrics minimal, or an
// accumulate regime with refitted curators). It caches each generation's
// mixture law in l.targets, recomputing the ones a resumed run lacks.
func (l *loop[S]) fitTargets(t int) []*data.Table {
	pf, ok := l.fam.(family.Predictable)
	if !ok || t < 1 || l.cfg.MinimalMetrics() {
		return nil
	}
	accumulate := l.cfg.Regime != config.RegimeReplace
	if accumulate && l.cfg.RewardModel.Refit {
		return nil
	}
	sys := l.trainingSystem(pf.World())
	if len(l.targets) < t {
		l.targets = append(l.targets, make([][]*data.Table, t-len(l.targets))...)
	}
	first := t
	if accumulate {
		first = 1
	}
	for s := first; s <= t; s++ {
		if l.targets[s-1] == nil {
			prev := make([]*data.Table, len(l.cfg.Models))
			for j := range prev {
				prev[j] = pf.TableAt(s-1, j)
			}
			l.targets[s-1] = sys.Step(prev)
		}
	}
	if !accumulate {
		return l.targets[t-1]
	}
	out := make([]*data.Table, len(l.cfg.Models))
	real := pf.World().Real
	for i := range out {
		avg := data.NewTable(real.C, real.V)
		copy(avg.P, real.P)
		for s := 1; s <= t; s++ {
			for k, v := range l.targets[s-1][i].P {
				avg.P[k] += v
			}
		}
		// Every generation adds model i's n samples, generation 0 real ones.
		for k := range avg.P {
			avg.P[k] /= float64(t + 1)
		}
		out[i] = avg
	}
	return out
}

// trainingSystem is the population-level map with the curator the run uses
// now and each model's mixture weights taken from its integer counts (what
// it actually trains on) rather than the configured shares, and the
// reference form of the curation law (the fit metrics' numbers stay those
// of earlier versions).
func (l *loop[S]) trainingSystem(w *World) *theory.System {
	sys := w.System(l.cfg, config.CuratorLearned)
	sys.Law = curate.Law{K: l.cfg.Curation.K, Tau: l.cfg.Curation.Tau}
	M := len(l.cfg.Models)
	for i, c := range l.counts {
		n := 0
		for _, k := range c {
			n += k
		}
		m := &sys.Models[i]
		m.Real = float64(c[0]) / float64(n)
		for j := 0; j < M; j++ {
			m.Raw[j] = float64(c[1+j]) / float64(n)
			m.Curated[j] = float64(c[1+M+j]) / float64(n)
		}
	}
	return sys
}

// addFitGap adds model i's fit-gap metrics at generation t against its
// target law.
func (l *loop[S]) addFitGap(t, i int, target *data.Table, set data.Set, add func(string, float64)) {
	pf := l.fam.(family.Predictable)
	p := pf.TableAt(t, i)
	ctx := pf.World().Context
	add(MetricFitGap, family.KL(target, p, ctx))
	if pr := progress(pf.TableAt(t-1, i), p, target, ctx); !math.IsNaN(pr) {
		add(MetricFitProgress, pr) // undefined, so not written, when T = p_{t-1}
	}
	w := pf.World()
	r := w.Truth[w.PopIndex[i]]
	add(MetricFitReward, p.Expect(ctx, r)-target.Expect(ctx, r))
	if e, ectx, ok := pf.Empirical(set); ok && len(set) > 0 {
		add(MetricSampleGap, family.KL(e, target, ectx))
		add(MetricFitExcess, family.KL(e, p, ectx))
	}
}

// progress is how far the step from prev to p went towards target, along
// target - prev: <p - prev, target - prev> / |target - prev|^2 with the
// context-weighted inner product (NaN when target = prev).
func progress(prev, p, target *data.Table, ctx []float64) float64 {
	var num, den float64
	for c := 0; c < p.C; c++ {
		pr, pp, tr := prev.Row(c), p.Row(c), target.Row(c)
		for y := range pr {
			d := tr[y] - pr[y]
			num += ctx[c] * (pp[y] - pr[y]) * d
			den += ctx[c] * d * d
		}
	}
	if den == 0 {
		return math.NaN()
	}
	return num / den
}
