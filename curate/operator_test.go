package curate

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// JVP is the Jacobian of Deriv applied to v, for every kind of law (the
// integral case on both of its paths), on rows with empty cells, tied
// rewards and unnormalised p: agreement to 1e-12 relative to the largest
// Jacobian row sum.
func TestJVPMatchesDeriv(t *testing.T) {
	rng := data.Stream(11, data.PurposeReward)
	const V = 9
	// Tau 0.004: a reward spread over 600 temperatures (the slow path for G)
	laws := []Law{{K: 1, Tau: 1}, {K: 2, Tau: 0.5}, {K: 4, Tau: 1}, {K: 3, Tau: 0.004}, {K: 3, Tau: 0}, {Infinite: true, Tau: 0.7}, {Infinite: true}}
	for trial := 0; trial < 20; trial++ {
		p, r, v := make([]float64, V), make([]float64, V), make([]float64, V)
		mean := 0.0
		for x := range p {
			if rng.IntN(4) > 0 {
				p[x] = 2 * rng.Float64()
			}
			r[x] = float64(rng.IntN(4)) + 0.5*rng.NormFloat64()*float64(trial%2) // odd trials: no ties
			v[x] = rng.NormFloat64()
			mean += v[x] / V
		}
		p[trial%V] += 0.1
		for x := range v {
			v[x] -= mean
		}
		for _, law := range laws {
			jac := make([]float64, V*V)
			law.Deriv(p, r, jac)
			got := make([]float64, V)
			law.JVP(p, r, v, got)
			scale := 0.0
			for x := 0; x < V; x++ {
				want, row := 0.0, 0.0
				for z := 0; z < V; z++ {
					want += jac[x*V+z] * v[z]
					row += math.Abs(jac[x*V+z] * v[z])
				}
				scale = math.Max(scale, row)
				if d := math.Abs(got[x] - want); d > 1e-12*math.Max(1, scale) {
					t.Fatalf("trial %d, %v, cell %d: JVP %g, Deriv.v %g", trial, law, x, got[x], want)
				}
			}
		}
	}
}

// LipschitzBound is K for a finite law, exp(spread/Tau) for the tilt and
// +Inf for the K -> infinity argmax.
func TestLawLipschitzBound(t *testing.T) {
	r := []float64{0.5, -1, 2}
	for _, c := range []struct {
		law  Law
		want float64
	}{{Law{K: 3, Tau: 1}, 3}, {Law{K: 5}, 5}, {Law{Infinite: true, Tau: 2}, math.Exp(1.5)}, {Law{Infinite: true}, math.Inf(1)}} {
		if got := c.law.LipschitzBound(r); got != c.want {
			t.Errorf("%v: bound %g, want %g", c.law, got, c.want)
		}
	}
}
