package flow

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The assembly row kernels give the Go loops' bits (lengths that are and are
// not multiples of 8; inputs of both signs, zeros and a NaN).
func TestRowKernelsMatchGo(t *testing.T) {
	t.Parallel()
	if !haveAVX2 {
		t.Skip("no AVX2: only the Go loops run")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 7, 8, 29, 256} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		x[0] = 0
		if n > 2 {
			x[2] = float32(math.NaN())
		}
		run := func(vector bool) (aff, am, as []float32) {
			affine, mulAdd := affineReLU[float32], reluMulAdd2[float32]
			if !vector {
				affine, mulAdd = affineReLUGo[float32], reluMulAdd2Go[float32]
			}
			aff = make([]float32, n)
			affine(aff, x, 0.7, -0.1)
			am, as = make([]float32, n), make([]float32, n)
			for i := range am {
				am[i], as[i] = float32(i), -float32(i)
			}
			mulAdd(am, as, x, 1.3, -0.4)
			mulAdd(am, as, aff, -0.2, 0.9)
			return aff, am, as
		}
		a1, m1, s1 := run(false)
		a2, m2, s2 := run(true)
		same := func(a, b []float32) bool {
			return slices.EqualFunc(a, b, func(u, v float32) bool {
				return u == v || (u != u && v != v) // NaN in the same places
			})
		}
		if !same(a1, a2) || !same(m1, m2) || !same(s1, s2) {
			t.Fatalf("n=%d: assembly and Go differ:\n%v\n%v\n%v\n%v", n, a1, a2, m1, m2)
		}
	}
}
