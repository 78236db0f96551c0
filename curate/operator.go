package curate

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/data"
)

// Operator is a curation law acting on distributions, one row (one
// context) at a time: p is a distribution over V cells, r the curator's
// rewards of those cells. It is all the population-level theory needs of
// curation; Law, the K-choice Luce law, is one.
type Operator interface {
	// Apply writes the curated law C(p) into out.
	Apply(p, r, out []float64)
	// Deriv writes the V x V Jacobian of C at p, row-major:
	// jac[x*V+z] = dC(p)_x / dp_z.
	Deriv(p, r, jac []float64)
	// JVP writes the Jacobian-vector product DC(p) v into out, without
	// forming the Jacobian where the law allows it.
	JVP(p, r, v, out []float64)
}

// Validator is an Operator that can check its own parameters.
type Validator interface {
	Validate() error
}

// Lipschitzer is an Operator that knows a rigorous upper bound on its
// Lipschitz constant in total variation, uniformly over the simplex, for a
// row of rewards r.
type Lipschitzer interface {
	LipschitzBound(r []float64) float64
}

// ApplyTable applies op to every row of p (K answers to one context), with
// the curator's reward table r of the same shape.
func ApplyTable(op Operator, p, r *data.Table) *data.Table {
	if p.C != r.C || p.V != r.V {
		panic(fmt.Sprintf("curate: distribution is %d x %d, reward %d x %d", p.C, p.V, r.C, r.V))
	}
	out := data.NewTable(p.C, p.V)
	for c := 0; c < p.C; c++ {
		op.Apply(p.Row(c), r.Row(c), out.Row(c))
	}
	return out
}

// LipschitzBound returns a rigorous upper bound on the law's Lipschitz
// constant in total variation, uniformly over the simplex, with rewards r:
//
//   - finite K (any Tau, including best-of-K): K. C(p) is the law of a
//     kernel applied to K i.i.d. draws from p, so TV(C(p), C(p')) <=
//     TV(p^K, p'^K) <= K TV(p, p'). The bound is approached when the reward
//     spread is large relative to Tau (at a vertex p = delta_y the local
//     constant is K u_x / (u_x + (K-1) u_y)).
//   - K -> infinity (tilt), Tau > 0: u_max/u_min = exp((max r - min r)/Tau),
//     attained at the vertex of the worst cell.
//   - K -> infinity, Tau == 0: +Inf (the argmax law is discontinuous).
func (l Law) LipschitzBound(r []float64) float64 {
	switch {
	case !l.Infinite:
		return float64(l.K)
	case l.Tau == 0:
		return math.Inf(1)
	}
	return math.Max(1, math.Exp(spread(r)/l.Tau))
}

var (
	_ Operator    = Law{}
	_ Validator   = Law{}
	_ Lipschitzer = Law{}
)
