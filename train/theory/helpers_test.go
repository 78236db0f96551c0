package theory

import (
	"math"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
)

// randomSystem builds n models over na populations (model i curated by
// population i % na) with real share at least minReal and the rest spread at
// random over raw and curated sources; the curator uses the true rewards.
func randomSystem(rng *rand.Rand, n, na, c, v int, law curate.Law, minReal float64) *System {
	s := &System{
		Context: data.UniformContext(c),
		Real:    data.Dirichlet(rng, c, v, 2),
		Law:     law,
	}
	for a := 0; a < na; a++ {
		r := curate.RandomReward(rng, c, v, 1)
		s.TrueReward = append(s.TrueReward, r)
		s.CurateReward = append(s.CurateReward, r)
	}
	for i := 0; i < n; i++ {
		w := make([]float64, 2*n)
		tot := 0.0
		for k := range w {
			w[k] = rng.Float64()
			tot += w[k]
		}
		real := minReal + (1-minReal)*rng.Float64()*0.5
		for k := range w {
			w[k] *= (1 - real) / tot
		}
		s.Models = append(s.Models, Model{Name: string(rune('a' + i)), Pop: i % na, Real: real, Raw: w[:n], Curated: w[n:]})
	}
	return s
}

// maxAbsDiff returns the largest |a - b| over two matrices of the same shape.
func maxAbsDiff(a, b [][]float64) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return d
}

// stateDist is the largest |entry| difference between two states.
func stateDist(a, b []*data.Table) float64 {
	d := 0.0
	for i := range a {
		for k := range a[i].P {
			d = math.Max(d, math.Abs(a[i].P[k]-b[i].P[k]))
		}
	}
	return d
}
