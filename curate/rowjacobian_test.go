package curate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// RowJacobian.MulVec equals the product with Deriv's matrix to 1e-13
// relative to the product's size, factored (K >= 3, Tau > 0, with and
// without empty cells) and dense (the other laws).
func TestRowJacobianMatchesDeriv(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	laws := []Law{{K: 3, Tau: 1}, {K: 4, Tau: 0.3}, {K: 6, Tau: 2}, {K: 2, Tau: 1}, {K: 4, Tau: 0}, {Infinite: true, Tau: 1}}
	for _, law := range laws {
		for trial := 0; trial < 4; trial++ {
			v := 5 + rng.IntN(60)
			p, r, d := make([]float64, v), make([]float64, v), make([]float64, v)
			for y := range p {
				p[y] = rng.ExpFloat64()
				if trial == 3 && y%3 == 0 {
					p[y] = 0
				}
				r[y] = 3 * rng.NormFloat64()
				d[y] = rng.NormFloat64()
			}
			jac := make([]float64, v*v)
			law.Deriv(p, r, jac)
			got := make([]float64, v)
			law.RowJacobian(p, r).MulVec(d, got)
			worst, scale := 0.0, 0.0
			for x := 0; x < v; x++ {
				want := 0.0
				for z := 0; z < v; z++ {
					want += jac[x*v+z] * d[z]
				}
				worst = math.Max(worst, math.Abs(got[x]-want))
				scale = math.Max(scale, math.Abs(want))
			}
			if worst > 1e-13*scale {
				t.Errorf("%v, %d tokens: product differs by %.3g (scale %.3g)", law, v, worst, scale)
			}
		}
	}
}
