package theory

import (
	"math"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// Verdicts of the contraction condition.
const (
	VerdictContraction = "contraction"     // proved with the rigorous Lipschitz bounds
	VerdictFails       = "condition fails" // fails even with the probed lower bounds
	VerdictUndecided   = "undecided"       // between the two
)

// LipschitzBound returns a rigorous upper bound on the Lipschitz constant,
// in total variation and uniformly over the simplex of every context, of
// the curation law applied with reward table r: the largest of the law's
// per-context bounds (curate.Law.LipschitzBound), or +Inf for a law that
// knows none.
func LipschitzBound(law curate.Operator, r *data.Table) float64 {
	b, ok := law.(curate.Lipschitzer)
	if !ok {
		return math.Inf(1)
	}
	worst := 0.0
	for c := 0; c < r.C; c++ {
		worst = math.Max(worst, b.LipschitzBound(r.Row(c)))
	}
	return worst
}

// LocalLipschitz returns the exact TV operator norm of D C(p) on the tangent
// space for one row: max over x != z of (1/2) |DC (e_x - e_z)|_1, the
// extreme points of the sum-zero TV ball. Its supremum over p is the
// Lipschitz constant, so any value is a lower bound on it.
func LocalLipschitz(law curate.Operator, p, r []float64) float64 {
	v := len(p)
	jac := make([]float64, v*v)
	law.Deriv(p, r, jac)
	worst := 0.0
	for x := 0; x < v; x++ {
		for z := x + 1; z < v; z++ {
			sum := 0.0
			for y := 0; y < v; y++ {
				sum += math.Abs(jac[y*v+x] - jac[y*v+z])
			}
			worst = math.Max(worst, sum/2)
		}
	}
	return worst
}

// LocalLipschitzFrom is LocalLipschitz restricted to the directions
// e_x - e_z from one cell x: max over z of (1/2) |DC (e_x - e_z)|_1, a lower
// bound on the local norm at p (hence on the Lipschitz constant) in O(V^2)
// after the Jacobian.
func LocalLipschitzFrom(law curate.Operator, p, r []float64, x int) float64 {
	v := len(p)
	jac := make([]float64, v*v)
	law.Deriv(p, r, jac)
	// sums[z] = |DC (e_x - e_z)|_1, accumulated row by row (over y in
	// order, as a column walk would, but reading the matrix contiguously)
	sums := make([]float64, v)
	for y := 0; y < v; y++ {
		row := jac[y*v : (y+1)*v]
		cx := row[x]
		for z, a := range row {
			sums[z] += math.Abs(cx - a)
		}
	}
	worst := 0.0
	for _, sum := range sums {
		worst = math.Max(worst, sum/2)
	}
	return worst
}

// Contraction is a global sufficient condition for convergence to a unique
// fixed point, if each curation law C_a is L_a-Lipschitz in TV: Phi is a
// contraction in max_i sum_c w(c) TV when
// max_i ( sum_j w_ij^S + sum_j w_ij^H L_pop(j) ) < 1.
type Contraction struct {
	Upper       []float64 // per population: LipschitzBound (rigorous)
	Lower       []float64 // per population: largest LocalLipschitz over the probes (a lower bound on L_a)
	Factor      []float64 // per model, with Upper
	FactorLower []float64 // per model, with Lower
	Max         float64   // max of Factor
	MaxLower    float64   // max of FactorLower
	// Verdict is VerdictContraction if Max < 1 (Phi is a contraction: unique
	// fixed point, global geometric convergence), VerdictFails if
	// MaxLower >= 1 (the sufficient condition cannot hold whatever the true
	// L_a; this does not mean the loop diverges), else VerdictUndecided.
	Verdict string
}

// Contraction evaluates the condition. The lower bound on each L_a is the
// local TV norm of D C_a along the directions e_x - e_z, x the context's
// best cell (largest curator reward) and z any cell (LocalLipschitzFrom), at
// the context's worst vertex (all mass on its lowest-reward cell) and at
// every state in probes (for example the start and the fixed point). At
// the worst vertex this is the largest local norm over all vertices for the
// K-choice law and the tilt (K u_max / (u_max + (K-1) u_min), u_max/u_min),
// so the bound costs one Jacobian per context and probe, not the O(V^4) of
// probing every vertex with every pair.
func (s *System) Contraction(probes ...[]*data.Table) Contraction {
	na, v := s.NumPops(), s.Real.V
	ct := Contraction{Upper: make([]float64, na), Lower: make([]float64, na)}
	for a := 0; a < na; a++ {
		r := s.CurateReward[a]
		ct.Upper[a] = LipschitzBound(s.Law, r)
		los := make([]float64, r.C)
		rowsParallel(r.C, r.C*v*(1+len(probes)*len(s.Models)), func(c int) {
			vertex := make([]float64, v)
			lo := 0.0
			rr := r.Row(c)
			best, worst := 0, 0
			for y, x := range rr {
				if x > rr[best] {
					best = y
				}
				if x < rr[worst] {
					worst = y
				}
			}
			vertex[worst] = 1
			lo = math.Max(lo, LocalLipschitzFrom(s.Law, vertex, rr, best))
			for _, st := range probes {
				for _, p := range st {
					lo = math.Max(lo, LocalLipschitzFrom(s.Law, p.Row(c), rr, best))
				}
			}
			los[c] = lo
		})
		lo := 0.0
		for _, x := range los {
			lo = math.Max(lo, x)
		}
		ct.Lower[a] = math.Min(lo, ct.Upper[a])
	}
	for _, m := range s.Models {
		up, low := 0.0, 0.0
		for j, src := range s.Models {
			up += m.Raw[j]
			low += m.Raw[j]
			if m.Curated[j] > 0 {
				up += m.Curated[j] * ct.Upper[src.Pop]
				low += m.Curated[j] * ct.Lower[src.Pop]
			}
		}
		ct.Factor = append(ct.Factor, up)
		ct.FactorLower = append(ct.FactorLower, low)
		ct.Max = math.Max(ct.Max, up)
		ct.MaxLower = math.Max(ct.MaxLower, low)
	}
	switch {
	case ct.Max < 1:
		ct.Verdict = VerdictContraction
	case ct.MaxLower >= 1:
		ct.Verdict = VerdictFails
	default:
		ct.Verdict = VerdictUndecided
	}
	return ct
}
