//go:build !noasm

package models

import "golang.org/x/sys/cpu"

// adamF32AVX2 is adamUpdate for float32 over n elements (a multiple of 8),
// eight at a time; c holds 1-b1, b1, 1-b2, b2, corr1, corr2, -eta, eps.
//
//go:noescape
func adamF32AVX2(w, grad, m, v *float32, n int, c *[8]float32)

var haveAVX2 = cpu.X86.HasAVX2

// adamF32 runs the float32 Adam update, vectorised where the CPU allows
// and vector is true; the same bits as adamUpdate (TestAdamMatchesGorgonia).
func adamF32(w, g, m, v []float32, corr1, corr2, negEta, eps float32, vector bool) {
	n := 0
	if haveAVX2 && vector {
		n = len(w) &^ 7
		if n > 0 {
			var b1, b2 float32 = adamBeta1, adamBeta2
			c := [8]float32{1 - b1, b1, 1 - b2, b2, corr1, corr2, negEta, eps}
			_, _, _ = g[n-1], m[n-1], v[n-1]
			adamF32AVX2(&w[0], &g[0], &m[0], &v[0], n, &c)
		}
	}
	adamUpdate(w[n:], g[n:len(w)], m[n:len(w)], v[n:len(w)], corr1, corr2, negEta, eps, float32Sqrt)
}
