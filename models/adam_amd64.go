//go:build !noasm

package models

import "golang.org/x/sys/cpu"

// adamF32AVX2 is adamUpdate for float32 over n elements (a multiple of 8),
// eight at a time; c holds 1-b1, b1, 1-b2, b2, corr1, corr2, -eta, eps.
//
//go:noescape
func adamF32AVX2(w, grad, m, v *float32, n int, c *[8]float32)

// adamF32AVX512 is adamF32AVX2 sixteen at a time (n a multiple of 16).
//
//go:noescape
func adamF32AVX512(w, grad, m, v *float32, n int, c *[8]float32)

var (
	haveAVX2   = cpu.X86.HasAVX2
	haveAVX512 = cpu.X86.HasAVX512F
)

// adamF32 runs the float32 Adam update, vectorised (16 or 8 wide) where the CPU allows
// and vector is true; the same bits as adamUpdate (TestAdamMatchesGorgonia).
func adamF32(w, g, m, v []float32, corr1, corr2, negEta, eps float32, vector bool) {
	n := 0
	if haveAVX2 && vector {
		var b1, b2 float32 = adamBeta1, adamBeta2
		c := [8]float32{1 - b1, b1, 1 - b2, b2, corr1, corr2, negEta, eps}
		if haveAVX512 {
			n = len(w) &^ 15
			if n > 0 {
				_, _, _ = g[n-1], m[n-1], v[n-1]
				adamF32AVX512(&w[0], &g[0], &m[0], &v[0], n, &c)
			}
		}
		if k := (len(w) - n) &^ 7; k > 0 {
			_, _, _ = g[n+k-1], m[n+k-1], v[n+k-1]
			adamF32AVX2(&w[n], &g[n], &m[n], &v[n], k, &c)
			n += k
		}
	}
	adamUpdate(w[n:], g[n:len(w)], m[n:len(w)], v[n:len(w)], corr1, corr2, negEta, eps, float32Sqrt)
}
