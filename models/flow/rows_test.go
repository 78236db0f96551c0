package flow

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The assembly row kernels give the Go loops' bits (lengths that are and are
// not multiples of 8; inputs of both signs, zeros of both signs and a NaN).
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
		if n > 4 {
			x[4] = float32(math.Copysign(0, -1))
		}
		if n > 2 {
			x[2] = float32(math.NaN())
		}
		run := func(vector bool) (aff, am, as, fused []float32) {
			affine, mulAdd := affineReLU[float32], reluMulAdd2[float32]
			bias, mask, add := biasReLU[float32], maskGrad[float32], addRow[float32]
			outer, outerBias := outerRow[float32], outerBiasReLU[float32]
			if !vector {
				affine, mulAdd = affineReLUGo[float32], reluMulAdd2Go[float32]
				bias, mask, add = biasReLUGo[float32], maskGradGo[float32], addRowGo[float32]
				outer = outerRowGo[float32]
				outerBias = func(dst, w, b []float32, s float32) {
					outerRowGo(dst, w, s)
					biasReLUGo(dst, b)
				}
			}
			aff = make([]float32, n)
			affine(aff, x, 0.7, -0.1)
			am, as = make([]float32, n), make([]float32, n)
			for i := range am {
				am[i], as[i] = float32(i), -float32(i)
			}
			mulAdd(am, as, x, 1.3, -0.4)
			mulAdd(am, as, aff, -0.2, 0.9)
			// the fused layers' passes: y = ReLU(x + b) (zeros of both
			// signs in y), its masked gradient, and a row sum
			y := slices.Clone(x)
			b := slices.Repeat([]float32{-0.25, 0.5, float32(math.Copysign(0, -1)), 0}, n)[:n]
			bias(y, b)
			// outer products (-0 products among them) with and without the
			// bias and ReLU
			o, ob := make([]float32, n), make([]float32, n)
			outer(o, x, -0.8)
			outerBias(ob, x, b, 1.7)
			g := make([]float32, n)
			mask(g, y, am)
			add(g, as)
			add(g, y)
			return aff, am, as, slices.Concat(y, g, o, ob)
		}
		a1, m1, s1, f1 := run(false)
		a2, m2, s2, f2 := run(true)
		same := func(a, b []float32) bool {
			return slices.EqualFunc(a, b, func(u, v float32) bool {
				return u == v || (u != u && v != v) // NaN in the same places
			})
		}
		bitsEqual := slices.EqualFunc(f1, f2, func(u, v float32) bool {
			return math.Float32bits(u) == math.Float32bits(v) || (u != u && v != v)
		})
		if !same(a1, a2) || !same(m1, m2) || !same(s1, s2) || !bitsEqual {
			t.Fatalf("n=%d: assembly and Go differ:\n%v\n%v\n%v\n%v", n, a1, a2, m1, m2)
		}
	}
}
