//go:build !amd64

package models

// adamF32 runs the float32 Adam update.
func adamF32(w, g, m, v []float32, corr1, corr2, negEta, eps float32) {
	adamUpdate(w, g, m, v, corr1, corr2, negEta, eps, float32Sqrt)
}
