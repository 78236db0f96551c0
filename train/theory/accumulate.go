package theory

import (
	"math"

	"github.com/selfconsume/selfconsume/data"
)

// AccumulateStep is one generation t >= 1 of the accumulating map:
// p_{t-1} + (Phi(p_{t-1}) - p_{t-1}) / (t+1).
//
// Under the accumulate regimes a model keeps every training set it has
// seen: at generation t its data are generation 0's real sample (n
// samples) and the t mixtures of n samples drawn at generations 1..t, the
// mixture of generation s built from the models of generation s-1
// ("accumulate" trains on all of it, "accumulate-subsample" on n samples
// drawn from it, which has the same law). A fit that reproduces its data's
// empirical law therefore gives, at population level,
//
//	p_t = (p_0 + sum_{s=1..t} Phi(p_{s-1})) / (t+1)
//	    = p_{t-1} + (Phi(p_{t-1}) - p_{t-1}) / (t+1),
//
// with p_0 the generation-0 fit standing for its real sample. The fixed
// points are those of Phi (the same equation p = Phi(p)), so the fixed
// point, its stability and the influence of a knob are the replace map's.
// The approach is slower: near p* the error obeys e_t = (I - (I - J)/(t+1))
// e_{t-1}, so along an eigenvalue lambda < 1 of J it shrinks like
// t^-(1 - lambda), a power of t and not a geometric rate;
// AccumulateGenerationsTo turns that into generations.
func (s *System) AccumulateStep(ps []*data.Table, t int) []*data.Table {
	next := s.Step(ps)
	f := 1 / float64(t+1)
	for i := range next {
		for k, x := range ps[i].P {
			next[i].P[k] = x + f*(next[i].P[k]-x)
		}
	}
	return next
}

// AccumulateTrajectory returns generations+1 states of the accumulating
// map from p0.
func (s *System) AccumulateTrajectory(p0 []*data.Table, generations int) [][]*data.Table {
	out := [][]*data.Table{p0}
	for t := 1; t <= generations; t++ {
		out = append(out, s.AccumulateStep(out[t-1], t))
	}
	return out
}

// AccumulateGenerationsTo returns the asymptotic number of generations for
// the accumulating map's distance to an attracting fixed point of spectral
// radius rho to shrink by the factor eps: the error falls like
// t^-(1 - rho), so eps^(-1/(1 - rho)) generations (+Inf when rho is not
// below 1 - 1e-9, 0 when eps >= 1).
func AccumulateGenerationsTo(rho, eps float64) float64 {
	switch {
	case eps >= 1:
		return 0
	case rho >= 1-neutralTol || math.IsNaN(rho):
		return math.Inf(1)
	}
	return math.Pow(eps, -1/(1-math.Max(rho, 0)))
}
